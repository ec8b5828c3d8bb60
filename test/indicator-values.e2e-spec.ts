import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { adminToken, auditCount, createUser } from './support/auth';
import { insertNetwork, insertPartner } from './support/fixtures';
import { startTestApp, TestApp } from './support/test-app';

const BASE = '/api/v1/indicator-values';

describe('/indicator-values', () => {
  let t: TestApp;
  let admin: string;
  let staffNP: string;
  let staffIQ: string;
  let analyst: string;
  let partner: string;
  let npNetwork: string;
  let npOtherNetwork: string;
  let iqNetwork: string;
  let month = 0;
  /** A fresh period per call, so tests never collide on the unique key. */
  const nextPeriod = () => {
    month += 1;
    return `${2000 + Math.floor(month / 12)}-${String((month % 12) + 1).padStart(2, '0')}`;
  };

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
    networkId: npNetwork,
    indicator: 'reported_crimes',
    period: nextPeriod(),
    value: 12,
    source: 'District police station monthly report',
    ...extra,
  });
  const create = async (token: string, extra: Record<string, unknown> = {}) => {
    const res = await t.http.post(BASE).set(auth(token)).send(body(extra));
    assert.equal(res.status, 201, JSON.stringify(res.body));
    return res.body as { id: string; period: string; version: number };
  };

  it('records a value: 201, Location, ETag, one audit row', async () => {
    const before = await auditCount(t);
    const sent = body({ period: '2016-03' });
    const res = await t.http.post(BASE).set(auth(staffNP)).send(sent);
    assert.equal(res.status, 201, JSON.stringify(res.body));
    assert.equal(res.headers.location, `${BASE}/${res.body.id}`);
    assert.equal(res.headers.etag, '"1"');
    assert.deepEqual({ ...res.body, id: undefined, createdAt: undefined, updatedAt: undefined }, {
      ...sent, countryCode: 'NP', version: 1, archivedAt: null, id: undefined, createdAt: undefined, updatedAt: undefined,
    });
    assert.equal(await auditCount(t), before + 1);
    const get = await t.http.get(`${BASE}/${res.body.id}`).set(auth(analyst));
    assert.equal(get.status, 200);
    assert.equal(get.body.value, 12);
  });

  it('answers a duplicate network, indicator and period with 409 naming the existing value', async () => {
    const first = await create(staffNP, { period: '2015-06' });
    const before = await auditCount(t);
    const dup = await t.http.post(BASE).set(auth(admin)).send(body({ period: '2015-06', value: 99 }));
    assert.equal(dup.status, 409);
    assert.equal(dup.body.type, 'urn:jsd:problem:duplicate');
    assert.equal(dup.body.existingId, first.id);
    assert.equal(await auditCount(t), before);
    // Another indicator or network for the same month is a different key.
    await create(staffNP, { period: '2015-06', indicator: 'violent_incidents' });
    await create(staffNP, { period: '2015-06', networkId: npOtherNetwork });
  });

  const cases: [string, Record<string, unknown>, boolean][] = [
    ['a whole crime count', { indicator: 'reported_crimes', value: 0 }, true],
    ['a fractional crime count', { indicator: 'reported_crimes', value: 2.5 }, false],
    ['a negative incident count', { indicator: 'violent_incidents', value: -1 }, false],
    ['a fractional incident count', { indicator: 'violent_incidents', value: 0.5 }, false],
    ['a decimal response time', { indicator: 'police_response_time_minutes', value: 17.25 }, true],
    ['a negative response time', { indicator: 'police_response_time_minutes', value: -0.5 }, false],
    ['a trust score of 100', { indicator: 'trust_score', value: 100 }, true],
    ['a trust score of 72.5', { indicator: 'trust_score', value: 72.5 }, true],
    ['a trust score over 100', { indicator: 'trust_score', value: 100.5 }, false],
    ['a value as a string', { indicator: 'trust_score', value: '50' }, false],
    ['three decimals', { indicator: 'police_response_time_minutes', value: 1.125 }, false],
  ];
  for (const [label, extra, ok] of cases) {
    it(`${ok ? 'accepts' : 'rejects (400 on value)'} ${label}`, async () => {
      const res = await t.http.post(BASE).set(auth(admin)).send(body(extra));
      if (ok) {
        assert.equal(res.status, 201, JSON.stringify(res.body));
        assert.equal(res.body.value, extra.value);
      } else {
        assert.equal(res.status, 400, JSON.stringify(res.body));
        assert.deepEqual(res.body.errors.map((e: { field: string }) => e.field), ['value']);
      }
    });
  }

  it('rejects malformed periods, future months, unknown indicators and fields', async () => {
    for (const period of ['2016-13', '2016-00', '2016-3', '201603', '2016-03-01', '2999-01']) {
      const res = await t.http.post(BASE).set(auth(admin)).send(body({ period }));
      assert.equal(res.status, 400, period);
      assert.equal(res.body.errors[0].field, 'period');
    }
    const indicator = await t.http.post(BASE).set(auth(admin)).send(body({ indicator: 'happiness' }));
    assert.equal(indicator.status, 400);
    assert.equal(indicator.body.errors[0].field, 'indicator');
    const unknown = await t.http.post(BASE).set(auth(admin)).send(body({ countryCode: 'NP' }));
    assert.equal(unknown.status, 400);
  });

  it('corrects with If-Match, validating the value against the stored indicator; stale → 412', async () => {
    const v = await create(staffNP, { indicator: 'trust_score', value: 40 });
    const before = await auditCount(t);
    const ok = await t.http.patch(`${BASE}/${v.id}`).set(auth(staffNP)).set('If-Match', '"1"').send({ value: 45.5, source: 'Survey round 2' });
    assert.equal(ok.status, 200, JSON.stringify(ok.body));
    assert.equal(ok.body.value, 45.5);
    assert.equal(ok.headers.etag, '"2"');
    assert.equal(await auditCount(t), before + 1);
    const stale = await t.http.patch(`${BASE}/${v.id}`).set(auth(staffNP)).set('If-Match', '"1"').send({ value: 50 });
    assert.equal(stale.status, 412);
    const tooHigh = await t.http.patch(`${BASE}/${v.id}`).set(auth(staffNP)).send({ value: 101 });
    assert.equal(tooHigh.status, 400);
    assert.equal(tooHigh.body.errors[0].field, 'value');
    const rekey = await t.http.patch(`${BASE}/${v.id}`).set(auth(staffNP)).send({ period: '2001-01' });
    assert.equal(rekey.status, 400);
    assert.equal(await auditCount(t), before + 1);
    assert.equal((await t.http.get(`${BASE}/${v.id}`).set(auth(staffNP))).body.value, 45.5);
  });

  it('archives on DELETE (204, one audit row), freeing the key for a new value', async () => {
    const v = await create(staffNP, { period: '2014-02' });
    const before = await auditCount(t);
    assert.equal((await t.http.delete(`${BASE}/${v.id}`).set(auth(staffNP))).status, 204);
    assert.equal((await t.http.delete(`${BASE}/${v.id}`).set(auth(staffNP))).status, 204);
    assert.equal(await auditCount(t), before + 1);
    const list = await t.http.get(`${BASE}?limit=200&networkId=${npNetwork}&from=2014-02&to=2014-02`).set(auth(staffNP));
    assert.deepEqual(list.body.data, []);
    const again = await create(staffNP, { period: '2014-02', value: 7 });
    const all = await t.http.get(`${BASE}?limit=200&networkId=${npNetwork}&from=2014-02&to=2014-02&includeArchived=true`).set(auth(staffNP));
    assert.deepEqual(all.body.data.map((x: { id: string }) => x.id).sort(), [v.id, again.id].sort());
    assert.equal((await t.http.patch(`${BASE}/${v.id}`).set(auth(staffNP)).send({ value: 1 })).status, 409);
  });

  it('keeps country staff to their countries: another country’s network in a body or record → 404', async () => {
    const res = await t.http.post(BASE).set(auth(staffIQ)).send(body());
    assert.equal(res.status, 404);
    const np = await create(staffNP);
    assert.equal((await t.http.get(`${BASE}/${np.id}`).set(auth(staffIQ))).status, 404);
    assert.equal((await t.http.patch(`${BASE}/${np.id}`).set(auth(staffIQ)).send({ value: 1 })).status, 404);
    assert.equal((await t.http.delete(`${BASE}/${np.id}`).set(auth(staffIQ))).status, 404);
    const list = await t.http.get(`${BASE}?limit=200`).set(auth(staffIQ));
    assert.ok(!list.body.data.some((x: { id: string }) => x.id === np.id));
  });

  it('lets partner users record and correct values of their networks only; hq_analyst only reads', async () => {
    const mine = await create(partner);
    assert.equal((await t.http.patch(`${BASE}/${mine.id}`).set(auth(partner)).send({ value: 3 })).status, 200);
    assert.equal((await t.http.delete(`${BASE}/${mine.id}`).set(auth(partner))).status, 403);
    assert.equal((await t.http.post(BASE).set(auth(partner)).send(body({ networkId: npOtherNetwork }))).status, 404);
    assert.equal((await t.http.post(BASE).set(auth(partner)).send(body({ networkId: iqNetwork }))).status, 404);
    const other = await create(staffNP, { networkId: npOtherNetwork });
    assert.equal((await t.http.get(`${BASE}/${other.id}`).set(auth(partner))).status, 404);
    const list = await t.http.get(`${BASE}?limit=200`).set(auth(partner));
    assert.ok(list.body.data.every((x: { networkId: string }) => x.networkId === npNetwork));

    assert.equal((await t.http.get(`${BASE}/${other.id}`).set(auth(analyst))).status, 200);
    assert.equal((await t.http.post(BASE).set(auth(analyst)).send(body())).status, 403);
    assert.equal((await t.http.patch(`${BASE}/${other.id}`).set(auth(analyst)).send({ value: 1 })).status, 403);
    assert.equal((await t.http.delete(`${BASE}/${other.id}`).set(auth(analyst))).status, 403);
  });

  it('filters by network, country, indicator and period range, ordered by period', async () => {
    const a = await create(admin, { networkId: iqNetwork, period: '2015-01', value: 40 });
    const b = await create(admin, { networkId: iqNetwork, period: '2016-01', value: 10 });
    const c = await create(admin, { networkId: iqNetwork, period: '2015-07', indicator: 'trust_score', value: 55 });
    const ids = async (qs: string) => {
      const res = await t.http.get(`${BASE}?limit=200&${qs}`).set(auth(admin));
      assert.equal(res.status, 200, JSON.stringify(res.body));
      return res.body.data.map((x: { id: string }) => x.id);
    };
    assert.deepEqual(await ids('countryCode=IQ'), [a.id, c.id, b.id]);
    assert.deepEqual(await ids(`networkId=${iqNetwork}&indicator=reported_crimes`), [a.id, b.id]);
    assert.deepEqual(await ids('countryCode=IQ&from=2015-02&to=2015-12'), [c.id]);
    assert.equal((await t.http.get(`${BASE}?from=2015-1`).set(auth(admin))).status, 400);
  });
});
