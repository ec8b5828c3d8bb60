import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { DataSource } from 'typeorm';
import { HousekeepingService } from '../src/common/jobs/housekeeping/housekeeping.service';
import { PURGE_TARGETS } from '../src/common/jobs/housekeeping/purge-targets';
import { startTestApp, TEST_ADMIN, TestApp } from './support/test-app';

describe('housekeeping', () => {
  let t: TestApp;
  let housekeeping: HousekeepingService;
  before(async () => {
    t = await startTestApp();
    housekeeping = new HousekeepingService(t.app.get(DataSource));
  });
  after(() => t.close());

  const insert = (createdDaysAgo: number, relayedDaysAgo: number | null) =>
    t.db.query(
      `INSERT INTO outbox_messages (id, queue, name, job_id, data, created_at, relayed_at)
       VALUES ($1, 'housekeeping', 'purge-expired', $2, '{}', now() - make_interval(days => $3::int),
               CASE WHEN $4::int IS NULL THEN NULL ELSE now() - make_interval(days => $4::int) END)
       RETURNING id`,
      [randomUUID(), `hk-${randomUUID()}`, createdDaysAgo, relayedDaysAgo],
    );

  it('deletes only relayed outbox messages older than 7 days, and is idempotent', async () => {
    await insert(10, 8); // expired
    await insert(10, 9); // expired
    const keptRecent = (await insert(6, 6)).rows[0].id;
    const keptUnrelayed = (await insert(30, null)).rows[0].id; // never relayed: must survive

    assert.deepEqual(await housekeeping.purgeExpired(), { outboxMessages: 2, idempotencyKeys: 0, refreshTokens: 0 });
    const { rows } = await t.db.query('SELECT id FROM outbox_messages ORDER BY id');
    assert.deepEqual(rows.map((r) => r.id).sort(), [keptRecent, keptUnrelayed].sort());

    assert.deepEqual(await housekeeping.purgeExpired(), { outboxMessages: 0, idempotencyKeys: 0, refreshTokens: 0 });
  });

  it('forgets idempotency keys past their retention, and expired refresh tokens', async () => {
    const key = (name: string, expiresIn: string) =>
      t.db.query(
        `INSERT INTO idempotency_keys (principal_key, key, request_hash, state, claim_token, lease_until, created_at, expires_at)
         VALUES ('user:x', $1::text, repeat('0', 64), 'completed', gen_random_uuid(), now(), now(), now() + $2::interval)`,
        [name, expiresIn],
      );
    await key('expired', '-1 hour');
    await key('live', '1 hour');
    const login = await t.http.post('/api/v1/auth/login').send({ email: TEST_ADMIN.email, password: TEST_ADMIN.password });
    assert.equal(login.status, 200);
    await t.db.query(`UPDATE refresh_tokens SET expires_at = now() - interval '1 minute'`);
    const tokens = Number((await t.db.query('SELECT count(*) FROM refresh_tokens')).rows[0].count);
    assert.ok(tokens >= 1);

    assert.deepEqual(await housekeeping.purgeExpired(), { outboxMessages: 0, idempotencyKeys: 1, refreshTokens: tokens });
    assert.deepEqual((await t.db.query('SELECT key FROM idempotency_keys')).rows, [{ key: 'live' }]);
    assert.equal((await t.http.post('/api/v1/auth/refresh').send({ refreshToken: login.body.refreshToken })).status, 401);
  });

  it('has well-formed purge targets', () => {
    assert.ok(PURGE_TARGETS.length >= 1);
    for (const target of PURGE_TARGETS) {
      assert.match(target.table, /^[a-z_][a-z0-9_]*$/);
      assert.doesNotMatch(target.expiredWhere, /;/);
    }
    assert.equal(new Set(PURGE_TARGETS.map((p) => p.name)).size, PURGE_TARGETS.length);
  });
});
