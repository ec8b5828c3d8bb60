import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Response } from 'supertest';
import { adminToken, createUser } from './support/auth';
import { startTestApp, TestApp } from './support/test-app';

const auditCount = async (t: TestApp, entityId: string) =>
  Number((await t.db.query(`SELECT count(*) FROM audit_events WHERE entity = 'country' AND entity_id = $1`, [entityId])).rows[0].count);

describe('/countries', () => {
  let t: TestApp;
  let admin: string;
  const tokens: Record<string, string> = {};

  before(async () => {
    t = await startTestApp();
    admin = await adminToken(t);
    tokens.hq_analyst = (await createUser(t, admin, { role: 'hq_analyst' })).token;
    tokens.country_staff = (await createUser(t, admin, { role: 'country_staff', countryCodes: ['NP'] })).token;
    tokens.partner = (await createUser(t, admin, { role: 'partner', partnerId: '00000000-0000-4000-8000-000000000001' })).token;
  });
  after(() => t.close());

  const auth = (token: string) => ({ Authorization: `Bearer ${token}` });

  it('lists the seeded programme countries to every role, in a stable order', async () => {
    for (const token of [admin, ...Object.values(tokens)]) {
      const res = await t.http.get('/api/v1/countries?limit=200').set(auth(token));
      assert.equal(res.status, 200);
      const codes = res.body.data.map((c: { code: string }) => c.code);
      assert.ok(['NP', 'IQ', 'LY', 'TZ', 'YE', 'BF', 'ML', 'NE', 'NG', 'TN', 'SN'].every((c) => codes.includes(c)));
      assert.deepEqual(codes, [...codes].sort());
      assert.equal(res.headers['cache-control'], 'no-store');
    }
  });

  it('refuses callers without credentials', async () => {
    const res = await t.http.get('/api/v1/countries');
    assert.equal(res.status, 401);
    assert.match(res.headers['content-type'], /application\/problem\+json/);
  });

  it('pages with a cursor without repeating or skipping rows', async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const res: Response = await t.http.get(`/api/v1/countries?limit=4${cursor ? `&cursor=${cursor}` : ''}`).set(auth(admin));
      assert.equal(res.status, 200);
      assert.ok(res.body.data.length <= 4);
      seen.push(...res.body.data.map((c: { code: string }) => c.code));
      cursor = res.body.nextCursor;
    } while (cursor);
    const all = await t.http.get('/api/v1/countries?limit=200').set(auth(admin));
    assert.deepEqual(seen, all.body.data.map((c: { code: string }) => c.code));
  });

  it('rejects an oversize page and a forged cursor', async () => {
    const big = await t.http.get('/api/v1/countries?limit=201').set(auth(admin));
    assert.equal(big.status, 400);
    assert.equal(big.body.errors[0].field, 'limit');
    const forged = await t.http.get('/api/v1/countries?cursor=bm9wZQ').set(auth(admin));
    assert.equal(forged.status, 400);
    assert.equal(forged.body.errors[0].field, 'cursor');
  });

  it('lets an admin create a country: 201, Location, one audit row', async () => {
    const res = await t.http.post('/api/v1/countries').set(auth(admin)).send({ code: 'KE', name: 'Kenya', region: 'East Africa', programmeStartedOn: '2024-02-01' });
    assert.equal(res.status, 201);
    assert.equal(res.headers.location, '/api/v1/countries/KE');
    assert.deepEqual(
      { code: res.body.code, name: res.body.name, region: res.body.region, programmeStartedOn: res.body.programmeStartedOn, version: res.body.version },
      { code: 'KE', name: 'Kenya', region: 'East Africa', programmeStartedOn: '2024-02-01', version: 1 },
    );
    assert.equal(await auditCount(t, 'KE'), 1);
    const audit = await t.db.query(`SELECT action, actor_role, changes FROM audit_events WHERE entity_id = 'KE'`);
    assert.equal(audit.rows[0].action, 'create');
    assert.equal(audit.rows[0].actor_role, 'admin');
    assert.deepEqual(audit.rows[0].changes.name, { to: 'Kenya' });
  });

  it('answers a duplicate code with 409 and writes nothing', async () => {
    const res = await t.http.post('/api/v1/countries').set(auth(admin)).send({ code: 'KE', name: 'Kenya again', region: 'East Africa' });
    assert.equal(res.status, 409);
    assert.equal(await auditCount(t, 'KE'), 1);
  });

  it('validates the body field by field and rejects unknown fields', async () => {
    const res = await t.http.post('/api/v1/countries').set(auth(admin)).send({ code: 'kenya', name: 'K', region: 'East Africa', programmeStartedOn: '2024-02-30', flag: '🇰🇪' });
    assert.equal(res.status, 400);
    assert.equal(res.body.type, 'urn:jsd:problem:validation');
    assert.equal(res.body.title, 'Validation failed');
    const fields = res.body.errors.map((e: { field: string }) => e.field).sort();
    assert.deepEqual([...new Set(fields)], ['code', 'flag', 'name', 'programmeStartedOn']);
    assert.ok(res.body.errors.every((e: { message: string }) => typeof e.message === 'string' && e.message.length > 0));
    const count = await t.db.query(`SELECT count(*) FROM countries WHERE code = 'KE' OR name = 'K'`);
    assert.equal(Number(count.rows[0].count), 1);
  });

  it('answers malformed JSON with a 400 problem', async () => {
    const res = await t.http.post('/api/v1/countries').set(auth(admin)).set('Content-Type', 'application/json').send('{"code": "KE",');
    assert.equal(res.status, 400);
    assert.match(res.headers['content-type'], /application\/problem\+json/);
    assert.equal(res.body.detail, 'The request body is not valid JSON.');
  });

  it('answers an oversize body with a 413 problem', async () => {
    const res = await t.http.post('/api/v1/countries').set(auth(admin)).send({ code: 'KE', name: 'x'.repeat(1_100_000), region: 'r' });
    assert.equal(res.status, 413);
    assert.match(res.headers['content-type'], /application\/problem\+json/);
  });

  it('refuses writes to every role but admin', async () => {
    for (const token of Object.values(tokens)) {
      const post = await t.http.post('/api/v1/countries').set(auth(token)).send({ code: 'UG', name: 'Uganda', region: 'East Africa' });
      assert.equal(post.status, 403);
      const patch = await t.http.patch('/api/v1/countries/KE').set(auth(token)).send({ name: 'Kenia' });
      assert.equal(patch.status, 403);
      const del = await t.http.delete('/api/v1/countries/KE').set(auth(token));
      assert.equal(del.status, 403);
    }
    const row = await t.db.query(`SELECT name, archived_at FROM countries WHERE code = 'KE'`);
    assert.equal(row.rows[0].name, 'Kenya');
    assert.equal(row.rows[0].archived_at, null);
    assert.equal((await t.db.query(`SELECT 1 FROM countries WHERE code = 'UG'`)).rowCount, 0);
  });

  it('returns an ETag and honours If-Match: stale → 412 and nothing changes', async () => {
    const get = await t.http.get('/api/v1/countries/KE').set(auth(tokens.hq_analyst));
    assert.equal(get.status, 200);
    assert.equal(get.headers.etag, '"1"');

    const ok = await t.http.patch('/api/v1/countries/KE').set(auth(admin)).set('If-Match', '"1"').send({ region: 'Eastern Africa' });
    assert.equal(ok.status, 200);
    assert.equal(ok.body.version, 2);
    assert.equal(ok.headers.etag, '"2"');
    assert.equal(await auditCount(t, 'KE'), 2);

    const stale = await t.http.patch('/api/v1/countries/KE').set(auth(admin)).set('If-Match', '"1"').send({ region: 'Lost update' });
    assert.equal(stale.status, 412);
    assert.equal(stale.body.currentVersion, 2);
    const row = await t.db.query(`SELECT region, version FROM countries WHERE code = 'KE'`);
    assert.deepEqual(row.rows[0], { region: 'Eastern Africa', version: 2 });
    assert.equal(await auditCount(t, 'KE'), 2);

    const malformed = await t.http.patch('/api/v1/countries/KE').set(auth(admin)).set('If-Match', 'version-2').send({ region: 'x y' });
    assert.equal(malformed.status, 400);
  });

  it('refuses null for a required field in a PATCH', async () => {
    const res = await t.http.patch('/api/v1/countries/KE').set(auth(admin)).send({ name: null });
    assert.equal(res.status, 400);
    assert.equal(res.body.errors[0].field, 'name');
  });

  it('answers an unknown or malformed code with 404', async () => {
    assert.equal((await t.http.get('/api/v1/countries/ZZ').set(auth(admin))).status, 404);
    assert.equal((await t.http.get('/api/v1/countries/not-a-code').set(auth(admin))).status, 404);
    assert.equal((await t.http.patch('/api/v1/countries/ZZ').set(auth(admin)).send({ name: 'Nowhere' })).status, 404);
  });

  it('archives on DELETE: 204, gone from lists unless includeArchived', async () => {
    const del = await t.http.delete('/api/v1/countries/KE').set(auth(admin));
    assert.equal(del.status, 204);
    assert.equal(await auditCount(t, 'KE'), 3);
    const list = await t.http.get('/api/v1/countries?limit=200').set(auth(admin));
    assert.ok(!list.body.data.some((c: { code: string }) => c.code === 'KE'));
    const withArchived = await t.http.get('/api/v1/countries?limit=200&includeArchived=true').set(auth(admin));
    const ke = withArchived.body.data.find((c: { code: string }) => c.code === 'KE');
    assert.ok(ke.archivedAt);
    const again = await t.http.delete('/api/v1/countries/KE').set(auth(admin));
    assert.equal(again.status, 204);
    assert.equal(await auditCount(t, 'KE'), 3, 'archiving twice writes nothing');
  });

  it('filters by region', async () => {
    const res = await t.http.get('/api/v1/countries?region=South%20Asia').set(auth(admin));
    assert.deepEqual(res.body.data.map((c: { code: string }) => c.code), ['NP']);
  });
});
