import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { adminToken, auditCount, createUser } from './support/auth';
import { insertNetwork, insertPartner, insertSession } from './support/fixtures';
import { startTestApp, TestApp } from './support/test-app';

const BASE = '/api/v1/initiatives';

describe('/initiatives', () => {
  let t: TestApp;
  let admin: string;
  let staffNP: string;
  let staffIQ: string;
  let analyst: string;
  let partner: string;
  let npNetwork: string;
  let npOtherNetwork: string;
  let iqNetwork: string;
  let npSession: string;

  before(async () => {
    t = await startTestApp();
    admin = await adminToken(t);
    npNetwork = await insertNetwork(t.db, { countryCode: 'NP' });
    npOtherNetwork = await insertNetwork(t.db, { countryCode: 'NP' });
    iqNetwork = await insertNetwork(t.db, { countryCode: 'IQ' });
    npSession = await insertSession(t.db, { networkId: npNetwork });
    const partnerId = await insertPartner(t.db, { countryCode: 'NP', networkIds: [npNetwork] });
    staffNP = (await createUser(t, admin, { role: 'country_staff', countryCodes: ['NP'] })).token;
    staffIQ = (await createUser(t, admin, { role: 'country_staff', countryCodes: ['IQ'] })).token;
    analyst = (await createUser(t, admin, { role: 'hq_analyst' })).token;
    partner = (await createUser(t, admin, { role: 'partner', partnerId })).token;
  });
  after(() => t.close());

  const auth = (token: string) => ({ Authorization: `Bearer ${token}` });
  const body = (extra: Record<string, unknown> = {}) => ({
    networkId: npNetwork,
    title: 'Help desk at the district police station',
    problemStatement: 'Women do not report violence because nobody at the station receives them.',
    originSessionIds: [npSession],
    category: 'help_desk',
    funder: 'Embassy of the Netherlands',
    budget: { amount: '1250.00', currency: 'USD' },
    startOn: '2026-02-01',
    endOn: '2026-12-31',
    ...extra,
  });
  const create = async (token: string, extra: Record<string, unknown> = {}) => {
    const res = await t.http.post(BASE).set(auth(token)).send(body(extra));
    assert.equal(res.status, 201, JSON.stringify(res.body));
    return res.body as { id: string; version: number; status: string };
  };
  const transition = (token: string, id: string, to: string) => t.http.post(`${BASE}/${id}/transitions`).set(auth(token)).send({ to, note: `to ${to}` });

  it('creates an initiative: 201, Location, ETag, money as strings, one audit row', async () => {
    const before = await auditCount(t);
    const res = await t.http.post(BASE).set(auth(staffNP)).send(body({ budget: { amount: '1250', currency: 'USD' } }));
    assert.equal(res.status, 201, JSON.stringify(res.body));
    assert.equal(res.headers.location, `${BASE}/${res.body.id}`);
    assert.equal(res.headers.etag, '"1"');
    assert.equal(res.body.countryCode, 'NP');
    assert.equal(res.body.status, 'proposed');
    assert.deepEqual(res.body.budget, { amount: '1250.00', currency: 'USD' });
    assert.deepEqual(res.body.disbursed, { amount: '0.00', currency: 'USD' });
    assert.deepEqual(res.body.remaining, { amount: '1250.00', currency: 'USD' });
    assert.deepEqual(res.body.originSessionIds, [npSession]);
    assert.deepEqual(res.body.disbursements, []);
    assert.deepEqual(res.body.milestones, []);
    assert.equal(await auditCount(t), before + 1);
    const audit = await t.db.query('SELECT entity, action FROM audit_events WHERE entity_id = $1', [res.body.id]);
    assert.deepEqual(audit.rows, [{ entity: 'initiative', action: 'create' }]);
    const get = await t.http.get(`${BASE}/${res.body.id}`).set(auth(staffNP));
    assert.equal(get.status, 200);
    assert.equal(get.headers.etag, '"1"');
    assert.equal(get.body.title, body().title);
  });

  for (const [label, budget] of [
    ['a float number', { amount: 12.5, currency: 'USD' }],
    ['three decimals', { amount: '12.345', currency: 'USD' }],
    ['a negative amount', { amount: '-5.00', currency: 'USD' }],
    ['zero', { amount: '0.00', currency: 'USD' }],
    ['an absurd amount', { amount: '10000000000000', currency: 'USD' }],
    ['an exponent', { amount: '1e3', currency: 'USD' }],
    ['a lower-case currency', { amount: '10.00', currency: 'usd' }],
    ['an unknown currency', { amount: '10.00', currency: 'ABC' }],
    ['a two-letter currency', { amount: '10.00', currency: 'US' }],
    ['no currency', { amount: '10.00' }],
    ['a string instead of money', '10.00'],
    ['null', null],
    ['an unknown field', { amount: '10.00', currency: 'USD', rate: 1 }],
  ] as const) {
    it(`rejects a budget with ${label} (400 naming the field), writing nothing`, async () => {
      const before = await auditCount(t);
      const res = await t.http.post(BASE).set(auth(admin)).send(body({ budget }));
      assert.equal(res.status, 400, JSON.stringify(res.body));
      assert.match(res.headers['content-type'], /application\/problem\+json/);
      assert.ok(res.body.errors.some((e: { field: string }) => e.field.startsWith('budget')), JSON.stringify(res.body.errors));
      assert.equal(await auditCount(t), before);
    });
  }

  it('rejects an end before the start, an unknown category or field, and a status in the body', async () => {
    const dates = await t.http.post(BASE).set(auth(admin)).send(body({ startOn: '2026-05-01', endOn: '2026-04-30' }));
    assert.equal(dates.status, 400);
    assert.equal(dates.body.errors[0].field, 'endOn');
    const category = await t.http.post(BASE).set(auth(admin)).send(body({ category: 'bridge' }));
    assert.equal(category.status, 400);
    assert.equal(category.body.errors[0].field, 'category');
    const status = await t.http.post(BASE).set(auth(admin)).send(body({ status: 'approved' }));
    assert.equal(status.status, 400);
    assert.equal(status.body.errors[0].field, 'status');
  });

  it('requires origin sessions of the same network: another network 400, another country or unknown 404', async () => {
    const otherNetworkSession = await insertSession(t.db, { networkId: npOtherNetwork });
    const iqSession = await insertSession(t.db, { networkId: iqNetwork });
    const before = await auditCount(t);
    const sameCountry = await t.http.post(BASE).set(auth(staffNP)).send(body({ originSessionIds: [npSession, otherNetworkSession] }));
    assert.equal(sameCountry.status, 400, JSON.stringify(sameCountry.body));
    assert.equal(sameCountry.body.errors[0].field, 'originSessionIds');
    for (const id of [iqSession, '00000000-0000-4000-8000-0000000000aa']) {
      const res = await t.http.post(BASE).set(auth(staffNP)).send(body({ originSessionIds: [id] }));
      assert.equal(res.status, 404, JSON.stringify(res.body));
      assert.equal(res.body.errors[0].field, 'originSessionIds');
    }
    // An admin sees the IQ session, but it is still another network's.
    const admins = await t.http.post(BASE).set(auth(admin)).send(body({ originSessionIds: [iqSession] }));
    assert.equal(admins.status, 400);
    assert.equal(await auditCount(t), before);
  });

  it('keeps country staff to their countries: other-country network in a body or record → 404', async () => {
    const otherNetwork = await t.http.post(BASE).set(auth(staffIQ)).send(body({ originSessionIds: [] }));
    assert.equal(otherNetwork.status, 404);
    assert.equal(otherNetwork.body.errors[0].field, 'networkId');
    const np = await create(staffNP);
    for (const res of [
      await t.http.get(`${BASE}/${np.id}`).set(auth(staffIQ)),
      await t.http.patch(`${BASE}/${np.id}`).set(auth(staffIQ)).send({ title: 'x' }),
      await transition(staffIQ, np.id, 'approved'),
      await t.http.delete(`${BASE}/${np.id}`).set(auth(staffIQ)),
      await t.http.post(`${BASE}/${np.id}/disbursements`).set(auth(staffIQ)).send({ amount: { amount: '1.00', currency: 'USD' }, disbursedOn: '2026-03-01' }),
      await t.http.post(`${BASE}/${np.id}/milestones`).set(auth(staffIQ)).send({ description: 'x' }),
    ]) assert.equal(res.status, 404);
    const list = await t.http.get(`${BASE}?limit=200`).set(auth(staffIQ));
    assert.ok(!list.body.data.some((i: { id: string }) => i.id === np.id));
  });

  it('lets partner users read initiatives of their networks only, and write nothing', async () => {
    const mine = await create(staffNP);
    const notMine = await create(staffNP, { networkId: npOtherNetwork, originSessionIds: [] });
    const list = await t.http.get(`${BASE}?limit=200`).set(auth(partner));
    const ids = list.body.data.map((i: { id: string }) => i.id);
    assert.ok(ids.includes(mine.id));
    assert.ok(!ids.includes(notMine.id));
    assert.equal((await t.http.get(`${BASE}/${mine.id}`).set(auth(partner))).status, 200);
    assert.equal((await t.http.get(`${BASE}/${notMine.id}`).set(auth(partner))).status, 404);
    assert.equal((await t.http.post(BASE).set(auth(partner)).send(body())).status, 403);
    assert.equal((await t.http.patch(`${BASE}/${mine.id}`).set(auth(partner)).send({ title: 'x' })).status, 403);
    assert.equal((await transition(partner, mine.id, 'approved')).status, 403);
    assert.equal((await t.http.post(`${BASE}/${mine.id}/milestones`).set(auth(partner)).send({ description: 'x' })).status, 403);
    assert.equal((await t.http.delete(`${BASE}/${mine.id}`).set(auth(partner))).status, 403);
  });

  it('lets hq_analyst read everything and write nothing', async () => {
    const i = await create(staffNP);
    assert.equal((await t.http.get(`${BASE}/${i.id}`).set(auth(analyst))).status, 200);
    assert.equal((await t.http.post(BASE).set(auth(analyst)).send(body())).status, 403);
    assert.equal((await t.http.patch(`${BASE}/${i.id}`).set(auth(analyst)).send({ title: 'x' })).status, 403);
    assert.equal((await transition(analyst, i.id, 'approved')).status, 403);
    assert.equal((await t.http.post(`${BASE}/${i.id}/disbursements`).set(auth(analyst)).send({ amount: { amount: '1.00', currency: 'USD' }, disbursedOn: '2026-03-01' })).status, 403);
    assert.equal((await t.http.delete(`${BASE}/${i.id}`).set(auth(analyst))).status, 403);
  });

  it('walks every allowed transition with one audit row each, keeping history in order', async () => {
    const paths = [
      ['approved', 'in_progress', 'completed'],
      ['cancelled'],
      ['approved', 'cancelled'],
      ['approved', 'in_progress', 'cancelled'],
    ];
    for (const path of paths) {
      const i = await create(staffNP);
      for (const to of path) {
        const before = await auditCount(t);
        const res = await transition(staffNP, i.id, to);
        assert.equal(res.status, 200, `${to}: ${JSON.stringify(res.body)}`);
        assert.equal(res.body.status, to);
        assert.equal(await auditCount(t), before + 1);
      }
      const get = await t.http.get(`${BASE}/${i.id}`).set(auth(admin));
      assert.deepEqual(get.body.history.map((h: { from: string; to: string }) => `${h.from}>${h.to}`), path.map((to, n) => `${n ? path[n - 1] : 'proposed'}>${to}`));
      assert.equal(get.body.version, 1 + path.length);
      // completed and cancelled are final
      for (const to of ['proposed', 'approved', 'in_progress', 'completed', 'cancelled']) {
        const res = await transition(staffNP, i.id, to);
        assert.equal(res.status, 409, `${path.at(-1)} → ${to}`);
        assert.equal(res.body.type, 'urn:jsd:problem:invalid-transition');
      }
    }
  });

  it('refuses forbidden transitions with 409 and changes nothing', async () => {
    const i = await create(staffNP);
    const before = await auditCount(t);
    for (const to of ['in_progress', 'completed', 'proposed']) assert.equal((await transition(staffNP, i.id, to)).status, 409, to);
    await transition(staffNP, i.id, 'approved');
    for (const to of ['completed', 'proposed', 'approved']) assert.equal((await transition(staffNP, i.id, to)).status, 409, to);
    assert.equal(await auditCount(t), before + 1);
    assert.equal((await t.http.post(`${BASE}/${i.id}/transitions`).set(auth(staffNP)).send({ to: 'done' })).status, 400);
  });

  it('updates with If-Match (412 when stale, changing nothing), and one audit row per change', async () => {
    const i = await create(staffNP);
    const before = await auditCount(t);
    const ok = await t.http.patch(`${BASE}/${i.id}`).set(auth(staffNP)).set('If-Match', '"1"').send({ title: 'Help desk, women and children', originSessionIds: [] });
    assert.equal(ok.status, 200, JSON.stringify(ok.body));
    assert.equal(ok.body.version, 2);
    assert.deepEqual(ok.body.originSessionIds, []);
    assert.equal(ok.headers.etag, '"2"');
    assert.equal(await auditCount(t), before + 1);
    const stale = await t.http.patch(`${BASE}/${i.id}`).set(auth(staffNP)).set('If-Match', '"1"').send({ title: 'stale' });
    assert.equal(stale.status, 412);
    assert.equal((await t.http.get(`${BASE}/${i.id}`).set(auth(staffNP))).body.title, 'Help desk, women and children');
    const nullTitle = await t.http.patch(`${BASE}/${i.id}`).set(auth(staffNP)).send({ title: null });
    assert.equal(nullTitle.status, 400);
    const badDates = await t.http.patch(`${BASE}/${i.id}`).set(auth(staffNP)).send({ endOn: '2026-01-01' });
    assert.equal(badDates.status, 400);
    assert.equal(await auditCount(t), before + 1);
  });

  it('checks origin sessions on PATCH too: another network 400, another country 404, nothing written', async () => {
    const i = await create(staffNP);
    const otherNetworkSession = await insertSession(t.db, { networkId: npOtherNetwork });
    const iqSession = await insertSession(t.db, { networkId: iqNetwork });
    const before = await auditCount(t);
    const other = await t.http.patch(`${BASE}/${i.id}`).set(auth(staffNP)).send({ originSessionIds: [otherNetworkSession] });
    assert.equal(other.status, 400);
    assert.equal(other.body.errors[0].field, 'originSessionIds');
    const hidden = await t.http.patch(`${BASE}/${i.id}`).set(auth(staffNP)).send({ originSessionIds: [iqSession] });
    assert.equal(hidden.status, 404);
    assert.equal(await auditCount(t), before);
    assert.deepEqual((await t.http.get(`${BASE}/${i.id}`).set(auth(staffNP))).body.originSessionIds, [npSession]);
    const filtered = await t.http.get(`${BASE}?networkId=${npNetwork}&limit=200`).set(auth(staffIQ));
    assert.deepEqual(filtered.body.data, []);
  });

  it('archives (204, one audit row), hides from lists unless includeArchived, and freezes the record', async () => {
    const i = await create(staffNP);
    const before = await auditCount(t);
    assert.equal((await t.http.delete(`${BASE}/${i.id}`).set(auth(staffNP))).status, 204);
    assert.equal((await t.http.delete(`${BASE}/${i.id}`).set(auth(staffNP))).status, 204);
    assert.equal(await auditCount(t), before + 1);
    const list = await t.http.get(`${BASE}?limit=200`).set(auth(staffNP));
    assert.ok(!list.body.data.some((x: { id: string }) => x.id === i.id));
    const archived = await t.http.get(`${BASE}?limit=200&includeArchived=true`).set(auth(staffNP));
    assert.ok(archived.body.data.some((x: { id: string }) => x.id === i.id));
    assert.equal((await t.http.patch(`${BASE}/${i.id}`).set(auth(staffNP)).send({ title: 'x' })).status, 409);
    assert.equal((await t.http.get(`${BASE}/${i.id}`).set(auth(staffNP))).status, 200);
  });

  it('filters by country, network, status, category, funder and start date, paging stably', async () => {
    const network = await insertNetwork(t.db, { countryCode: 'NP' });
    const funder = `Funder ${network.slice(0, 8)}`;
    const a = await create(admin, { networkId: network, originSessionIds: [], funder, category: 'police_post', startOn: '2025-01-10', endOn: null });
    const b = await create(admin, { networkId: network, originSessionIds: [], funder, category: 'school_program', startOn: '2025-06-10', endOn: null });
    const c = await create(admin, { networkId: network, originSessionIds: [], funder, category: 'police_post', startOn: '2026-01-10', endOn: null });
    await transition(admin, c.id, 'approved');
    const iq = await create(admin, { networkId: iqNetwork, originSessionIds: [], funder });
    const ids = async (query: string) => (await t.http.get(`${BASE}?${query}`).set(auth(admin))).body.data.map((x: { id: string }) => x.id);
    assert.deepEqual(await ids(`networkId=${network}`), [c.id, b.id, a.id]);
    assert.deepEqual(await ids(`funder=${encodeURIComponent(funder)}&countryCode=IQ`), [iq.id]);
    assert.deepEqual(await ids(`networkId=${network}&category=police_post`), [c.id, a.id]);
    assert.deepEqual(await ids(`networkId=${network}&status=approved`), [c.id]);
    assert.deepEqual(await ids(`networkId=${network}&startFrom=2025-02-01&startTo=2025-12-31`), [b.id]);
    const first = await t.http.get(`${BASE}?networkId=${network}&limit=2`).set(auth(admin));
    assert.equal(first.body.data.length, 2);
    const second = await t.http.get(`${BASE}?networkId=${network}&limit=2&cursor=${first.body.nextCursor}`).set(auth(admin));
    assert.deepEqual(second.body.data.map((x: { id: string }) => x.id), [a.id]);
    assert.equal(second.body.nextCursor, null);
    assert.equal((await t.http.get(`${BASE}?status=open`).set(auth(admin))).status, 400);
    assert.equal((await t.http.get(`${BASE}?limit=201`).set(auth(admin))).status, 400);
  });

  it('adds and updates milestones with If-Match on the milestone; achievedOn not in the future', async () => {
    const i = await create(staffNP);
    let before = await auditCount(t);
    const created = await t.http.post(`${BASE}/${i.id}/milestones`).set(auth(staffNP)).send({ description: 'Desk staffed', dueOn: '2026-04-30' });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    assert.equal(created.headers.location, `${BASE}/${i.id}/milestones/${created.body.id}`);
    assert.equal(created.body.achievedOn, null);
    assert.equal(await auditCount(t), before + 1);
    const m = created.body.id;
    const future = await t.http.patch(`${BASE}/${i.id}/milestones/${m}`).set(auth(staffNP)).send({ achievedOn: '2999-01-01' });
    assert.equal(future.status, 400);
    assert.equal(future.body.errors[0].field, 'achievedOn');
    before = await auditCount(t);
    const done = await t.http.patch(`${BASE}/${i.id}/milestones/${m}`).set(auth(staffNP)).set('If-Match', '"1"').send({ achievedOn: '2026-01-15' });
    assert.equal(done.status, 200, JSON.stringify(done.body));
    assert.equal(done.body.achievedOn, '2026-01-15');
    assert.equal(done.headers.etag, '"2"');
    const stale = await t.http.patch(`${BASE}/${i.id}/milestones/${m}`).set(auth(staffNP)).set('If-Match', '"1"').send({ description: 'stale' });
    assert.equal(stale.status, 412);
    assert.equal(await auditCount(t), before + 1);
    const other = await create(staffNP);
    assert.equal((await t.http.patch(`${BASE}/${other.id}/milestones/${m}`).set(auth(staffNP)).send({ description: 'x' })).status, 404);
    const get = await t.http.get(`${BASE}/${i.id}`).set(auth(partner));
    assert.deepEqual(get.body.milestones, [{ id: m, description: 'Desk staffed', dueOn: '2026-04-30', achievedOn: '2026-01-15', version: 2 }]);
  });
});
