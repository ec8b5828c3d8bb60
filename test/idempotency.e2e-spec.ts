import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { requestHash } from '../src/common/idempotency/idempotency.service';
import { adminToken, createUser } from './support/auth';
import { startTestApp, TestApp } from './support/test-app';

describe('Idempotency-Key on POST', () => {
  let t: TestApp;
  let admin: string;
  let otherAdmin: string;

  before(async () => {
    t = await startTestApp();
    admin = await adminToken(t);
    otherAdmin = (await createUser(t, admin, { role: 'admin' })).token;
  });
  after(() => t.close());

  const post = (token: string, key: string, body: object) =>
    t.http.post('/api/v1/countries').set('Authorization', `Bearer ${token}`).set('Idempotency-Key', key).send(body);
  const countriesNamed = async (name: string) => Number((await t.db.query('SELECT count(*) FROM countries WHERE name = $1', [name])).rows[0].count);

  it('replays the first response for the same key and body, and creates nothing new', async () => {
    const body = { code: 'KE', name: 'Kenya', region: 'East Africa' };
    const first = await post(admin, 'key-replay-1', body);
    assert.equal(first.status, 201);
    const second = await post(admin, 'key-replay-1', body);
    assert.equal(second.status, 201);
    assert.deepEqual(second.body, first.body);
    assert.equal(second.headers.location, first.headers.location);
    assert.equal(second.headers['idempotent-replayed'], 'true');
    assert.equal(await countriesNamed('Kenya'), 1);
    const audits = await t.db.query(`SELECT count(*) FROM audit_events WHERE entity = 'country' AND entity_id = 'KE'`);
    assert.equal(Number(audits.rows[0].count), 1);
  });

  it('answers the same key with a different body with 422 and writes nothing', async () => {
    const res = await post(admin, 'key-replay-1', { code: 'UG', name: 'Uganda', region: 'East Africa' });
    assert.equal(res.status, 422);
    assert.equal(res.body.type, 'urn:jsd:problem:idempotency-key-reuse');
    assert.equal(await countriesNamed('Uganda'), 0);
  });

  it('scopes keys to the caller: another user with the same key is not replayed', async () => {
    const res = await post(otherAdmin, 'key-replay-1', { code: 'UG', name: 'Uganda', region: 'East Africa' });
    assert.equal(res.status, 201);
    assert.equal(res.body.code, 'UG');
  });

  it('does not store validation failures, so a corrected retry can reuse the key', async () => {
    const bad = await post(admin, 'key-corrected', { code: 'rw', name: 'Rwanda', region: 'East Africa' });
    assert.equal(bad.status, 400);
    const good = await post(admin, 'key-corrected', { code: 'RW', name: 'Rwanda', region: 'East Africa' });
    assert.equal(good.status, 201);
    assert.equal(await countriesNamed('Rwanda'), 1);
  });

  it('creates exactly one record when requests with one key race', async () => {
    const body = { code: 'ET', name: 'Ethiopia', region: 'East Africa' };
    const results = await Promise.all(Array.from({ length: 8 }, () => post(admin, 'key-race', body)));
    const statuses = results.map((r) => r.status);
    assert.ok(statuses.includes(201), `one succeeds: ${statuses}`);
    assert.ok(statuses.every((s) => s === 201 || s === 409), `others replay or see 409: ${statuses}`);
    for (const r of results.filter((r) => r.status === 409)) assert.equal(r.body.type, 'urn:jsd:problem:idempotency-in-progress');
    assert.equal(await countriesNamed('Ethiopia'), 1);
    const ids = new Set(results.filter((r) => r.status === 201).map((r) => r.body.code));
    assert.deepEqual([...ids], ['ET']);
  });

  it('marks the key committed in the transaction of the write', async () => {
    const row = await t.db.query(`SELECT state, response_status FROM idempotency_keys WHERE key = 'key-race'`);
    assert.deepEqual(row.rows[0], { state: 'completed', response_status: 201 });
  });

  it('answers a retry whose first attempt committed but lost its response with 409, never a duplicate', async () => {
    // What a crash between commit and storing the response leaves behind.
    await t.db.query(
      `UPDATE idempotency_keys SET state = 'committed', response_status = NULL, response_body = NULL, lease_until = now() - interval '1 hour' WHERE key = 'key-race'`,
    );
    const res = await post(admin, 'key-race', { code: 'ET', name: 'Ethiopia', region: 'East Africa' });
    assert.equal(res.status, 409);
    assert.equal(res.body.type, 'urn:jsd:problem:idempotency-response-lost');
    assert.equal(await countriesNamed('Ethiopia'), 1);
  });

  it('lets a retry take over a key whose first attempt died before committing', async () => {
    const body = { code: 'SO', name: 'Somalia', region: 'East Africa' };
    await t.db.query(
      `INSERT INTO idempotency_keys (principal_key, key, request_hash, state, claim_token, lease_until, created_at, expires_at)
       SELECT principal_key, 'key-abandoned', $1, 'in_progress', gen_random_uuid(), now() - interval '1 minute', now(), now() + interval '1 day'
       FROM idempotency_keys WHERE key = 'key-corrected'`,
      [await hashOf(body)],
    );
    const res = await post(admin, 'key-abandoned', body);
    assert.equal(res.status, 201);
    assert.equal(await countriesNamed('Somalia'), 1);
  });

  it('rejects a key longer than 255 characters', async () => {
    const res = await post(admin, 'k'.repeat(256), { code: 'DJ', name: 'Djibouti', region: 'East Africa' });
    assert.equal(res.status, 400);
    assert.equal(res.body.errors[0].field, 'Idempotency-Key');
    assert.equal(await countriesNamed('Djibouti'), 0);
  });

  async function hashOf(body: object): Promise<string> {
    return requestHash('POST', '/api/v1/countries', body);
  }
});
