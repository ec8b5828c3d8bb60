import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { BootstrapAdminService } from '../src/auth/bootstrap-admin.service';
import { adminToken, auditCount, createApiKey, createUser, login, TestUser } from './support/auth';
import { startTestApp, TEST_ADMIN, TestApp } from './support/test-app';

describe('users', () => {
  let t: TestApp;
  let admin: string;
  const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });
  const newUser = (extra: Record<string, unknown> = {}) => ({
    email: `user-${randomUUID().slice(0, 8)}@test.local`,
    password: 'a-long-enough-password',
    displayName: 'Someone',
    role: 'hq_analyst',
    ...extra,
  });

  before(async () => {
    t = await startTestApp();
    admin = await adminToken(t);
  });
  after(() => t.close());

  describe('who may call /users', () => {
    let analyst: TestUser;
    let staff: TestUser;
    let partner: TestUser;
    before(async () => {
      analyst = await createUser(t, admin, { role: 'hq_analyst' });
      staff = await createUser(t, admin, { role: 'country_staff', countryCodes: ['NP'] });
      partner = await createUser(t, admin, { role: 'partner', partnerId: randomUUID() });
    });

    for (const who of ['analyst', 'staff', 'partner'] as const) {
      it(`refuses ${who} with 403 on every users route`, async () => {
        const token = { analyst, staff, partner }[who].token;
        const id = analyst.id;
        for (const res of [
          await t.http.get('/api/v1/users').set(bearer(token)),
          await t.http.get(`/api/v1/users/${id}`).set(bearer(token)),
          await t.http.post('/api/v1/users').set(bearer(token)).send(newUser()),
          await t.http.patch(`/api/v1/users/${id}`).set(bearer(token)).send({ displayName: 'x' }),
        ]) {
          assert.equal(res.status, 403);
          assert.match(res.headers['content-type'], /^application\/problem\+json/);
        }
      });
    }

    it('refuses anonymous callers with 401', async () => {
      assert.equal((await t.http.get('/api/v1/users')).status, 401);
      assert.equal((await t.http.post('/api/v1/users').send(newUser())).status, 401);
    });

    it('lets every role read /auth/me with its own scope', async () => {
      const me = await t.http.get('/api/v1/auth/me').set(bearer(staff.token));
      assert.equal(me.body.role, 'country_staff');
      assert.deepEqual(me.body.countryCodes, ['NP']);
      const p = await t.http.get('/api/v1/auth/me').set(bearer(partner.token));
      assert.equal(p.body.role, 'partner');
      assert.match(p.body.partnerId, /^[0-9a-f-]{36}$/);
    });
  });

  it('creates a user: 201, Location, no password hash, one audit row without secrets', async () => {
    const before = await auditCount(t);
    const body = newUser({ email: 'Mixed.Case@Test.Local', role: 'country_staff', countryCodes: ['NP', 'IQ'] });
    const res = await t.http.post('/api/v1/users').set(bearer(admin)).send(body);
    assert.equal(res.status, 201);
    assert.equal(res.headers.location, `/api/v1/users/${res.body.id}`);
    assert.equal(res.body.email, 'mixed.case@test.local');
    assert.deepEqual(res.body.countryCodes, ['IQ', 'NP']);
    assert.equal(res.body.version, 1);
    assert.equal(res.headers.etag, '"1"');
    const text = JSON.stringify(res.body);
    assert.ok(!/password|hash/i.test(text), text);
    assert.equal(await auditCount(t), before + 1);
    const { rows } = await t.db.query(`SELECT action, entity, entity_id, actor_kind, changes::text AS changes FROM audit_events ORDER BY seq DESC LIMIT 1`);
    assert.equal(rows[0].action, 'create');
    assert.equal(rows[0].entity, 'user');
    assert.equal(rows[0].entity_id, res.body.id);
    assert.ok(!rows[0].changes.includes(body.password));
    assert.ok(!rows[0].changes.includes('$argon2'));
    const stored = await t.db.query('SELECT password_hash FROM users WHERE id = $1', [res.body.id]);
    assert.match(stored.rows[0].password_hash, /^\$argon2id\$/);
    const got = await t.http.get(res.headers.location).set(bearer(admin));
    assert.equal(got.status, 200);
    assert.equal(got.headers.etag, '"1"');
    assert.deepEqual(got.body, res.body);
  });

  it('answers a duplicate email (any case) with 409 and writes nothing', async () => {
    const body = newUser();
    await t.http.post('/api/v1/users').set(bearer(admin)).send(body).expect(201);
    const before = await auditCount(t);
    const res = await t.http.post('/api/v1/users').set(bearer(admin)).send({ ...body, email: body.email.toUpperCase() });
    assert.equal(res.status, 409);
    assert.match(res.headers['content-type'], /^application\/problem\+json/);
    assert.equal(await auditCount(t), before);
  });

  it('validates fields and role scope with a problem listing each field', async () => {
    const cases: [Record<string, unknown>, string][] = [
      [newUser({ email: 'not-an-email' }), 'email'],
      [newUser({ password: 'short' }), 'password'],
      [newUser({ role: 'superuser' }), 'role'],
      [newUser({ role: 'country_staff' }), 'countryCodes'],
      [newUser({ role: 'country_staff', countryCodes: ['Nepal'] }), 'countryCodes'],
      [newUser({ role: 'country_staff', countryCodes: ['np'] }), 'countryCodes'],
      [newUser({ role: 'partner' }), 'partnerId'],
      [newUser({ role: 'partner', partnerId: 'nope' }), 'partnerId'],
      [newUser({ role: 'hq_analyst', countryCodes: ['NP'] }), 'countryCodes'],
      [newUser({ role: 'admin', partnerId: randomUUID() }), 'partnerId'],
      [newUser({ isSuperuser: true }), 'isSuperuser'],
      [newUser({ passwordHash: '$argon2id$...' }), 'passwordHash'],
    ];
    const before = await auditCount(t);
    for (const [body, field] of cases) {
      const res = await t.http.post('/api/v1/users').set(bearer(admin)).send(body);
      assert.equal(res.status, 400, `${field}: ${JSON.stringify(res.body)}`);
      assert.equal(res.body.type, 'urn:jsd:problem:validation');
      assert.ok(Array.isArray(res.body.errors));
      for (const e of res.body.errors) assert.deepEqual(Object.keys(e).sort(), ['field', 'message']);
      assert.ok(res.body.errors.some((e: { field: string }) => e.field === field), `${field}: ${JSON.stringify(res.body.errors)}`);
    }
    assert.equal(await auditCount(t), before);
  });

  it('answers a malformed id with 400 and an unknown one with 404', async () => {
    assert.equal((await t.http.get('/api/v1/users/not-a-uuid').set(bearer(admin))).status, 400);
    const missing = await t.http.get(`/api/v1/users/${randomUUID()}`).set(bearer(admin));
    assert.equal(missing.status, 404);
    assert.match(missing.headers['content-type'], /^application\/problem\+json/);
  });

  it('lists with a stable cursor order and filters by role and status', async () => {
    for (let i = 0; i < 3; i++) await t.http.post('/api/v1/users').set(bearer(admin)).send(newUser({ role: 'partner', partnerId: randomUUID() })).expect(201);
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const res: { status: number; body: { data: { id: string; role: string }[]; nextCursor: string | null } } = await t.http.get('/api/v1/users').query({ role: 'partner', limit: 2, ...(cursor ? { cursor } : {}) }).set(bearer(admin));
      assert.equal(res.status, 200);
      assert.ok(res.body.data.every((u: { role: string }) => u.role === 'partner'));
      seen.push(...res.body.data.map((u: { id: string }) => u.id));
      cursor = res.body.nextCursor;
    } while (cursor);
    const { rows } = await t.db.query(`SELECT id FROM users WHERE role = 'partner' ORDER BY created_at, id`);
    assert.deepEqual(seen, rows.map((r: { id: string }) => r.id));
    const disabled = await t.http.get('/api/v1/users?status=disabled').set(bearer(admin));
    assert.ok(disabled.body.data.every((u: { status: string }) => u.status === 'disabled'));
    assert.equal((await t.http.get('/api/v1/users?limit=201').set(bearer(admin))).status, 400);
    assert.equal((await t.http.get('/api/v1/users?role=boss').set(bearer(admin))).status, 400);
    assert.equal((await t.http.get('/api/v1/users?cursor=garbage').set(bearer(admin))).status, 400);
  });

  describe('PATCH', () => {
    it('updates with If-Match, bumps the version, and leaves one audit row', async () => {
      const user = await createUser(t, admin, { role: 'hq_analyst' });
      const before = await auditCount(t);
      const res = await t.http.patch(`/api/v1/users/${user.id}`).set(bearer(admin)).set('If-Match', '"1"').send({ displayName: 'Renamed' });
      assert.equal(res.status, 200);
      assert.equal(res.body.displayName, 'Renamed');
      assert.equal(res.body.version, 2);
      assert.equal(res.headers.etag, '"2"');
      assert.equal(await auditCount(t), before + 1);
      const { rows } = await t.db.query('SELECT changes FROM audit_events ORDER BY seq DESC LIMIT 1');
      assert.deepEqual(rows[0].changes, { displayName: { from: 'Test hq_analyst', to: 'Renamed' } });
    });

    it('answers a stale If-Match with 412 and changes nothing', async () => {
      const user = await createUser(t, admin, { role: 'hq_analyst' });
      await t.http.patch(`/api/v1/users/${user.id}`).set(bearer(admin)).send({ displayName: 'First' }).expect(200);
      const before = await auditCount(t);
      const res = await t.http.patch(`/api/v1/users/${user.id}`).set(bearer(admin)).set('If-Match', '"1"').send({ displayName: 'Second', role: 'admin' });
      assert.equal(res.status, 412);
      assert.match(res.headers['content-type'], /^application\/problem\+json/);
      const { rows } = await t.db.query('SELECT display_name, role, version FROM users WHERE id = $1', [user.id]);
      assert.deepEqual(rows[0], { display_name: 'First', role: 'hq_analyst', version: 2 });
      assert.equal(await auditCount(t), before);
      assert.equal((await t.http.patch(`/api/v1/users/${user.id}`).set(bearer(admin)).set('If-Match', 'garbage').send({ displayName: 'x' })).status, 400);
    });

    it('re-hashes a new password, ends the user\'s sessions, and never audits the password', async () => {
      const user = await createUser(t, admin, { role: 'hq_analyst' });
      const session = await login(t, user.email, user.password);
      const { rows: [{ password_hash: oldHash }] } = await t.db.query('SELECT password_hash FROM users WHERE id = $1', [user.id]);
      const before = await auditCount(t);
      const newPassword = 'a-brand-new-password';
      await t.http.patch(`/api/v1/users/${user.id}`).set(bearer(admin)).send({ password: newPassword }).expect(200);
      assert.equal(await auditCount(t), before + 1);
      const { rows: [audit] } = await t.db.query('SELECT changes::text AS changes FROM audit_events ORDER BY seq DESC LIMIT 1');
      assert.ok(!audit.changes.includes(newPassword) && !audit.changes.includes('$argon2'));
      const { rows: [{ password_hash: newHash }] } = await t.db.query('SELECT password_hash FROM users WHERE id = $1', [user.id]);
      assert.notEqual(newHash, oldHash);
      assert.match(newHash, /^\$argon2id\$/);
      assert.equal((await t.http.post('/api/v1/auth/login').send({ email: user.email, password: user.password })).status, 401);
      await login(t, user.email, newPassword);
      assert.equal((await t.http.post('/api/v1/auth/refresh').send({ refreshToken: session.refreshToken })).status, 401);
      assert.equal((await t.http.get('/api/v1/auth/me').set(bearer(session.accessToken))).status, 401);
    });

    it('validates the merged role and scope, and refuses unknown fields', async () => {
      const user = await createUser(t, admin, { role: 'hq_analyst' });
      const toStaff = await t.http.patch(`/api/v1/users/${user.id}`).set(bearer(admin)).send({ role: 'country_staff' });
      assert.equal(toStaff.status, 400);
      assert.equal(toStaff.body.errors[0].field, 'countryCodes');
      const ok = await t.http.patch(`/api/v1/users/${user.id}`).set(bearer(admin)).send({ role: 'country_staff', countryCodes: ['TZ'] });
      assert.equal(ok.status, 200);
      const unknown = await t.http.patch(`/api/v1/users/${user.id}`).set(bearer(admin)).send({ failedLoginCount: 0 });
      assert.equal(unknown.status, 400);
      assert.deepEqual(unknown.body.errors, [{ field: 'failedLoginCount', message: 'is not an allowed field' }]);
    });

    it('answers a duplicate email with 409', async () => {
      const a = await createUser(t, admin, { role: 'hq_analyst' });
      const b = await createUser(t, admin, { role: 'hq_analyst' });
      const res = await t.http.patch(`/api/v1/users/${b.id}`).set(bearer(admin)).send({ email: a.email });
      assert.equal(res.status, 409);
    });

    it('refuses to demote or disable the last active admin', async () => {
      const { rows } = await t.db.query(`SELECT id FROM users WHERE email = $1`, [TEST_ADMIN.email]);
      const others = await t.db.query(`SELECT count(*)::int AS n FROM users WHERE role = 'admin' AND id <> $1`, [rows[0].id]);
      assert.equal(others.rows[0].n, 0);
      const res = await t.http.patch(`/api/v1/users/${rows[0].id}`).set(bearer(admin)).send({ status: 'disabled' });
      assert.equal(res.status, 409);
    });

    it('404s an unknown user', async () => {
      assert.equal((await t.http.patch(`/api/v1/users/${randomUUID()}`).set(bearer(admin)).send({ displayName: 'x' })).status, 404);
    });
  });

  it('lets an admin API key manage users, audited as the key', async () => {
    const key = await createApiKey(t, admin, { role: 'admin' });
    const res = await t.http.post('/api/v1/users').set('X-API-Key', key.key).send(newUser());
    assert.equal(res.status, 201);
    const { rows } = await t.db.query('SELECT actor_kind, actor_id FROM audit_events ORDER BY seq DESC LIMIT 1');
    assert.deepEqual(rows[0], { actor_kind: 'api_key', actor_id: key.id });
  });
});

describe('bootstrap admin', () => {
  let t: TestApp;
  before(async () => {
    t = await startTestApp();
  });
  after(() => t.close());

  it('was created at start-up, audited as the system', async () => {
    const { rows } = await t.db.query(
      `SELECT u.role, a.actor_kind FROM users u JOIN audit_events a ON a.entity = 'user' AND a.entity_id = u.id::text WHERE u.email = $1`,
      [TEST_ADMIN.email],
    );
    assert.deepEqual(rows, [{ role: 'admin', actor_kind: 'system' }]);
  });

  it('creates exactly one admin when several processes start at once', async () => {
    await t.db.query('DELETE FROM users');
    const service = t.app.get(BootstrapAdminService);
    const before = await auditCount(t);
    await Promise.all([service.onApplicationBootstrap(), service.onApplicationBootstrap(), service.onApplicationBootstrap()]);
    const { rows } = await t.db.query(`SELECT email FROM users WHERE role = 'admin'`);
    assert.deepEqual(rows, [{ email: TEST_ADMIN.email }]);
    assert.equal(await auditCount(t), before + 1);
    await service.onApplicationBootstrap();
    assert.equal(await auditCount(t), before + 1);
  });
});
