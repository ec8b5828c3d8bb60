import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { adminToken, auditCount, createUser } from './support/auth';
import { insertNetwork, insertPartner, insertParticipant } from './support/fixtures';
import { cipherOf, storedSessionText } from './support/free-text';
import { openSessionText } from '../src/field-work/session-text';
import { startTestApp, TestApp } from './support/test-app';

const auth = (token: string) => ({ Authorization: `Bearer ${token}` });

interface Result { clientId: string; status: number; id?: string; replayed?: boolean; problem?: { type: string; status: number; detail: string; errors?: { field: string }[] }; current?: Record<string, unknown> }

describe('POST /sync', () => {
  let t: TestApp;
  let admin: string;
  let staff: string;
  let analyst: string;
  let partnerUser: string;
  let network: string;
  let otherNetwork: string;
  let participant: string;

  const sync = (token: string, operations: object[]) => t.http.post('/api/v1/sync').set(auth(token)).send({ operations });
  const count = async (sql: string, params: unknown[] = []) => Number((await t.db.query(sql, params)).rows[0].count);
  /** Sessions whose (encrypted) title passes `test`. */
  const countTitled = async (test: (title: string) => boolean) => {
    const { rows } = await t.db.query<{ text_enc: string }>('SELECT text_enc FROM sessions');
    return rows.filter((r) => test(openSessionText(cipherOf(t), r.text_enc).title)).length;
  };
  const createOp = (title: string, extra: Record<string, unknown> = {}) => ({
    clientId: randomUUID(), resource: 'sessions', method: 'POST',
    body: { networkId: network, title, kind: 'dialogue', heldOn: '2016-08-02', ...extra },
  });

  before(async () => {
    t = await startTestApp();
    admin = await adminToken(t);
    network = await insertNetwork(t.db, { countryCode: 'NP' });
    otherNetwork = await insertNetwork(t.db, { countryCode: 'NP' });
    const partner = await insertPartner(t.db, { countryCode: 'NP', networkIds: [network] });
    participant = await insertParticipant(t.db, { countryCode: 'NP' });
    staff = (await createUser(t, admin, { role: 'country_staff', countryCodes: ['NP'] })).token;
    analyst = (await createUser(t, admin, { role: 'hq_analyst' })).token;
    partnerUser = (await createUser(t, admin, { role: 'partner', partnerId: partner })).token;
  });
  after(() => t.close());

  it('applies each operation once however often the batch is retried (three retries)', async () => {
    const ops = [
      createOp('Offline dialogue A', { attendance: [{ participantId: participant, role: 'attendee' }], actionPoints: [{ description: 'Follow up' }] }),
      createOp('Offline dialogue B'),
    ];
    const audits = await auditCount(t);
    const first = await sync(staff, ops);
    assert.equal(first.status, 200, JSON.stringify(first.body));
    const results: Result[] = first.body.results;
    assert.deepEqual(results.map((r) => [r.clientId, r.status]), ops.map((o) => [o.clientId, 201]));
    for (let i = 0; i < 3; i++) {
      const retry = await sync(staff, ops);
      assert.equal(retry.status, 200);
      assert.deepEqual(retry.body.results, results.map((r) => ({ clientId: r.clientId, status: 201, id: r.id, replayed: true })));
    }
    assert.equal(await countTitled((title) => title.startsWith('Offline dialogue ')), 2);
    assert.equal(await count('SELECT count(*) FROM session_attendance WHERE session_id = $1', [results[0].id]), 1);
    assert.equal(await count('SELECT count(*) FROM action_points WHERE session_id = $1', [results[0].id]), 1);
    assert.equal(await auditCount(t), audits + 2, 'one audit row per applied operation');
    assert.equal(await count('SELECT count(*) FROM sync_operations'), 2);
  });

  it('applies an operation once when two uploads of one batch race', async () => {
    const ops = [createOp('Raced upload')];
    const [a, b] = await Promise.all([sync(staff, ops), sync(staff, ops)]);
    assert.deepEqual([a.status, b.status], [200, 200]);
    assert.equal(a.body.results[0].id, b.body.results[0].id);
    assert.equal(await countTitled((title) => title === 'Raced upload'), 1);
  });

  it('applies the good operations of a batch with bad ones, answering each in input order', async () => {
    const good1 = createOp('Good before');
    const invalid = createOp('Bad body', { heldOn: '2016-02-30', mood: 'tense' });
    const hidden = createOp('Network not visible', { networkId: '00000000-0000-4000-8000-000000000042' });
    const noConsentId = await insertParticipant(t.db, { countryCode: 'NP', consentGiven: false });
    const noConsent = createOp('No consent', { attendance: [{ participantId: noConsentId, role: 'attendee' }] });
    const unsupported = { clientId: randomUUID(), resource: 'disputes', method: 'POST', body: {} };
    const good2 = createOp('Good after');
    const audits = await auditCount(t);
    const res = await sync(staff, [good1, invalid, hidden, noConsent, unsupported, good2]);
    assert.equal(res.status, 200);
    const results: Result[] = res.body.results;
    assert.deepEqual(results.map((r) => r.status), [201, 400, 404, 409, 400, 201]);
    assert.deepEqual(results.map((r) => r.clientId), [good1, invalid, hidden, noConsent, unsupported, good2].map((o) => o.clientId));
    assert.deepEqual(results[1].problem!.errors!.map((e) => e.field).sort(), ['body.heldOn', 'body.mood']);
    assert.equal(results[2].problem!.errors![0].field, 'body.networkId');
    assert.equal(results[3].problem!.errors![0].field, 'body.attendance[0].participantId');
    assert.match(results[3].problem!.detail, /consent/);
    assert.equal(await countTitled((title) => ['Good before', 'Good after'].includes(title)), 2);
    assert.equal(await countTitled((title) => ['Bad body', 'Network not visible', 'No consent'].includes(title)), 0);
    assert.equal(await auditCount(t), audits + 2);
    // Refusals are not stored: once fixed, the same operation goes through.
    await t.db.query('UPDATE participants SET consent_given = true WHERE id = $1', [noConsentId]);
    const retry = await sync(staff, [noConsent]);
    assert.equal(retry.body.results[0].status, 201);
  });

  it('reports an offline update based on a stale version as a conflict with the current record, never applied', async () => {
    const created = (await sync(staff, [createOp('Edited in two places', { actionPoints: [{ description: 'Ask the mayor' }] })])).body.results[0] as Result;
    const online = await t.http.patch(`/api/v1/sessions/${created.id}`).set(auth(staff)).set('If-Match', '"1"').send({ title: 'Edited online first' });
    assert.equal(online.status, 200);
    const audits = await auditCount(t);
    const stale = { clientId: randomUUID(), resource: 'sessions', method: 'PATCH', id: created.id, version: 1, body: { title: 'Edited offline' } };
    const res = await sync(staff, [stale]);
    const result: Result = res.body.results[0];
    assert.equal(result.status, 409);
    assert.equal(result.problem!.type, 'urn:jsd:problem:sync-conflict');
    assert.equal(result.current!.title, 'Edited online first');
    assert.equal(result.current!.version, 2);
    assert.equal((await storedSessionText(t, created.id!)).title, 'Edited online first');
    assert.equal(await auditCount(t), audits);

    const current = { ...stale, clientId: randomUUID(), version: 2 };
    const ok = (await sync(staff, [current])).body.results[0] as Result;
    assert.deepEqual([ok.status, ok.id], [200, created.id]);
    assert.equal((await storedSessionText(t, created.id!)).title, 'Edited offline');
    assert.equal(await auditCount(t), audits + 1);

    const session = await t.http.get(`/api/v1/sessions/${created.id}`).set(auth(staff));
    const apId = session.body.actionPoints[0].id;
    const apOps = [
      { clientId: randomUUID(), resource: 'action-points', method: 'PATCH', id: apId, version: 1, body: { status: 'done' } },
      { clientId: randomUUID(), resource: 'action-points', method: 'PATCH', id: apId, version: 1, body: { status: 'dropped' } },
    ];
    const ap = (await sync(staff, apOps)).body.results as Result[];
    assert.deepEqual(ap.map((r) => r.status), [200, 409]);
    assert.equal(ap[1].current!.status, 'done');
    assert.equal((await t.db.query('SELECT status, version FROM action_points WHERE id = $1', [apId])).rows[0].status, 'done');
  });

  it('requires id and version for updates and refuses them for creates', async () => {
    const res = await sync(staff, [
      { clientId: randomUUID(), resource: 'sessions', method: 'PATCH', body: { title: 'x' } },
      { ...createOp('With id'), id: randomUUID(), version: 1 },
    ]);
    const results: Result[] = res.body.results;
    assert.deepEqual(results.map((r) => r.status), [400, 400]);
    assert.deepEqual(results[0].problem!.errors!.map((e) => e.field), ['id', 'version']);
    assert.deepEqual(results[1].problem!.errors!.map((e) => e.field), ['id', 'version']);
  });

  it('refuses a clientId reused for a different operation (422)', async () => {
    const op = createOp('First use');
    assert.equal((await sync(staff, [op])).body.results[0].status, 201);
    const reused = await sync(staff, [{ ...op, body: { ...op.body, title: 'Second use' } }]);
    assert.equal(reused.body.results[0].status, 422);
    assert.equal(await countTitled((title) => title === 'Second use'), 0);
  });

  it('keeps each caller\'s clientIds apart', async () => {
    const op = createOp('Same clientId, two callers');
    assert.equal((await sync(staff, [op])).body.results[0].status, 201);
    assert.equal((await sync(admin, [op])).body.results[0].status, 201);
    assert.equal(await countTitled((title) => title === 'Same clientId, two callers'), 2);
  });

  it('applies the caller\'s scope per operation and refuses hq_analyst', async () => {
    const res = await sync(partnerUser, [createOp('Partner own network'), createOp('Partner other network', { networkId: otherNetwork })]);
    assert.deepEqual(res.body.results.map((r: Result) => r.status), [201, 404]);
    const hq = await sync(analyst, [createOp('Analyst')]);
    assert.equal(hq.status, 403);
    assert.equal(await countTitled((title) => ['Partner other network', 'Analyst'].includes(title)), 0);
  });

  it('replays a whole batch sent again with the same Idempotency-Key', async () => {
    const ops = [createOp('Batch under a key')];
    const send = () => t.http.post('/api/v1/sync').set(auth(staff)).set('Idempotency-Key', 'sync-batch-1').send({ operations: ops });
    const first = await send();
    const second = await send();
    assert.deepEqual([first.status, second.status], [200, 200]);
    assert.deepEqual(second.body, first.body);
    assert.equal(second.headers['idempotent-replayed'], 'true');
    assert.equal(await countTitled((title) => title === 'Batch under a key'), 1);
    assert.equal((await t.db.query(`SELECT state FROM idempotency_keys WHERE key = 'sync-batch-1'`)).rows[0].state, 'completed');
  });

  it('validates the batch: at most 500 operations, unique clientIds, known methods', async () => {
    const tooMany = await sync(staff, Array.from({ length: 501 }, () => createOp('x')));
    assert.equal(tooMany.status, 400);
    const op = createOp('dup');
    const dup = await sync(staff, [op, op]);
    assert.equal(dup.status, 400);
    const bad = await sync(staff, [{ clientId: 'not-a-uuid', resource: 'sessions', method: 'DELETE', body: {} }]);
    assert.equal(bad.status, 400);
    assert.deepEqual(bad.body.errors.map((e: { field: string }) => e.field).sort(), ['operations[0].clientId', 'operations[0].method']);
    assert.equal(await countTitled((title) => ['x', 'dup'].includes(title)), 0);
  });
});
