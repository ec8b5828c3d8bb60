import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { adminToken, createApiKey, createUser } from './support/auth';
import { insertNetwork, insertParticipant, insertPartner, insertPolicePartner } from './support/fixtures';
import { insertIndicatorValue, insertMetricsDispute, insertMetricsInitiative, insertMetricsSession, insertMetricsWarning, monthOf, parseCsv } from './support/metrics';
import { startTestApp, TestApp } from './support/test-app';

const IMPACT = '/api/v1/metrics/impact';
const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });
const zeros = <K extends string>(keys: readonly K[]) => Object.fromEntries(keys.map((k) => [k, 0])) as Record<K, number>;
const GROUPS = ['tribal_elder', 'religious_leader', 'lawyer', 'journalist', 'political_party', 'business', 'writer', 'minority_group', 'womens_group', 'youth_group', 'former_combatant', 'vigilante_group', 'idp_representative', 'academic', 'civil_society', 'other'] as const;
const RISK = Array.from({ length: 14 }, (_, i) => String(i + 1));
const NO_CHANGE = { months: 0, baseline: null, latest: null, percentChange: null };

/**
 * Every figure against values computed by hand from the fixture below. SMALL_CELL_THRESHOLD=1
 * turns suppression off here (impact-metrics-disclosure.e2e-spec.ts tests it), so the raw
 * figures are visible.
 *
 * NP network Alpha: A1 2015-01-10 (p1♀ lawyer, p2♂ lawyer, p3♀ journalist, police s1; unnamed 2 women 3 men; APs open, done),
 *                   A2 2015-02-20 (p1, p4♂ tribal_elder; APs done, dropped), A3 archived (p5; AP open).
 * NP network Bravo: B1 2015-04-05 (p1, p5♀ womens_group, police s1, s2; unnamed 4 youth; AP open).
 * IQ network Charlie: C1 2016-07-01 (q1♀ tribal_elder, q2♂ youth_group; unnamed 1 man).
 * IQ Kirkuk networks K1–K3: reported crimes 40 a month in 2015-01..03, 25 in between, 10 in 2016-10..12.
 */
describe('GET /metrics/impact', () => {
  let t: TestApp;
  let admin: string;
  let analyst: string;
  let staffNP: string;
  let partner: string;
  let alpha: string;
  let bravo: string;
  let charlie: string;
  const kirkuk: string[] = [];

  before(async () => {
    t = await startTestApp({ SMALL_CELL_THRESHOLD: '1', METRICS_DISCLOSURE_CONTROL: 'off' });
    admin = await adminToken(t);
    alpha = await insertNetwork(t.db, { countryCode: 'NP', name: 'Alpha' });
    bravo = await insertNetwork(t.db, { countryCode: 'NP', name: 'Bravo' });
    charlie = await insertNetwork(t.db, { countryCode: 'IQ', name: 'Charlie' });
    for (const name of ['Kirkuk 1', 'Kirkuk 2', 'Kirkuk 3']) kirkuk.push(await insertNetwork(t.db, { countryCode: 'IQ', name }));
    const partnerId = await insertPartner(t.db, { countryCode: 'NP', networkIds: [alpha, bravo] });
    analyst = (await createUser(t, admin, { role: 'hq_analyst' })).token;
    staffNP = (await createUser(t, admin, { role: 'country_staff', countryCodes: ['NP'] })).token;
    partner = (await createUser(t, admin, { role: 'partner', partnerId })).token;

    const person = (countryCode: string, gender: string, stakeholderGroup: string) => insertParticipant(t.db, { countryCode, gender, stakeholderGroup });
    const p1 = await person('NP', 'female', 'lawyer');
    const p2 = await person('NP', 'male', 'lawyer');
    const p3 = await person('NP', 'female', 'journalist');
    const p4 = await person('NP', 'male', 'tribal_elder');
    const p5 = await person('NP', 'female', 'womens_group');
    const q1 = await person('IQ', 'female', 'tribal_elder');
    const q2 = await person('IQ', 'male', 'youth_group');
    const s1 = await insertPolicePartner(t.db, { countryCode: 'NP' });
    const s2 = await insertPolicePartner(t.db, { countryCode: 'NP', institution: 'prosecution' });
    await insertMetricsSession(t.db, { networkId: alpha, heldOn: '2015-01-10', participants: [p1, p2, p3], policePartners: [s1], unnamed: { women: 2, men: 3 }, actionPoints: ['open', 'done'] });
    await insertMetricsSession(t.db, { networkId: alpha, heldOn: '2015-02-20', participants: [p1, p4], actionPoints: ['done', 'dropped'] });
    await insertMetricsSession(t.db, { networkId: alpha, heldOn: '2015-02-21', participants: [p5], actionPoints: ['open'], archived: true });
    await insertMetricsSession(t.db, { networkId: bravo, heldOn: '2015-04-05', participants: [p1, p5], policePartners: [s1, s2], unnamed: { youth: 4 }, actionPoints: ['open'] });
    await insertMetricsSession(t.db, { networkId: charlie, heldOn: '2016-07-01', participants: [q1, q2], unnamed: { men: 1 } });

    const iqPartner = await insertPartner(t.db, { countryCode: 'IQ', networkIds: [charlie] });
    await insertMetricsDispute(t.db, { networkId: alpha, partnerId, reportedOn: '2015-01-05', status: 'resolved', resolvedOn: '2015-01-15' });
    await insertMetricsDispute(t.db, { networkId: alpha, partnerId, reportedOn: '2015-02-01', status: 'closed', resolvedOn: '2015-02-21' });
    await insertMetricsDispute(t.db, { networkId: bravo, partnerId, reportedOn: '2015-03-01', status: 'referred' });
    await insertMetricsDispute(t.db, { networkId: bravo, partnerId, reportedOn: '2015-04-01', status: 'in_mediation' });
    await insertMetricsDispute(t.db, { networkId: charlie, partnerId: iqPartner, reportedOn: '2016-07-02', status: 'resolved', resolvedOn: '2016-08-01' });
    await insertMetricsDispute(t.db, { networkId: alpha, partnerId, reportedOn: '2015-01-06', status: 'resolved', resolvedOn: '2015-01-07', archived: true });

    await insertMetricsInitiative(t.db, { networkId: alpha, status: 'approved', startOn: '2015-03-01', budget: '1000.50', currency: 'USD', disbursements: [['250.25', '2015-03-10'], ['100.00', '2016-01-05']] });
    await insertMetricsInitiative(t.db, { networkId: bravo, status: 'completed', startOn: '2015-05-01', budget: '2000.00', currency: 'EUR', disbursements: [['2000.00', '2015-06-01']] });
    await insertMetricsInitiative(t.db, { networkId: alpha, status: 'proposed', startOn: null, budget: '500.00', currency: 'USD' });
    await insertMetricsInitiative(t.db, { networkId: charlie, status: 'cancelled', startOn: '2016-02-01', budget: '300.00', currency: 'USD' });
    await insertMetricsInitiative(t.db, { networkId: alpha, status: 'in_progress', startOn: '2016-01-01', budget: '0.10', currency: 'USD' });
    await insertMetricsInitiative(t.db, { networkId: alpha, status: 'in_progress', startOn: '2016-02-01', budget: '0.20', currency: 'USD' });

    await insertMetricsWarning(t.db, { countryCode: 'NP', networkId: alpha, observedOn: '2015-01-20', riskFactors: [1, 9] });
    await insertMetricsWarning(t.db, { countryCode: 'NP', networkId: null, observedOn: '2015-05-01', riskFactors: [9], status: 'verified' });
    await insertMetricsWarning(t.db, { countryCode: 'NP', networkId: bravo, observedOn: '2015-06-01', riskFactors: [3], status: 'dismissed' });
    await insertMetricsWarning(t.db, { countryCode: 'IQ', networkId: charlie, observedOn: '2016-07-10', riskFactors: [1, 14], status: 'escalated' });
    await insertMetricsWarning(t.db, { countryCode: 'NP', networkId: alpha, observedOn: '2015-01-21', riskFactors: [2], archived: true });

    for (const networkId of kirkuk) {
      for (let n = 0; n < 24; n++) {
        await insertIndicatorValue(t.db, { networkId, indicator: 'reported_crimes', period: monthOf(2015, n), value: n < 3 ? 40 : n >= 21 ? 10 : 25 });
      }
    }
    // A superseded (archived) correction is not counted.
    await insertIndicatorValue(t.db, { networkId: kirkuk[0], indicator: 'reported_crimes', period: '2015-01', value: 400, archived: true });
    await insertIndicatorValue(t.db, { networkId: alpha, indicator: 'trust_score', period: '2015-01', value: 50 });
    await insertIndicatorValue(t.db, { networkId: alpha, indicator: 'trust_score', period: '2015-02', value: 60 });
    await insertIndicatorValue(t.db, { networkId: bravo, indicator: 'violent_incidents', period: '2015-03', value: 7 });
  });
  after(() => t.close());

  const get = async (query: string, token = analyst) => {
    const res = await t.http.get(`${IMPACT}${query}`).set(bearer(token));
    assert.equal(res.status, 200, JSON.stringify(res.body));
    return res.body;
  };

  it('computes every figure for the whole data set (one row without groupBy)', async () => {
    const body = await get('');
    assert.equal(body.groupBy, null);
    assert.equal(body.smallCellThreshold, 1);
    assert.equal(body.data.length, 1);
    assert.deepEqual(body.data[0], {
      sessions: 4,
      sessionsWithStatePartners: 2,
      attendances: 22, // 12 named (4 + 2 + 4 + 2) + 10 unnamed (5 + 4 + 1)
      unnamedAttendances: 10,
      uniqueParticipants: 7, // p1–p5, q1, q2 (p5 via B1: the archived A3 does not count)
      women: 4,
      womenShare: 0.5714,
      stakeholderGroups: { ...zeros(GROUPS), lawyer: 2, journalist: 1, tribal_elder: 2, womens_group: 1, youth_group: 1 },
      disputes: { total: 5, reported: 0, in_mediation: 1, escalated: 0, resolved: 2, referred: 1, withdrawn: 0, closed: 1 },
      disputeResolutionRate: 0.6, // resolved at some point (D1, D2 now closed, D5) / 5
      medianDaysToResolution: 20, // 10, 20, 30 days
      actionPoints: { total: 5, open: 2, done: 2, dropped: 1 },
      initiatives: { total: 6, proposed: 1, approved: 1, in_progress: 2, completed: 1, cancelled: 1 },
      budgetCommitted: [
        { amount: '2000.00', currency: 'EUR' },
        { amount: '1000.80', currency: 'USD' },
      ],
      disbursed: [
        { amount: '2000.00', currency: 'EUR' },
        { amount: '350.25', currency: 'USD' },
      ],
      earlyWarnings: { ...zeros(RISK), total: 3, 1: 2, 9: 2, 14: 1 },
      indicatorChange: {
        reported_crimes: { months: 24, baseline: 40, latest: 10, percentChange: -75 },
        violent_incidents: { months: 1, baseline: 7, latest: null, percentChange: null },
        police_response_time_minutes: NO_CHANGE,
        trust_score: { months: 2, baseline: 50, latest: 60, percentChange: 20 },
      },
      suppressed: [],
    });
  });

  it('reproduces the Kirkuk figure: reported crime down 75% in the three networks over 2015–2016', async () => {
    const body = await get(`?countryCode=IQ&from=2015-01-01&to=2016-12-31&groupBy=network`);
    const rows = body.data.filter((r: { networkName: string }) => r.networkName.startsWith('Kirkuk'));
    assert.equal(rows.length, 3);
    for (const row of rows) assert.deepEqual(row.indicatorChange.reported_crimes, { months: 24, baseline: 40, latest: 10, percentChange: -75 });
    const all = await get(`?networkId=${kirkuk[1]}&from=2015-01-01&to=2016-12-31`);
    assert.equal(all.data[0].indicatorChange.reported_crimes.percentChange, -75);
    // Over 2015 alone the last three months are 25: (25 − 40) / 40 = −37.5%.
    const y2015 = await get(`?countryCode=IQ&from=2015-01-01&to=2015-12-31`);
    assert.deepEqual(y2015.data[0].indicatorChange.reported_crimes, { months: 12, baseline: 40, latest: 25, percentChange: -37.5 });
  });

  it('groups by country', async () => {
    const body = await get('?groupBy=country');
    assert.deepEqual(body.data.map((r: { countryCode: string }) => r.countryCode), ['IQ', 'NP']);
    const [iq, np] = body.data;
    assert.equal(iq.sessions, 1);
    assert.equal(iq.attendances, 3);
    assert.equal(iq.uniqueParticipants, 2);
    assert.equal(iq.womenShare, 0.5);
    assert.deepEqual(iq.disputes, { total: 1, reported: 0, in_mediation: 0, escalated: 0, resolved: 1, referred: 0, withdrawn: 0, closed: 0 });
    assert.equal(iq.medianDaysToResolution, 30);
    assert.deepEqual(iq.initiatives, { total: 1, proposed: 0, approved: 0, in_progress: 0, completed: 0, cancelled: 1 });
    assert.deepEqual(iq.budgetCommitted, []);
    assert.equal(iq.indicatorChange.reported_crimes.percentChange, -75);
    assert.equal(np.sessions, 3);
    assert.equal(np.attendances, 19);
    assert.equal(np.uniqueParticipants, 5);
    assert.equal(np.women, 3);
    assert.equal(np.womenShare, 0.6);
    assert.equal(np.disputeResolutionRate, 0.5);
    assert.equal(np.medianDaysToResolution, 15);
    assert.deepEqual(np.budgetCommitted, [
      { amount: '2000.00', currency: 'EUR' },
      { amount: '1000.80', currency: 'USD' },
    ]);
    assert.deepEqual(np.earlyWarnings, { ...zeros(RISK), total: 2, 1: 1, 9: 2 });
    assert.deepEqual(np.indicatorChange.reported_crimes, NO_CHANGE);
    assert.ok(!('period' in np) && !('networkId' in np));
  });

  it('groups by network, with a row for early warnings filed without a network', async () => {
    const body = await get('?groupBy=network&countryCode=NP');
    assert.deepEqual(
      body.data.map((r: { countryCode: string; networkId: string | null; networkName: string | null }) => [r.countryCode, r.networkId, r.networkName]),
      [['NP', null, null], ['NP', alpha, 'Alpha'], ['NP', bravo, 'Bravo']],
    );
    const [none, a, b] = body.data;
    assert.deepEqual(none.earlyWarnings, { ...zeros(RISK), total: 1, 9: 1 });
    assert.equal(none.sessions, 0);
    assert.deepEqual([a.sessions, a.attendances, a.uniqueParticipants, a.women, a.sessionsWithStatePartners], [2, 11, 4, 2, 1]);
    assert.deepEqual([b.sessions, b.attendances, b.uniqueParticipants, b.women, b.sessionsWithStatePartners], [1, 8, 2, 2, 1]);
    assert.deepEqual(a.actionPoints, { total: 4, open: 1, done: 2, dropped: 1 });
    assert.deepEqual(a.disputes.total, 2);
    assert.equal(a.medianDaysToResolution, 15);
    assert.deepEqual(a.disbursed, [{ amount: '350.25', currency: 'USD' }]);
    assert.deepEqual(b.disbursed, [{ amount: '2000.00', currency: 'EUR' }]);
    assert.deepEqual(a.indicatorChange.trust_score, { months: 2, baseline: 50, latest: 60, percentChange: 20 });
    assert.deepEqual(b.indicatorChange.violent_incidents, { months: 1, baseline: 7, latest: null, percentChange: null });
  });

  it('groups by month, quarter and year, each record on its own date', async () => {
    const months = await get('?groupBy=month&countryCode=NP&from=2015-01-01&to=2015-12-31');
    assert.deepEqual(months.data.map((r: { period: string }) => r.period), ['2015-01', '2015-02', '2015-03', '2015-04', '2015-05', '2015-06']);
    const [jan, feb, mar, apr, may, jun] = months.data;
    assert.deepEqual([jan.sessions, jan.attendances, jan.disputes.total, jan.earlyWarnings.total], [1, 9, 1, 1]);
    assert.deepEqual(jan.indicatorChange.trust_score, { months: 1, baseline: 50, latest: null, percentChange: null });
    assert.deepEqual([feb.sessions, feb.attendances, feb.disputes.closed, feb.medianDaysToResolution], [1, 2, 1, 20]);
    assert.deepEqual([mar.sessions, mar.disputes.referred, mar.initiatives.approved], [0, 1, 1]);
    assert.deepEqual(mar.disbursed, [{ amount: '250.25', currency: 'USD' }]);
    assert.deepEqual([apr.sessions, apr.attendances, apr.sessionsWithStatePartners, apr.disputes.in_mediation], [1, 8, 1, 1]);
    assert.deepEqual([may.initiatives.completed, may.earlyWarnings.total], [1, 1]);
    assert.deepEqual(may.budgetCommitted, [{ amount: '2000.00', currency: 'EUR' }]);
    assert.deepEqual(jun.disbursed, [{ amount: '2000.00', currency: 'EUR' }]);
    assert.equal(jun.earlyWarnings.total, 0, 'the dismissed warning does not count');

    const quarters = await get('?groupBy=quarter&countryCode=NP&from=2015-01-01&to=2016-12-31');
    assert.deepEqual(quarters.data.map((r: { period: string }) => r.period), ['2015-Q1', '2015-Q2', '2016-Q1']);
    const [q1, q2, q2016] = quarters.data;
    assert.deepEqual([q1.sessions, q1.attendances, q1.uniqueParticipants, q1.disputes.total], [2, 11, 4, 3]);
    assert.deepEqual(q1.indicatorChange.trust_score, { months: 2, baseline: 50, latest: 60, percentChange: 20 });
    assert.deepEqual([q2.sessions, q2.uniqueParticipants, q2.disputes.total, q2.initiatives.total], [1, 2, 1, 1]);
    assert.deepEqual(q2016.budgetCommitted, [{ amount: '0.30', currency: 'USD' }]);
    assert.deepEqual(q2016.disbursed, [{ amount: '100.00', currency: 'USD' }]);

    const years = await get('?groupBy=year&from=2015-01-01&to=2016-12-31');
    assert.deepEqual(years.data.map((r: { period: string }) => r.period), ['2015', '2016']);
    assert.deepEqual([years.data[0].sessions, years.data[0].uniqueParticipants, years.data[0].disputes.total], [3, 5, 4]);
    assert.deepEqual([years.data[1].sessions, years.data[1].uniqueParticipants, years.data[1].disputes.total], [1, 2, 1]);
    assert.deepEqual(years.data[1].initiatives, { total: 3, proposed: 0, approved: 0, in_progress: 2, completed: 0, cancelled: 1 });
    assert.deepEqual(years.data[0].indicatorChange.reported_crimes, { months: 12, baseline: 40, latest: 25, percentChange: -37.5 });
    assert.deepEqual(years.data[1].indicatorChange.reported_crimes, { months: 12, baseline: 25, latest: 10, percentChange: -60 });
  });

  it('filters by network, by several countries and by date range', async () => {
    const a = (await get(`?networkId=${alpha}`)).data[0];
    assert.deepEqual([a.sessions, a.attendances, a.uniqueParticipants, a.disputes.total, a.initiatives.total, a.earlyWarnings.total], [2, 11, 4, 2, 4, 1]);
    const both = await get('?countryCode=NP,IQ');
    assert.deepEqual(both.countryCodes, ['IQ', 'NP']);
    assert.deepEqual(both.data, (await get('')).data);
    const repeated = await get('?countryCode=NP&countryCode=IQ');
    assert.deepEqual(repeated.data, both.data);
    const range = (await get('?from=2015-02-01&to=2015-04-30')).data[0];
    // A2 and B1; D2, D3, D4; I1 (starts 2015-03-01) with its first tranche.
    assert.deepEqual([range.sessions, range.attendances, range.uniqueParticipants, range.disputes.total, range.initiatives.total], [2, 10, 3, 3, 1]);
    assert.deepEqual(range.disbursed, [{ amount: '250.25', currency: 'USD' }]);
    assert.deepEqual(range.indicatorChange.trust_score, { months: 1, baseline: 60, latest: null, percentChange: null });
    const empty = await get('?from=2030-01-01&to=2030-12-31');
    assert.equal(empty.data.length, 1, 'without groupBy there is always one row');
    assert.equal(empty.data[0].sessions, 0);
    assert.equal(empty.data[0].womenShare, null);
    assert.equal(empty.data[0].disputeResolutionRate, null);
    assert.equal((await get('?from=2030-01-01&groupBy=country')).data.length, 0);
  });

  it('answers Accept: text/csv with the same rows, one column per figure, stable header', async () => {
    const json = await get('?groupBy=country');
    const res = await t.http.get(`${IMPACT}?groupBy=country`).set(bearer(analyst)).set('Accept', 'text/csv');
    assert.equal(res.status, 200);
    assert.match(res.headers['content-type'], /^text\/csv/);
    assert.equal(res.headers['cache-control'], 'no-store');
    const [header, ...rows] = parseCsv(res.text);
    assert.deepEqual(header.slice(0, 8), ['countryCode', 'sessions', 'sessionsWithStatePartners', 'attendances', 'unnamedAttendances', 'uniqueParticipants', 'women', 'womenShare']);
    for (const column of ['stakeholderGroups.lawyer', 'disputes.resolved', 'actionPoints.done', 'initiatives.cancelled', 'earlyWarnings.14', 'indicatorChange.reported_crimes.percentChange', 'budgetCommitted.EUR', 'budgetCommitted.USD', 'disbursed.USD', 'suppressed']) {
      assert.ok(header.includes(column), `${column} in ${header.join(',')}`);
    }
    assert.equal(new Set(header).size, header.length);
    assert.equal(rows.length, json.data.length);
    // Every cell equals the JSON figure at that dotted path (money by currency, null as empty).
    for (const [i, row] of rows.entries()) {
      const expected = json.data[i];
      header.forEach((column, c) => {
        const [head, ...rest] = column.split('.');
        let value: unknown;
        if (head === 'budgetCommitted' || head === 'disbursed') value = expected[head].find((m: { currency: string }) => m.currency === rest[0])?.amount;
        else if (head === 'suppressed') value = expected.suppressed.join(';');
        else value = rest.reduce((v: Record<string, unknown>, k) => v[k] as Record<string, unknown>, expected[head]);
        assert.equal(row[c], value === null || value === undefined ? '' : String(value), `${column} of row ${i}`);
      });
    }
    // The same question answers the same header.
    const again = await t.http.get(`${IMPACT}?groupBy=country`).set(bearer(admin)).set('Accept', 'text/csv');
    assert.equal(again.text.split('\n')[0], res.text.split('\n')[0]);
  });

  it('forbids partners and confines country staff to their countries', async () => {
    const forbidden = await t.http.get(IMPACT).set(bearer(partner));
    assert.equal(forbidden.status, 403);
    assert.match(forbidden.headers['content-type'], /application\/problem\+json/);
    const own = await get('?groupBy=country', staffNP);
    assert.deepEqual(own.data.map((r: { countryCode: string }) => r.countryCode), ['NP']);
    const total = (await get('', staffNP)).data[0];
    assert.deepEqual([total.sessions, total.uniqueParticipants, total.disputes.total], [3, 5, 4]);
    assert.equal(total.indicatorChange.reported_crimes.months, 0, 'Kirkuk values are not in NP scope');
    for (const query of ['?countryCode=IQ', '?countryCode=NP,IQ', `?networkId=${charlie}`, `?networkId=${kirkuk[0]}`]) {
      const res = await t.http.get(`${IMPACT}${query}`).set(bearer(staffNP));
      assert.equal(res.status, 404, query);
      assert.equal(res.body.type, 'urn:jsd:problem:not-found');
    }
    const key = await createApiKey(t, admin, { role: 'hq_analyst' });
    const viaKey = await t.http.get(`${IMPACT}?groupBy=country`).set('X-API-Key', key.key);
    assert.equal(viaKey.status, 200);
    assert.equal(viaKey.body.data.length, 2);
    assert.equal((await t.http.get(IMPACT)).status, 401);
  });

  it('refuses bad parameters with a validation problem, and unknown filters with 404', async () => {
    for (const [query, field] of [
      ['?from=2015-02-30', 'from'],
      ['?to=2015-13-01', 'to'],
      ['?from=yesterday', 'from'],
      ['?from=2016-01-01&to=2015-12-31', 'to'],
      ['?groupBy=week', 'groupBy'],
      ['?networkId=not-a-uuid', 'networkId'],
      ['?countryCode=iq', 'countryCode'],
      ['?countryCode=', 'countryCode'],
      ['?colour=red', 'colour'],
    ]) {
      const res = await t.http.get(`${IMPACT}${query}`).set(bearer(analyst));
      assert.equal(res.status, 400, `${query}: ${JSON.stringify(res.body)}`);
      assert.match(res.headers['content-type'], /application\/problem\+json/);
      assert.equal(res.body.type, 'urn:jsd:problem:validation');
      assert.ok(res.body.errors.some((e: { field: string }) => e.field === field), `${query}: ${JSON.stringify(res.body.errors)}`);
    }
    for (const query of ['?countryCode=ZZ', `?networkId=00000000-0000-4000-8000-000000000000`]) {
      assert.equal((await t.http.get(`${IMPACT}${query}`).set(bearer(admin))).status, 404, query);
    }
  });
});
