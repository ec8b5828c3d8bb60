import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { PoolClient } from 'pg';
import type { Response } from 'supertest';
import { adminToken, createUser, TestUser } from '../support/auth';
import { insertNetwork, insertParticipant } from '../support/fixtures';
import { participantBody } from '../support/people';
import { startTestApp, TestApp } from '../support/test-app';
import { openSessionText } from '../../src/field-work/session-text';
import { testCipher } from '../support/sealed';

/**
 * An Idempotency-Key belongs to its caller and key alone. The request id a client sends
 * (X-Request-Id) used to decide which in-progress key a write committed: a caller sending another
 * caller's request id on its own failing POSTs got its keys committed with the other caller's
 * response, and could make another caller's in-flight key look committed with its own.
 *
 * POST /participants is held inside its write's transaction, after the claim, by a trigger that
 * waits for an advisory lock the test holds: the key is in progress for exactly as long as the
 * test needs, without a stub.
 */
const HOLD_LOCK = 770_701;
const FAIL_MARK = 'fail on purpose';

describe('Idempotency-Key ownership: the request id never finds or settles a key', () => {
  let t: TestApp;
  let victim: TestUser;
  let attacker: TestUser;
  let network: string;
  let participant: string;

  const auth = (u: TestUser) => ({ Authorization: `Bearer ${u.token}` });
  const principalOf = (u: TestUser) => `user:${u.id}`;
  const sessionBody = (title: string) => ({ networkId: network, title, kind: 'dialogue', heldOn: '2016-07-14', attendance: [{ participantId: participant, role: 'attendee' }] });
  // Passes validation, fails in the service after the key was claimed (404: no such participant).
  const failingSessionBody = (title: string) => ({ ...sessionBody(title), attendance: [{ participantId: randomUUID(), role: 'attendee' }] });
  const post = (u: TestUser, path: string, key: string, requestId: string, body: object) =>
    t.http.post(`/api/v1${path}`).set(auth(u)).set('Idempotency-Key', key).set('X-Request-Id', requestId).send(body);
  const keyRow = async (u: TestUser, key: string) =>
    (await t.db.query(`SELECT state, response_status, response_location FROM idempotency_keys WHERE principal_key = $1 AND key = $2`, [principalOf(u), key])).rows[0] as
      | { state: string; response_status: number | null; response_location: string | null }
      | undefined;

  before(async () => {
    t = await startTestApp();
    const admin = await adminToken(t);
    victim = await createUser(t, admin, { role: 'country_staff', countryCodes: ['NP'] });
    attacker = await createUser(t, admin, { role: 'country_staff', countryCodes: ['NP'] });
    network = await insertNetwork(t.db, { countryCode: 'NP' });
    participant = await insertParticipant(t.db, { countryCode: 'NP' });
    await t.db.query(`CREATE FUNCTION test_hold_participant() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        PERFORM pg_advisory_xact_lock(${HOLD_LOCK});
        IF NEW.affiliation = '${FAIL_MARK}' THEN RAISE EXCEPTION 'failing on purpose'; END IF;
        RETURN NEW;
      END $$`);
    await t.db.query('CREATE TRIGGER test_hold_participant BEFORE INSERT ON participants FOR EACH ROW EXECUTE FUNCTION test_hold_participant()');
  });
  after(() => t.close());

  /** Holds every POST /participants in its transaction until release(); resolves once `waiting` requests wait. */
  async function holdParticipants(): Promise<{ waitFor(waiting: number): Promise<void>; release(): Promise<void> }> {
    const client: PoolClient = await t.db.connect();
    await client.query('SELECT pg_advisory_lock($1)', [HOLD_LOCK]);
    return {
      async waitFor(waiting) {
        for (let i = 0; i < 500; i++) {
          const { rows } = await t.db.query(`SELECT count(*)::int AS n FROM pg_locks WHERE locktype = 'advisory' AND objid = $1 AND NOT granted`, [HOLD_LOCK]);
          if (rows[0].n >= waiting) return;
          await new Promise((resolve) => setTimeout(resolve, 10));
        }
        throw new Error('the held request never reached its write');
      },
      async release() {
        await client.query('SELECT pg_advisory_unlock($1)', [HOLD_LOCK]);
        client.release();
      },
    };
  }

  it('a caller sending another caller\'s request id on its own failing POST never gets that caller\'s response under its key', async () => {
    const requestId = `shared-req-${randomUUID()}`;
    const failing = participantBody({ affiliation: FAIL_MARK });
    const hold = await holdParticipants();
    // The attacker's POST claims its key and then waits inside its write, holding the key in progress.
    const attackerPending = post(attacker, '/participants', 'idem-shared-1', requestId, failing).then((r) => r);
    let victimSession: Response;
    let victimSync: Response;
    try {
      await hold.waitFor(1);
      // The victim's writes, with the same request id, commit meanwhile: one stores its answer in
      // its own statement (POST /sessions), one through the audit record (POST /sync). The first
      // uses the attacker's key string too.
      victimSession = await post(victim, '/sessions', 'idem-shared-1', requestId, sessionBody('Victim session under a shared request id'));
      victimSync = await post(victim, '/sync', 'idem-victim-sync-1', requestId, {
        operations: [{ clientId: randomUUID(), resource: 'sessions', method: 'POST', body: sessionBody('Victim sync under a shared request id') }],
      });
      assert.equal(victimSession.status, 201, JSON.stringify(victimSession.body));
      assert.equal(victimSync.status, 200, JSON.stringify(victimSync.body));
      assert.deepEqual(await keyRow(attacker, 'idem-shared-1'), { state: 'in_progress', response_status: null, response_location: null }, 'the victim\'s commit left the attacker\'s key alone');
    } finally {
      await hold.release();
    }
    const attackerFailed = await attackerPending;
    assert.equal(attackerFailed.status, 500);
    assert.equal(await keyRow(attacker, 'idem-shared-1'), undefined, 'the failed request released its own key');

    // Replaying the key runs the request again (it fails again): never the victim's session.
    const replay = await post(attacker, '/participants', 'idem-shared-1', `other-req-${randomUUID()}`, failing);
    assert.equal(replay.status, 500);
    assert.equal(replay.headers['idempotent-replayed'], undefined);
    assert.ok(!JSON.stringify(replay.body).includes(victimSession.body.id));

    // The victim's keys still replay the victim's own answers.
    const victimReplay = await post(victim, '/sessions', 'idem-shared-1', requestId, sessionBody('Victim session under a shared request id'));
    assert.equal(victimReplay.headers['idempotent-replayed'], 'true');
    assert.deepEqual(victimReplay.body, victimSession.body);
    assert.deepEqual(await keyRow(victim, 'idem-shared-1'), { state: 'completed', response_status: 201, response_location: victimSession.headers.location });
    assert.equal((await keyRow(victim, 'idem-victim-sync-1'))?.state, 'completed');
  });

  it('a caller cannot make another caller\'s in-flight key look committed, nor fill it with its own answer', async () => {
    const requestId = `inflight-req-${randomUUID()}`;
    const body = participantBody({ affiliation: 'Local radio' });
    const hold = await holdParticipants();
    const victimPending = post(victim, '/participants', 'idem-inflight-1', requestId, body).then((r) => r);
    let attackerSessions: Response[];
    try {
      await hold.waitFor(1);
      attackerSessions = [
        await post(attacker, '/sessions', 'idem-inflight-1', requestId, sessionBody('Attacker session A')),
        await post(attacker, '/sessions', 'idem-attacker-2', requestId, sessionBody('Attacker session B')),
        await post(attacker, '/sync', 'idem-attacker-3', requestId, {
          operations: [{ clientId: randomUUID(), resource: 'sessions', method: 'POST', body: sessionBody('Attacker sync') }],
        }),
      ];
      assert.deepEqual(attackerSessions.map((r) => r.status), [201, 201, 200]);
      assert.deepEqual(await keyRow(victim, 'idem-inflight-1'), { state: 'in_progress', response_status: null, response_location: null });
      // A retry by the victim meanwhile is told to wait, not handed the attacker's session.
      const retry = await post(victim, '/participants', 'idem-inflight-1', `retry-req-${randomUUID()}`, body);
      assert.equal(retry.status, 409);
      assert.equal(retry.body.type, 'urn:jsd:problem:idempotency-in-progress');
    } finally {
      await hold.release();
    }
    const created = await victimPending;
    assert.equal(created.status, 201, JSON.stringify(created.body));
    const replay = await post(victim, '/participants', 'idem-inflight-1', requestId, body);
    assert.equal(replay.headers['idempotent-replayed'], 'true');
    assert.deepEqual(replay.body, created.body);
    assert.deepEqual(await keyRow(victim, 'idem-inflight-1'), { state: 'completed', response_status: 201, response_location: created.headers.location });
    assert.equal((await keyRow(attacker, 'idem-inflight-1'))?.response_location, attackerSessions[0].headers.location);
  });

  it('two callers sharing every request id, one failing and one succeeding, concurrently: no cross-over either way', async () => {
    const rounds = Array.from({ length: 40 }, (_, i) => ({
      requestId: `storm-req-${i}-${randomUUID().slice(0, 8)}`,
      succeedingKey: `storm-${i}`,
      // Half the rounds use the same key string for both callers.
      failingKey: i % 2 === 0 ? `storm-${i}` : `storm-failing-${i}`,
      title: `Storm session ${i}`,
    }));
    const answers = await runConcurrently(rounds.flatMap((r) => [
      () => post(victim, '/sessions', r.succeedingKey, r.requestId, sessionBody(r.title)),
      () => post(attacker, '/sessions', r.failingKey, r.requestId, failingSessionBody(r.title)),
    ]), 8);
    for (let i = 0; i < rounds.length; i++) {
      assert.equal(answers[2 * i].status, 201, JSON.stringify(answers[2 * i].body));
      assert.equal(answers[2 * i + 1].status, 404, JSON.stringify(answers[2 * i + 1].body));
    }
    const attackerKeys = await t.db.query(`SELECT key, state FROM idempotency_keys WHERE principal_key = $1 AND key LIKE 'storm-%'`, [principalOf(attacker)]);
    assert.deepEqual(attackerKeys.rows, [], 'every failing key was released, none committed by the other caller\'s writes');
    const replays = await runConcurrently(rounds.flatMap((r, i) => [
      async () => {
        const res = await post(victim, '/sessions', r.succeedingKey, `later-${randomUUID()}`, sessionBody(r.title));
        assert.equal(res.headers['idempotent-replayed'], 'true');
        assert.deepEqual(res.body, answers[2 * i].body, 'the victim\'s own first answer');
        return res;
      },
      async () => {
        const res = await post(attacker, '/sessions', r.failingKey, r.requestId, failingSessionBody(r.title));
        assert.equal(res.status, 404, 'run again, never replayed from the other caller');
        assert.equal(res.headers['idempotent-replayed'], undefined);
        return res;
      },
    ]), 8);
    assert.equal(replays.length, 2 * rounds.length);
    // Titles are stored encrypted: read each key's session and compare its title in clear.
    const victimKeys = await t.db.query<{ key: string; text_enc: string }>(
      `SELECT k.key, s.text_enc FROM idempotency_keys k JOIN sessions s ON k.response_location = '/api/v1/sessions/' || s.id
        WHERE k.principal_key = $1 AND k.key LIKE 'storm-%' AND k.state = 'completed'`,
      [principalOf(victim)],
    );
    const matching = victimKeys.rows.filter((r) => openSessionText(testCipher(), r.text_enc).title === `Storm session ${r.key.slice(6)}`).length;
    assert.equal(matching, rounds.length, 'each of the victim\'s keys holds the session that key created');
  });
});

async function runConcurrently<T>(tasks: (() => Promise<T>)[], width: number): Promise<T[]> {
  const results: T[] = new Array(tasks.length);
  let next = 0;
  await Promise.all(Array.from({ length: width }, async () => {
    while (next < tasks.length) {
      const i = next++;
      results[i] = await tasks[i]();
    }
  }));
  return results;
}
