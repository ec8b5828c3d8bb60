import assert from 'node:assert/strict';
import { createHash, randomUUID } from 'node:crypto';
import { after, before, describe, it, mock } from 'node:test';
import { API_KEY_CACHE_TTL_MS } from '../src/auth/api-key-cache';
import { adminToken, auditCount, createApiKey, createUser } from './support/auth';
import { startTestApp, TestApp } from './support/test-app';

describe('API keys', () => {
  let t: TestApp;
  let admin: string;
  const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });

  before(async () => {
    t = await startTestApp();
    admin = await adminToken(t);
  });
  after(() => t.close());

  it('creates a key once (201 + Location), stores only its hash, and audits once', async () => {
    const before = await auditCount(t);
    const res = await t.http.post('/api/v1/api-keys').set(bearer(admin)).send({ name: 'IQ field sync', role: 'country_staff', countryCodes: ['IQ'] });
    assert.equal(res.status, 201);
    assert.equal(res.headers.location, `/api/v1/api-keys/${res.body.id}`);
    assert.match(res.body.key, /^jsd_[0-9a-f]{12}_[A-Za-z0-9_-]{43}$/);
    assert.equal(res.body.key.split('_')[1], res.body.prefix);
    assert.equal(await auditCount(t), before + 1);
    const { rows } = await t.db.query('SELECT * FROM api_keys WHERE id = $1', [res.body.id]);
    const secret = res.body.key.slice(`jsd_${res.body.prefix}_`.length);
    assert.equal(rows[0].secret_hash, createHash('sha256').update(secret).digest('hex'));
    assert.ok(!JSON.stringify(rows[0]).includes(secret));
    const audit = await t.db.query('SELECT changes::text AS changes FROM audit_events ORDER BY seq DESC LIMIT 1');
    assert.ok(!audit.rows[0].changes.includes(secret));

    const got = await t.http.get(res.headers.location).set(bearer(admin));
    assert.equal(got.status, 200);
    assert.equal(got.body.key, undefined);
    assert.equal(got.headers.etag, '"1"');
    const list = await t.http.get('/api/v1/api-keys').set(bearer(admin));
    assert.equal(list.status, 200);
    const listed = list.body.data.find((k: { id: string }) => k.id === res.body.id);
    assert.ok(listed);
    assert.ok(!JSON.stringify(list.body).includes(secret));
    assert.equal(listed.key, undefined);
    assert.equal(listed.secretHash, undefined);
  });

  it('authenticates with the role and scope it was given', async () => {
    const key = await createApiKey(t, admin, { role: 'country_staff', countryCodes: ['NP'] });
    const me = await t.http.get('/api/v1/auth/me').set('X-API-Key', key.key);
    assert.equal(me.status, 200);
    assert.deepEqual({ kind: me.body.kind, id: me.body.id, role: me.body.role, countryCodes: me.body.countryCodes }, {
      kind: 'api_key',
      id: key.id,
      role: 'country_staff',
      countryCodes: ['NP'],
    });
    assert.equal((await t.http.get('/api/v1/users').set('X-API-Key', key.key)).status, 403);
    const { rows } = await t.db.query('SELECT last_used_at FROM api_keys WHERE id = $1', [key.id]);
    assert.ok(rows[0].last_used_at);
  });

  it('refuses a wrong secret, an unknown prefix and a malformed key with 401', async () => {
    const key = await createApiKey(t, admin, { role: 'hq_analyst' });
    const [, prefix] = key.key.split('_');
    const wrongSecret = `jsd_${prefix}_${'A'.repeat(43)}`;
    const unknownPrefix = `jsd_000000000000_${key.key.slice(-43)}`;
    for (const bad of [wrongSecret, unknownPrefix, 'jsd_nope', key.key.slice(0, -1)]) {
      const res = await t.http.get('/api/v1/auth/me').set('X-API-Key', bad);
      assert.equal(res.status, 401, bad);
      assert.ok(res.headers['www-authenticate']);
    }
  });

  it('revokes (204, audited once); the revoked key gets 401 and leaves the default list', async () => {
    const key = await createApiKey(t, admin, { role: 'hq_analyst' });
    assert.equal((await t.http.get('/api/v1/auth/me').set('X-API-Key', key.key)).status, 200);
    const before = await auditCount(t);
    const res = await t.http.delete(`/api/v1/api-keys/${key.id}`).set(bearer(admin));
    assert.equal(res.status, 204);
    assert.equal(await auditCount(t), before + 1);
    assert.equal((await t.http.get('/api/v1/auth/me').set('X-API-Key', key.key)).status, 401);
    const again = await t.http.delete(`/api/v1/api-keys/${key.id}`).set(bearer(admin));
    assert.equal(again.status, 204);
    assert.equal(await auditCount(t), before + 1);
    const list = await t.http.get('/api/v1/api-keys').set(bearer(admin));
    assert.ok(!list.body.data.some((k: { id: string }) => k.id === key.id));
    const all = await t.http.get('/api/v1/api-keys?includeRevoked=true').set(bearer(admin));
    const revoked = all.body.data.find((k: { id: string }) => k.id === key.id);
    assert.ok(revoked.revokedAt);
    assert.equal(revoked.version, 2);
  });

  it('refuses a key revoked through the API at once, though it was just used (and so cached)', async () => {
    const key = await createApiKey(t, admin, { role: 'hq_analyst' });
    for (let i = 0; i < 3; i++) assert.equal((await t.http.get('/api/v1/auth/me').set('X-API-Key', key.key)).status, 200);
    assert.equal((await t.http.delete(`/api/v1/api-keys/${key.id}`).set(bearer(admin))).status, 204);
    assert.equal((await t.http.get('/api/v1/auth/me').set('X-API-Key', key.key)).status, 401);
  });

  it('refuses a key revoked by another replica (straight in the database) within API_KEY_CACHE_TTL_MS', async () => {
    const key = await createApiKey(t, admin, { role: 'hq_analyst' });
    assert.equal((await t.http.get('/api/v1/auth/me').set('X-API-Key', key.key)).status, 200);
    await t.db.query('UPDATE api_keys SET revoked_at = now(), version = version + 1 WHERE id = $1', [key.id]);
    mock.timers.enable({ apis: ['Date'], now: Date.now() });
    try {
      // Within the bound this replica still trusts what it verified (the documented trade-off)…
      assert.equal((await t.http.get('/api/v1/auth/me').set('X-API-Key', key.key)).status, 200);
      mock.timers.tick(API_KEY_CACHE_TTL_MS);
      // …and once it has passed, it asks the database again.
      assert.equal((await t.http.get('/api/v1/auth/me').set('X-API-Key', key.key)).status, 401);
    } finally {
      mock.timers.reset();
    }
  });

  it('validates the body and the role scope', async () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ role: 'hq_analyst' }, 'name'],
      [{ name: 'x', role: 'root' }, 'role'],
      [{ name: 'x', role: 'country_staff' }, 'countryCodes'],
      [{ name: 'x', role: 'partner' }, 'partnerId'],
      [{ name: 'x', role: 'hq_analyst', partnerId: randomUUID() }, 'partnerId'],
      [{ name: 'x', role: 'hq_analyst', secret: 'mine' }, 'secret'],
    ];
    for (const [body, field] of cases) {
      const res = await t.http.post('/api/v1/api-keys').set(bearer(admin)).send(body);
      assert.equal(res.status, 400, field);
      assert.ok(res.body.errors.some((e: { field: string }) => e.field === field), `${field}: ${JSON.stringify(res.body.errors)}`);
    }
  });

  it('is admin-only', async () => {
    const analyst = await createUser(t, admin, { role: 'hq_analyst' });
    const key = await createApiKey(t, admin, { role: 'hq_analyst' });
    assert.equal((await t.http.post('/api/v1/api-keys').set(bearer(analyst.token)).send({ name: 'x', role: 'admin' })).status, 403);
    assert.equal((await t.http.post('/api/v1/api-keys').set('X-API-Key', key.key).send({ name: 'x', role: 'admin' })).status, 403);
    assert.equal((await t.http.get('/api/v1/api-keys').set(bearer(analyst.token))).status, 403);
    assert.equal((await t.http.delete(`/api/v1/api-keys/${key.id}`).set(bearer(analyst.token))).status, 403);
    assert.equal((await t.http.get('/api/v1/api-keys')).status, 401);
    assert.equal((await t.http.delete(`/api/v1/api-keys/${randomUUID()}`).set(bearer(admin))).status, 404);
  });
});
