import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { adminToken, auditCount, createUser } from './support/auth';
import { auth, createDispute, disputeBody, DISPUTES, payloadFor } from './support/disputes';
import { insertNetwork, insertPartner } from './support/fixtures';
import { startTestApp, TestApp } from './support/test-app';

/** Every path through the workflow of api.md, each ending in a final status. */
const PATHS = [
  ['in_mediation', 'resolved', 'closed'],
  ['in_mediation', 'referred', 'closed'],
  ['in_mediation', 'withdrawn', 'closed'],
  ['in_mediation', 'escalated', 'in_mediation', 'resolved', 'closed'],
  ['in_mediation', 'escalated', 'referred', 'closed'],
  ['referred', 'closed'],
  ['withdrawn', 'closed'],
];

describe('/disputes/{id}/transitions', () => {
  let t: TestApp;
  let admin: string;
  let staff: string;
  let partner: string;
  let network: string;
  let partnerId: string;
  let staffId: string;

  before(async () => {
    t = await startTestApp();
    admin = await adminToken(t);
    network = await insertNetwork(t.db, { countryCode: 'NP' });
    partnerId = await insertPartner(t.db, { countryCode: 'NP', networkIds: [network] });
    const staffUser = await createUser(t, admin, { role: 'country_staff', countryCodes: ['NP'] });
    staff = staffUser.token;
    staffId = staffUser.id;
    partner = (await createUser(t, admin, { role: 'partner', partnerId })).token;
  });
  after(() => t.close());

  const create = (token = staff) => createDispute(t, token, disputeBody(network, partnerId));
  const move = (token: string, id: string, to: string, extra: Record<string, unknown> = {}) =>
    t.http.post(`${DISPUTES}/${id}/transitions`).set(auth(token)).send({ to, note: `note for ${to}`, ...payloadFor(to), ...extra });

  for (const path of PATHS) {
    it(`walks reported → ${path.join(' → ')}, one history row and one audit row per step`, async () => {
      const d = await create();
      let from = 'reported';
      for (const to of path) {
        const before = await auditCount(t);
        const res = await move(partner, d.id, to);
        assert.equal(res.status, 200, `${from} → ${to}: ${JSON.stringify(res.body)}`);
        assert.equal(res.body.status, to);
        assert.equal(await auditCount(t), before + 1);
        from = to;
      }
      const get = await t.http.get(`${DISPUTES}/${d.id}`).set(auth(staff));
      assert.deepEqual(get.body.history.map((h: { from: string | null; to: string }) => [h.from, h.to]), [
        [null, 'reported'],
        ...path.map((to, i) => [i === 0 ? 'reported' : path[i - 1], to]),
      ]);
      assert.equal(get.body.version, 1 + path.length);
      if (path.includes('resolved')) {
        assert.deepEqual(get.body.resolution, { terms: 'Plot divided along the old wall.', agreedOn: '2026-01-20', followUpOn: '2026-03-01' });
        assert.equal(get.body.resolvedOn, '2026-01-20');
      }
      if (path.includes('referred')) assert.deepEqual(get.body.referral, { to: 'court', reference: 'Case 2026/14' });
    });
  }

  it('keeps who, when, from, to and the note in history, oldest first', async () => {
    const d = await create();
    await move(staff, d.id, 'in_mediation', { note: 'Elders agreed to mediate.' });
    await move(staff, d.id, 'escalated', { note: 'Threats at the market.' });
    const res = await t.http.get(`${DISPUTES}/${d.id}`).set(auth(staff));
    const history = res.body.history as { from: string | null; to: string; note: string | null; actorKind: string; actorId: string; at: string }[];
    assert.deepEqual(history.map((h) => [h.from, h.to, h.note]), [
      [null, 'reported', null],
      ['reported', 'in_mediation', 'Elders agreed to mediate.'],
      ['in_mediation', 'escalated', 'Threats at the market.'],
    ]);
    assert.ok(history.every((h) => h.actorKind === 'user' && h.actorId === staffId));
    const times = history.map((h) => Date.parse(h.at));
    assert.deepEqual([...times].sort((a, b) => a - b), times);
    const { rows } = await t.db.query('SELECT note_enc FROM dispute_history WHERE dispute_id = $1 AND note_enc IS NOT NULL', [d.id]);
    assert.ok(rows.every((r: { note_enc: string }) => r.note_enc.startsWith('v1:') && !r.note_enc.includes('Elders')));
  });

  for (const [path, to] of [
    [[], 'resolved'],
    [[], 'closed'],
    [[], 'escalated'],
    [[], 'reported'],
    [['in_mediation'], 'in_mediation'],
    [['in_mediation'], 'closed'],
    [['in_mediation', 'escalated'], 'resolved'],
    [['in_mediation', 'escalated'], 'withdrawn'],
    [['withdrawn'], 'in_mediation'],
    [['referred'], 'resolved'],
    [['withdrawn', 'closed'], 'reported'],
    [['withdrawn', 'closed'], 'in_mediation'],
  ] as [string[], string][]) {
    const at = path.length ? path[path.length - 1] : 'reported';
    it(`refuses ${at} → ${to} with 409, changing nothing`, async () => {
      const d = await create();
      for (const step of path) assert.equal((await move(staff, d.id, step)).status, 200);
      const before = await t.http.get(`${DISPUTES}/${d.id}`).set(auth(staff));
      const audits = await auditCount(t);
      const res = await move(staff, d.id, to);
      assert.equal(res.status, 409, JSON.stringify(res.body));
      assert.equal(res.body.type, 'urn:jsd:problem:invalid-transition');
      const afterGet = await t.http.get(`${DISPUTES}/${d.id}`).set(auth(staff));
      assert.deepEqual(afterGet.body, before.body);
      assert.equal(await auditCount(t), audits);
    });
  }

  it('requires resolution to enter resolved and referral to enter referred (400 naming the field)', async () => {
    const d = await create();
    assert.equal((await move(staff, d.id, 'in_mediation')).status, 200);
    const audits = await auditCount(t);
    const noResolution = await move(staff, d.id, 'resolved', { resolution: undefined });
    assert.equal(noResolution.status, 400);
    assert.equal(noResolution.body.errors[0].field, 'resolution');
    const noReferral = await move(staff, d.id, 'referred', { referral: undefined });
    assert.equal(noReferral.status, 400);
    assert.equal(noReferral.body.errors[0].field, 'referral');
    const badReferral = await move(staff, d.id, 'referred', { referral: { to: 'militia' } });
    assert.equal(badReferral.status, 400);
    assert.equal(badReferral.body.errors[0].field, 'referral.to');
    const misplaced = await move(staff, d.id, 'escalated', payloadFor('resolved'));
    assert.equal(misplaced.status, 400);
    assert.equal(misplaced.body.errors[0].field, 'resolution');
    const noTerms = await move(staff, d.id, 'resolved', { resolution: { agreedOn: '2026-01-20' } });
    assert.equal(noTerms.status, 400);
    assert.equal(noTerms.body.errors[0].field, 'resolution.terms');
    assert.equal(await auditCount(t), audits);
    assert.equal((await t.http.get(`${DISPUTES}/${d.id}`).set(auth(staff))).body.status, 'in_mediation');
  });

  it('refuses an agreement before the report or in the future, and a follow-up before the agreement (400)', async () => {
    const d = await create();
    assert.equal((await move(staff, d.id, 'in_mediation')).status, 200);
    const early = await move(staff, d.id, 'resolved', { resolution: { terms: 'x', agreedOn: '2026-01-09' } });
    assert.equal(early.status, 400);
    assert.equal(early.body.errors[0].field, 'resolution.agreedOn');
    const future = await move(staff, d.id, 'resolved', { resolution: { terms: 'x', agreedOn: '2999-01-01' } });
    assert.equal(future.status, 400);
    assert.equal(future.body.errors[0].field, 'resolution.agreedOn');
    const followUp = await move(staff, d.id, 'resolved', { resolution: { terms: 'x', agreedOn: '2026-01-20', followUpOn: '2026-01-19' } });
    assert.equal(followUp.status, 400);
    assert.equal(followUp.body.errors[0].field, 'resolution.followUpOn');
    const sameDay = await move(staff, d.id, 'resolved', { resolution: { terms: 'x', agreedOn: '2026-01-10' } });
    assert.equal(sameDay.status, 200);
  });

  it('lets exactly one of two racing identical transitions win; the other gets 409 and no second history row', async () => {
    const d = await create();
    const results = await Promise.all([move(staff, d.id, 'in_mediation'), move(partner, d.id, 'in_mediation')]);
    assert.deepEqual(results.map((r) => r.status).sort(), [200, 409]);
    const { rows } = await t.db.query(`SELECT count(*)::int AS n FROM dispute_history WHERE dispute_id = $1 AND to_status = 'in_mediation'`, [d.id]);
    assert.equal(rows[0].n, 1);
  });

  it('applies only one of two racing different transitions sent with the same If-Match (the other 412)', async () => {
    const d = await create();
    const results = await Promise.all([
      move(staff, d.id, 'in_mediation').set('If-Match', '"1"'),
      move(partner, d.id, 'withdrawn').set('If-Match', '"1"'),
    ]);
    assert.deepEqual(results.map((r) => r.status).sort(), [200, 412]);
    const winner = results.find((r) => r.status === 200)!;
    const { rows } = await t.db.query('SELECT from_status, to_status FROM dispute_history WHERE dispute_id = $1 ORDER BY occurred_at', [d.id]);
    assert.deepEqual(rows.map((r: { to_status: string }) => r.to_status), ['reported', winner.body.status]);
    assert.equal((await t.http.get(`${DISPUTES}/${d.id}`).set(auth(staff))).body.version, 2);
  });

  it('applies only one of two racing different transitions naming the status they saw (the other 409)', async () => {
    const d = await create();
    const results = await Promise.all([move(staff, d.id, 'in_mediation', { from: 'reported' }), move(partner, d.id, 'withdrawn', { from: 'reported' })]);
    assert.deepEqual(results.map((r) => r.status).sort(), [200, 409]);
    const { rows } = await t.db.query('SELECT count(*)::int AS n FROM dispute_history WHERE dispute_id = $1', [d.id]);
    assert.equal(rows[0].n, 2);
  });

  it('refuses a move without If-Match or from when another transition commits while it waits (409)', async () => {
    const d = await create();
    // Another writer holds the dispute's row lock and moves it to in_mediation while our
    // request, which arrived when the dispute was still reported, waits for that lock.
    const other = await t.db.connect();
    try {
      await other.query('BEGIN');
      await other.query('SELECT id FROM disputes WHERE id = $1 FOR UPDATE', [d.id]);
      const pending = move(partner, d.id, 'withdrawn').then((r) => r);
      await new Promise((resolve) => setTimeout(resolve, 300));
      await other.query(`UPDATE disputes SET status = 'in_mediation', version = version + 1 WHERE id = $1`, [d.id]);
      await other.query('COMMIT');
      const res = await pending;
      assert.equal(res.status, 409, JSON.stringify(res.body));
      assert.equal(res.body.type, 'urn:jsd:problem:stale-status');
    } finally {
      other.release();
    }
    const row = await t.db.query('SELECT status FROM disputes WHERE id = $1', [d.id]);
    assert.equal(row.rows[0].status, 'in_mediation', 'the waiting move was not applied on top');
  });

  it('refuses transitions by hq_analyst (403) and on archived disputes (409)', async () => {
    const d = await create();
    const analyst = (await createUser(t, admin, { role: 'hq_analyst' })).token;
    assert.equal((await move(analyst, d.id, 'in_mediation')).status, 403);
    assert.equal((await t.http.delete(`${DISPUTES}/${d.id}`).set(auth(staff))).status, 204);
    const archived = await move(staff, d.id, 'in_mediation');
    assert.equal(archived.status, 409);
  });
});
