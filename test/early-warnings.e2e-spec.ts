import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { adminToken, auditCount, createApiKey, createUser } from './support/auth';
import { insertNetwork, insertPartner, insertSession } from './support/fixtures';
import { startTestApp, TestApp } from './support/test-app';

const BASE = '/api/v1/early-warnings';

describe('/early-warnings', () => {
  let t: TestApp;
  let admin: string;
  let staffNP: string;
  let staffIQ: string;
  let analyst: string;
  let partner: string;
  let npNetwork: string;
  let npOtherNetwork: string;
  let iqNetwork: string;

  before(async () => {
    t = await startTestApp();
    admin = await adminToken(t);
    npNetwork = await insertNetwork(t.db, { countryCode: 'NP' });
    npOtherNetwork = await insertNetwork(t.db, { countryCode: 'NP' });
    iqNetwork = await insertNetwork(t.db, { countryCode: 'IQ' });
    const partnerId = await insertPartner(t.db, { countryCode: 'NP', networkIds: [npNetwork] });
    staffNP = (await createUser(t, admin, { role: 'country_staff', countryCodes: ['NP'] })).token;
    staffIQ = (await createUser(t, admin, { role: 'country_staff', countryCodes: ['IQ'] })).token;
    analyst = (await createUser(t, admin, { role: 'hq_analyst' })).token;
    partner = (await createUser(t, admin, { role: 'partner', partnerId })).token;
  });
  after(() => t.close());

  const auth = (token: string) => ({ Authorization: `Bearer ${token}` });
  const body = (extra: Record<string, unknown> = {}) => ({
    countryCode: 'NP',
    networkId: npNetwork,
    observedOn: '2026-01-10',
    place: 'Market square',
    riskFactors: [9, 1],
    description: 'Threats against a minority group after a land dispute.',
    severity: 'high',
    ...extra,
  });
  const create = async (token: string, extra: Record<string, unknown> = {}) => {
    const res = await t.http.post(BASE).set(auth(token)).send(body(extra));
    assert.equal(res.status, 201, JSON.stringify(res.body));
    return res.body as { id: string; version: number; status: string };
  };
  const transition = (token: string, id: string, to: string) => t.http.post(`${BASE}/${id}/transitions`).set(auth(token)).send({ to, note: `to ${to}` });

  it('creates a report: 201, Location, sorted risk factors, one audit row without the description', async () => {
    const before = await auditCount(t);
    const res = await t.http.post(BASE).set(auth(staffNP)).send(body());
    assert.equal(res.status, 201, JSON.stringify(res.body));
    assert.equal(res.headers.location, `${BASE}/${res.body.id}`);
    assert.equal(res.headers.etag, '"1"');
    assert.deepEqual(
      { ...res.body, id: undefined, createdAt: undefined, updatedAt: undefined },
      { ...body(), id: undefined, riskFactors: [1, 9], status: 'reported', sourceSessionId: null, version: 1, archivedAt: null, createdAt: undefined, updatedAt: undefined },
    );
    assert.equal(await auditCount(t), before + 1);
    const audit = await t.db.query(`SELECT action, entity, changes FROM audit_events WHERE entity_id = $1`, [res.body.id]);
    assert.equal(audit.rows[0].entity, 'early_warning');
    assert.equal(audit.rows[0].changes.description.to, '[redacted]');
    const get = await t.http.get(`${BASE}/${res.body.id}`).set(auth(staffNP));
    assert.equal(get.status, 200);
    assert.equal(get.headers.etag, '"1"');
    assert.deepEqual(get.body.history, []);
  });

  it('accepts a report without network or place from country staff', async () => {
    const res = await t.http.post(BASE).set(auth(staffNP)).send(body({ networkId: null, place: undefined }));
    assert.equal(res.status, 201);
    assert.equal(res.body.networkId, null);
    assert.equal(res.body.place, null);
  });

  for (const [label, riskFactors] of [
    ['0', [0]],
    ['15', [15]],
    ['a duplicate', [3, 3]],
    ['a non-integer', [2.5]],
    ['a string', ['3']],
    ['an empty list', []],
    ['not a list', 3],
    ['null', null],
  ] as const) {
    it(`rejects riskFactors with ${label} (400 naming the field), writing nothing`, async () => {
      const before = await auditCount(t);
      const res = await t.http.post(BASE).set(auth(admin)).send(body({ riskFactors }));
      assert.equal(res.status, 400, JSON.stringify(res.body));
      assert.match(res.headers['content-type'], /application\/problem\+json/);
      assert.ok(res.body.errors.some((e: { field: string }) => e.field === 'riskFactors'), JSON.stringify(res.body.errors));
      assert.equal(await auditCount(t), before);
    });
  }

  it('rejects a future observedOn, an unknown severity or status field, and an unknown field', async () => {
    const future = await t.http.post(BASE).set(auth(admin)).send(body({ observedOn: '2999-01-01' }));
    assert.equal(future.status, 400);
    assert.equal(future.body.errors[0].field, 'observedOn');
    const severity = await t.http.post(BASE).set(auth(admin)).send(body({ severity: 'extreme' }));
    assert.equal(severity.status, 400);
    assert.equal(severity.body.errors[0].field, 'severity');
    const status = await t.http.post(BASE).set(auth(admin)).send(body({ status: 'verified' }));
    assert.equal(status.status, 400);
    assert.equal(status.body.errors[0].field, 'status');
  });

  it('keeps country staff to their countries: other-country body, network or record → 404', async () => {
    const otherCountry = await t.http.post(BASE).set(auth(staffIQ)).send(body({ networkId: null }));
    assert.equal(otherCountry.status, 404);
    const otherNetwork = await t.http.post(BASE).set(auth(staffIQ)).send(body({ countryCode: 'IQ', networkId: npNetwork }));
    assert.equal(otherNetwork.status, 404);
    assert.match(otherNetwork.body.detail, /network/);
    const np = await create(staffNP);
    for (const res of [
      await t.http.get(`${BASE}/${np.id}`).set(auth(staffIQ)),
      await t.http.patch(`${BASE}/${np.id}`).set(auth(staffIQ)).send({ place: 'x' }),
      await transition(staffIQ, np.id, 'verified'),
      await t.http.delete(`${BASE}/${np.id}`).set(auth(staffIQ)),
    ]) assert.equal(res.status, 404);
    const list = await t.http.get(`${BASE}?limit=200`).set(auth(staffIQ));
    assert.ok(!list.body.data.some((w: { id: string }) => w.id === np.id));
  });

  it('cites a source session of the same country, and never one elsewhere or unknown (404)', async () => {
    const npSession = await insertSession(t.db, { networkId: npNetwork });
    const iqSession = await insertSession(t.db, { networkId: iqNetwork });
    const ok = await t.http.post(BASE).set(auth(staffNP)).send(body({ sourceSessionId: npSession }));
    assert.equal(ok.status, 201, JSON.stringify(ok.body));
    assert.equal(ok.body.sourceSessionId, npSession);
    const before = await auditCount(t);
    for (const sourceSessionId of [iqSession, '00000000-0000-4000-8000-0000000000aa']) {
      const res = await t.http.post(BASE).set(auth(admin)).send(body({ sourceSessionId }));
      assert.equal(res.status, 404, JSON.stringify(res.body));
    }
    assert.equal(await auditCount(t), before);
  });

  it('refuses a network of another country than the report, even to an admin (400)', async () => {
    const res = await t.http.post(BASE).set(auth(admin)).send(body({ countryCode: 'IQ', networkId: npNetwork }));
    assert.equal(res.status, 400);
    assert.equal(res.body.errors[0].field, 'networkId');
    const patchTarget = await create(admin, { countryCode: 'IQ', networkId: iqNetwork });
    const patch = await t.http.patch(`${BASE}/${patchTarget.id}`).set(auth(admin)).send({ networkId: npNetwork });
    assert.equal(patch.status, 400);
  });

  it('lets partner users report for their networks only, and see only those', async () => {
    const mine = await create(partner);
    const noNetwork = await t.http.post(BASE).set(auth(partner)).send(body({ networkId: null }));
    assert.equal(noNetwork.status, 400);
    assert.equal(noNetwork.body.errors[0].field, 'networkId');
    const notMine = await t.http.post(BASE).set(auth(partner)).send(body({ networkId: npOtherNetwork }));
    assert.equal(notMine.status, 404);
    const otherCountry = await t.http.post(BASE).set(auth(partner)).send(body({ countryCode: 'IQ', networkId: iqNetwork }));
    assert.equal(otherCountry.status, 404);

    const staffOnly = await create(staffNP, { networkId: npOtherNetwork });
    const countryWide = await create(staffNP, { networkId: null });
    const list = await t.http.get(`${BASE}?limit=200`).set(auth(partner));
    const ids = list.body.data.map((w: { id: string }) => w.id);
    assert.ok(ids.includes(mine.id));
    assert.ok(!ids.includes(staffOnly.id));
    assert.ok(!ids.includes(countryWide.id), 'a report without a network is invisible to partners');
    assert.equal((await t.http.get(`${BASE}/${countryWide.id}`).set(auth(partner))).status, 404);
    // Verifying and correcting are the country office's call.
    assert.equal((await transition(partner, mine.id, 'verified')).status, 403);
    assert.equal((await t.http.patch(`${BASE}/${mine.id}`).set(auth(partner)).send({ place: 'x' })).status, 403);
    assert.equal((await t.http.delete(`${BASE}/${mine.id}`).set(auth(partner))).status, 403);
  });

  it('lets hq_analyst read everything and write nothing', async () => {
    const w = await create(staffNP);
    assert.equal((await t.http.get(`${BASE}/${w.id}`).set(auth(analyst))).status, 200);
    assert.equal((await t.http.post(BASE).set(auth(analyst)).send(body())).status, 403);
    assert.equal((await t.http.patch(`${BASE}/${w.id}`).set(auth(analyst)).send({ place: 'x' })).status, 403);
    assert.equal((await transition(analyst, w.id, 'verified')).status, 403);
    assert.equal((await t.http.delete(`${BASE}/${w.id}`).set(auth(analyst))).status, 403);
    const key = await createApiKey(t, admin, { role: 'hq_analyst' });
    assert.equal((await t.http.get(`${BASE}/${w.id}`).set('X-API-Key', key.key)).status, 200);
  });

  it('walks every allowed transition, keeping history in order with one audit row each', async () => {
    const paths = [['verified', 'escalated', 'resolved'], ['verified', 'resolved'], ['dismissed']];
    for (const path of paths) {
      const w = await create(staffNP);
      for (const to of path) {
        const before = await auditCount(t);
        const res = await transition(staffNP, w.id, to);
        assert.equal(res.status, 200, `${to}: ${JSON.stringify(res.body)}`);
        assert.equal(res.body.status, to);
        assert.equal(await auditCount(t), before + 1);
      }
      const get = await t.http.get(`${BASE}/${w.id}`).set(auth(admin));
      assert.deepEqual(get.body.history.map((h: { from: string; to: string }) => `${h.from}>${h.to}`), path.map((to, i) => `${i ? path[i - 1] : 'reported'}>${to}`));
      assert.equal(get.body.history[0].note, `to ${path[0]}`);
      assert.equal(get.body.version, 1 + path.length);
    }
  });

  it('refuses transitions the workflow does not allow (409), changing nothing', async () => {
    const forbidden: [string[], string][] = [
      [[], 'escalated'], [[], 'resolved'], [[], 'reported'], [['verified'], 'dismissed'], [['verified'], 'verified'],
      [['dismissed'], 'verified'], [['verified', 'resolved'], 'escalated'], [['verified', 'escalated'], 'verified'],
    ];
    for (const [path, to] of forbidden) {
      const w = await create(staffNP);
      for (const step of path) assert.equal((await transition(staffNP, w.id, step)).status, 200);
      const before = await auditCount(t);
      const res = await transition(staffNP, w.id, to);
      assert.equal(res.status, 409, `${[...path, to].join('>')}: ${res.status}`);
      assert.equal(res.body.type, 'urn:jsd:problem:invalid-transition');
      assert.equal(await auditCount(t), before);
    }
    const bad = await transition(staffNP, (await create(staffNP)).id, 'closed');
    assert.equal(bad.status, 400);
  });

  it('updates with If-Match: 200 and new ETag, a stale one 412 changing nothing', async () => {
    const w = await create(staffNP);
    const before = await auditCount(t);
    const ok = await t.http.patch(`${BASE}/${w.id}`).set(auth(staffNP)).set('If-Match', '"1"').send({ riskFactors: [14, 2], place: null });
    assert.equal(ok.status, 200, JSON.stringify(ok.body));
    assert.deepEqual(ok.body.riskFactors, [2, 14]);
    assert.equal(ok.body.place, null);
    assert.equal(ok.headers.etag, '"2"');
    assert.equal(await auditCount(t), before + 1);
    const stale = await t.http.patch(`${BASE}/${w.id}`).set(auth(staffNP)).set('If-Match', '"1"').send({ place: 'Elsewhere' });
    assert.equal(stale.status, 412);
    assert.equal(await auditCount(t), before + 1);
    assert.equal((await t.http.get(`${BASE}/${w.id}`).set(auth(staffNP))).body.place, null);
    const badRisk = await t.http.patch(`${BASE}/${w.id}`).set(auth(staffNP)).send({ riskFactors: [15] });
    assert.equal(badRisk.status, 400);
    const nullDescription = await t.http.patch(`${BASE}/${w.id}`).set(auth(staffNP)).send({ description: null });
    assert.equal(nullDescription.status, 400);
    const moveCountry = await t.http.patch(`${BASE}/${w.id}`).set(auth(staffNP)).send({ countryCode: 'IQ' });
    assert.equal(moveCountry.status, 400);
  });

  it('archives on DELETE: 204, one audit row, gone from lists unless includeArchived, frozen', async () => {
    const w = await create(staffNP);
    const before = await auditCount(t);
    assert.equal((await t.http.delete(`${BASE}/${w.id}`).set(auth(staffNP))).status, 204);
    assert.equal((await t.http.delete(`${BASE}/${w.id}`).set(auth(staffNP))).status, 204);
    assert.equal(await auditCount(t), before + 1);
    const list = await t.http.get(`${BASE}?limit=200`).set(auth(staffNP));
    assert.ok(!list.body.data.some((x: { id: string }) => x.id === w.id));
    const withArchived = await t.http.get(`${BASE}?limit=200&includeArchived=true`).set(auth(staffNP));
    assert.ok(withArchived.body.data.some((x: { id: string }) => x.id === w.id));
    assert.equal((await t.http.patch(`${BASE}/${w.id}`).set(auth(staffNP)).send({ place: 'x' })).status, 409);
    assert.equal((await transition(staffNP, w.id, 'verified')).status, 409);
  });

  it('filters by country, network, risk factor, severity, status and observed dates, and pages', async () => {
    // Libya: no other test in this file writes there, so the lists hold exactly these three.
    const lyNetwork = await insertNetwork(t.db, { countryCode: 'LY' });
    const a = await create(admin, { countryCode: 'LY', networkId: lyNetwork, riskFactors: [11], severity: 'low', observedOn: '2025-03-01' });
    const b = await create(admin, { countryCode: 'LY', networkId: null, riskFactors: [11, 12], severity: 'medium', observedOn: '2025-04-01' });
    const c = await create(admin, { countryCode: 'LY', networkId: lyNetwork, riskFactors: [12], severity: 'low', observedOn: '2025-05-01' });
    await transition(admin, c.id, 'verified');
    const ids = async (qs: string) => {
      const res = await t.http.get(`${BASE}?limit=200&countryCode=LY&${qs}`).set(auth(admin));
      assert.equal(res.status, 200, JSON.stringify(res.body));
      return res.body.data.map((w: { id: string }) => w.id);
    };
    assert.deepEqual(await ids(''), [c.id, b.id, a.id], 'most recently observed first');
    assert.deepEqual(await ids(`networkId=${lyNetwork}`), [c.id, a.id]);
    assert.deepEqual(await ids('riskFactor=11'), [b.id, a.id]);
    assert.deepEqual(await ids('severity=low'), [c.id, a.id]);
    assert.deepEqual(await ids('status=verified'), [c.id]);
    assert.deepEqual(await ids('from=2025-04-01&to=2025-04-30'), [b.id]);
    assert.equal((await t.http.get(`${BASE}?riskFactor=15`).set(auth(admin))).status, 400);
    assert.equal((await t.http.get(`${BASE}?from=2025-02-30`).set(auth(admin))).status, 400);
    const first = await t.http.get(`${BASE}?limit=2&countryCode=LY`).set(auth(admin));
    assert.deepEqual(first.body.data.map((w: { id: string }) => w.id), [c.id, b.id]);
    const second = await t.http.get(`${BASE}?limit=2&countryCode=LY&cursor=${first.body.nextCursor}`).set(auth(admin));
    assert.deepEqual(second.body.data.map((w: { id: string }) => w.id), [a.id]);
    assert.equal(second.body.nextCursor, null);
  });
});
