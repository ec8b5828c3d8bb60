import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Principal } from '../src/auth/principal';
import { ImpactQuery, MetricsScope } from '../src/insights/impact-metrics.model';
import { ImpactMetricsService } from '../src/insights/impact-metrics.service';
import { refreshDirtyCells, RefreshResult, refreshStalePeriods, SqlRunner } from '../src/insights/metrics-rollup-refresh';
import { MetricsRollupRefresher } from '../src/insights/metrics-rollup-refresher';
import { adminToken } from './support/auth';
import { insertNetwork, insertParticipant, insertPartner, insertPolicePartner } from './support/fixtures';
import { insertIndicatorValue, insertMetricsDispute, insertMetricsInitiative, insertMetricsSession, insertMetricsWarning, monthOf } from './support/metrics';
import { startTestApp, TestApp } from './support/test-app';
import { sealed, sealedSessionText } from './support/sealed';
import { INITIATIVE_CIPHER } from '../src/initiatives/initiative-text';
import { DataSource } from 'typeorm';

const GROUPS = ['tribal_elder', 'lawyer', 'journalist', 'womens_group', 'youth_group'];
const STATUSES = ['open', 'done', 'dropped'];
const DISPUTE_STATUSES = ['reported', 'in_mediation', 'escalated', 'resolved', 'withdrawn', 'closed'];
const INITIATIVE_STATUSES = ['proposed', 'approved', 'in_progress', 'completed', 'cancelled'];
const CURRENCIES = ['USD', 'IQD'];

/** A small deterministic generator (mulberry32): the fixture is the same on every run. */
function random(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

const staffNP: Principal = { kind: 'user', id: '00000000-0000-4000-8000-000000000001', role: 'country_staff', countryCodes: ['NP'], partnerId: null };

/** Questions of every shape: rollup-backed (whole periods), partly (people raw) and not at all. */
function questions(networkId: string): [MetricsScope, ImpactQuery][] {
  const all: ImpactQuery[] = [
    { groupBy: 'month' },
    { groupBy: 'month', countryCodes: ['IQ'], from: '2015-01-01', to: '2016-12-31' },
    { groupBy: 'quarter', from: '2015-04-01', to: '2016-09-30' },
    { groupBy: 'quarter', from: '2015-02-01', to: '2016-09-30' },
    { groupBy: 'year', countryCodes: ['IQ', 'NP'] },
    { groupBy: 'country', from: '2015-01-01', to: '2015-12-31' },
    { from: '2016-04-01', to: '2016-06-30' },
    { groupBy: 'country', from: '2016-02-01', to: '2016-02-29' },
    { groupBy: 'network', from: '2015-01-01', to: '2016-06-30' },
    { from: '2015-03-01', to: '2016-02-29' },
    { groupBy: 'month', from: '2015-01-15', to: '2015-06-30' },
    { groupBy: 'month', networkId, from: '2015-01-01', to: '2016-12-31' },
    {},
  ];
  return [...all.map((q): [MetricsScope, ImpactQuery] => ['everything', q]), [staffNP, { groupBy: 'quarter' }], [staffNP, { groupBy: 'country' }]];
}

describe('metrics rollups', () => {
  let t: TestApp;
  let metrics: ImpactMetricsService;
  const networks: string[] = [];
  const participants: string[] = [];
  const sessions: string[] = [];
  const disputes: string[] = [];
  const initiatives: string[] = [];
  const warnings: string[] = [];

  /** One refresh round on a connection of its own (it runs a transaction). */
  const onOwnConnection = async (round: (run: SqlRunner) => Promise<RefreshResult>) => {
    const client = await t.db.connect();
    try {
      return await round(async <T>(sql: string, params?: unknown[]) => (await client.query(sql, params)).rows as T[]);
    } finally {
      client.release();
    }
  };
  const refreshMonths = (limit = 10_000) => onOwnConnection((run) => refreshDirtyCells(run, limit));
  const refreshPeriods = (minAgeMs: number) => onOwnConnection((run) => refreshStalePeriods(run, 10_000, minAgeMs));
  /** The dirty months, then every stale period however recent: the rollups as the worker leaves them once idle. */
  const refresh = async (limit = 10_000) => {
    const months = await refreshMonths(limit);
    await refreshPeriods(0);
    return months;
  };
  const dirtyCount = async () => Number((await t.db.query('SELECT count(*) AS n FROM metrics_dirty_months')).rows[0].n);
  const stalePeriods = async () =>
    (await t.db.query(`SELECT country_code, period_kind, to_char(period_start, 'YYYY-MM-DD') AS start FROM metrics_stale_people_periods ORDER BY 1, 2, 3`)).rows as { country_code: string; period_kind: string; start: string }[];

  /** Every question answered from the rollups equals the same question answered from the raw tables. */
  const assertSameAsRaw = async (label: string) => {
    for (const [scope, q] of questions(networks[0])) {
      const fromRollups = await metrics.compute(scope, q);
      const fromRaw = await metrics.compute(scope, q, { rollups: false });
      assert.deepEqual(fromRollups, fromRaw, `${label}: ${JSON.stringify(q)}`);
    }
  };

  before(async () => {
    t = await startTestApp({ SMALL_CELL_THRESHOLD: '1' });
    metrics = t.app.get(ImpactMetricsService);
    const rnd = random(7);
    const pick = <T>(xs: readonly T[]) => xs[Math.floor(rnd() * xs.length)];
    for (const [country, name] of [['NP', 'R Alpha'], ['NP', 'R Bravo'], ['IQ', 'R Charlie'], ['IQ', 'R Delta']]) {
      networks.push(await insertNetwork(t.db, { countryCode: country, name }));
    }
    const countryOf = (i: number) => (i < 2 ? 'NP' : 'IQ');
    const people: Record<string, string[]> = { NP: [], IQ: [] };
    for (let i = 0; i < 24; i++) {
      const country = i % 2 ? 'NP' : 'IQ';
      const id = await insertParticipant(t.db, { countryCode: country, gender: rnd() < 0.5 ? 'female' : 'male', stakeholderGroup: pick(GROUPS) });
      people[country].push(id);
      participants.push(id);
    }
    const police = { NP: await insertPolicePartner(t.db, { countryCode: 'NP' }), IQ: await insertPolicePartner(t.db, { countryCode: 'IQ' }) };
    for (let i = 0; i < 50; i++) {
      const n = Math.floor(rnd() * 4);
      const country = countryOf(n);
      const attendees = [...new Set(Array.from({ length: Math.floor(rnd() * 5) }, () => pick(people[country])))];
      sessions.push(
        await insertMetricsSession(t.db, {
          networkId: networks[n],
          heldOn: `${monthOf(2015, Math.floor(rnd() * 24))}-${String(1 + Math.floor(rnd() * 28)).padStart(2, '0')}`,
          participants: attendees,
          policePartners: rnd() < 0.3 ? [police[country]] : [],
          unnamed: { women: Math.floor(rnd() * 3), youth: Math.floor(rnd() * 2) },
          actionPoints: Array.from({ length: Math.floor(rnd() * 3) }, () => pick(STATUSES)),
          archived: rnd() < 0.1,
        }),
      );
    }
    const partners = { NP: await insertPartner(t.db, { countryCode: 'NP', networkIds: networks.slice(0, 2) }), IQ: await insertPartner(t.db, { countryCode: 'IQ', networkIds: networks.slice(2) }) };
    const day = (months = 24) => `${monthOf(2015, Math.floor(rnd() * months))}-${String(1 + Math.floor(rnd() * 28)).padStart(2, '0')}`;
    const daysAfter = (date: string, days: number) => new Date(Date.parse(date) + days * 86_400_000).toISOString().slice(0, 10);
    for (let i = 0; i < 60; i++) {
      const n = Math.floor(rnd() * 4);
      const status = pick(DISPUTE_STATUSES);
      const reportedOn = day();
      // Resolution times repeat (a handful of values), so medians fall on ties and between values.
      const resolvedOn = status === 'resolved' || (status === 'closed' && rnd() < 0.5) ? daysAfter(reportedOn, pick([3, 7, 7, 12, 30, 45])) : undefined;
      disputes.push(await insertMetricsDispute(t.db, { networkId: networks[n], partnerId: partners[countryOf(n)], reportedOn, status, resolvedOn, archived: rnd() < 0.1 }));
    }
    for (let i = 0; i < 24; i++) {
      const status = pick(INITIATIVE_STATUSES);
      const currency = pick(CURRENCIES);
      const paid = status === 'proposed' || status === 'cancelled' ? [] : Array.from({ length: Math.floor(rnd() * 3) }, (): [string, string] => [(Math.floor(rnd() * 100_000) / 100).toFixed(2), day()]);
      initiatives.push(
        await insertMetricsInitiative(t.db, { networkId: networks[i % 4], status, startOn: status === 'proposed' ? null : day(), budget: (1000 + Math.floor(rnd() * 900_000) / 100).toFixed(2), currency, disbursements: paid }),
      );
    }
    for (let i = 0; i < 30; i++) {
      const n = Math.floor(rnd() * 4);
      const factors = [...new Set([1 + Math.floor(rnd() * 14), 1 + Math.floor(rnd() * 14)])];
      warnings.push(
        await insertMetricsWarning(t.db, { countryCode: countryOf(n), networkId: rnd() < 0.2 ? null : networks[n], observedOn: day(), riskFactors: factors, status: rnd() < 0.2 ? 'dismissed' : 'reported', archived: rnd() < 0.1 }),
      );
    }
    for (const [i, networkId] of networks.entries()) {
      for (let m = 0; m < 24; m += 1 + (i % 3)) {
        await insertIndicatorValue(t.db, { networkId, indicator: 'police_response_time_minutes', period: monthOf(2015, m), value: Math.round(rnd() * 5000) / 100 });
        await insertIndicatorValue(t.db, { networkId, indicator: 'reported_crimes', period: monthOf(2015, m), value: Math.floor(rnd() * 40) });
        if (m % 4 === 0) await insertIndicatorValue(t.db, { networkId, indicator: 'trust_score', period: monthOf(2015, m), value: 40 + m });
      }
    }
  });

  after(async () => {
    await t?.close();
  });

  it('every write marks its months dirty, and figures of dirty months equal the raw ones', async () => {
    assert.ok((await dirtyCount()) > 0);
    await assertSameAsRaw('all months dirty');
  });

  it('a refresh builds the rollups and clears the markers; the figures stay the same', async () => {
    const result = await refresh();
    assert.ok(result.cells > 0);
    assert.equal(result.remaining, 0);
    assert.equal(await dirtyCount(), 0);
    const tables = ['session_months', 'people_periods', 'indicator_months', 'dispute_months', 'dispute_resolution_days', 'initiative_months', 'committed_months', 'disbursed_months', 'warning_months'];
    const counts = (await t.db.query(`SELECT ${tables.map((n) => `(SELECT count(*) FROM metrics_${n}) AS ${n}`).join(', ')}`)).rows[0];
    assert.ok(tables.every((n) => Number(counts[n]) > 0), JSON.stringify(counts));
    await assertSameAsRaw('after refresh');
    // The median read off the rollup's day counts is PostgreSQL's percentile_cont(0.5) of the raw rows.
    const { rows: medians } = await t.db.query(
      `SELECT to_char(reported_on, 'YYYY-Q') AS period, percentile_cont(0.5) WITHIN GROUP (ORDER BY resolved_on - reported_on) AS median
         FROM disputes WHERE archived_at IS NULL AND resolved_on IS NOT NULL GROUP BY 1`,
    );
    const byQuarter = await metrics.compute('everything', { groupBy: 'quarter' });
    const expected = new Map(medians.map((m) => [m.period.replace('-', '-Q'), m.median as number]));
    assert.ok([...expected.values()].some((m) => !Number.isInteger(m)), 'some quarter has a median between two values');
    for (const row of byQuarter.data) assert.equal(row.medianDaysToResolution, expected.get(row.period!) ?? null, row.period!);
  });

  it('GET /metrics/impact answers from the rollups what the raw rows give, and counts a new write before any refresh', async () => {
    await refresh();
    const token = await adminToken(t);
    const q: ImpactQuery = { groupBy: 'quarter', from: '2015-01-01', to: '2016-12-31' };
    const get = async () => (await t.http.get(`/api/v1/metrics/impact?groupBy=quarter&from=${q.from}&to=${q.to}`).set('Authorization', `Bearer ${token}`).expect(200)).body;
    const raw = async () => JSON.parse(JSON.stringify(await metrics.compute('everything', q, { rollups: false }))) as { data: { sessions: number }[] };
    const total = (r: { data: { sessions: number }[] }) => r.data.reduce((sum, row) => sum + row.sessions, 0);
    const before = await get();
    assert.deepEqual(before, await raw());
    await insertMetricsSession(t.db, { networkId: networks[1], heldOn: '2016-08-08', participants: [participants[1]] });
    const after = await get();
    assert.deepEqual(after, await raw());
    assert.equal(total(after), total(before) + 1);
    await refresh();
    assert.deepEqual(await get(), after);
  });

  it('a clean month is read from the rollups, not the raw rows (a tampered rollup shows), until it is marked again', async () => {
    const byMonth: ImpactQuery = { groupBy: 'month', from: '2015-01-01', to: '2016-12-31' };
    const byNetwork: ImpactQuery = { groupBy: 'network', from: '2015-01-01', to: '2016-12-31' };
    const total = (r: { data: { sessions: number }[] }) => r.data.reduce((sum, row) => sum + row.sessions, 0);
    const { rows } = await t.db.query(
      `UPDATE metrics_country_months SET sessions = sessions + 100
        WHERE ctid = (SELECT m.ctid FROM metrics_country_months m JOIN metrics_dispute_months USING (country_code, month) LIMIT 1) RETURNING country_code, month`,
    );
    const [{ country_code: country, month }] = rows;
    await t.db.query(`UPDATE metrics_session_months SET sessions = sessions + 10 WHERE ctid = (SELECT ctid FROM metrics_session_months WHERE country_code = $1 AND month = $2 LIMIT 1)`, [country, month]);
    await t.db.query(`UPDATE metrics_people_periods SET unique_participants = unique_participants + 100 WHERE period_kind = 'month' AND country_code = $1 AND period_start = $2`, [country, month]);
    const disputesOf = (r: { data: { disputes: { total: number } }[] }) => r.data.reduce((sum, row) => sum + row.disputes.total, 0);
    const { rowCount } = await t.db.query(`UPDATE metrics_dispute_months SET ds_total = ds_total + 50 WHERE country_code = $1 AND month = $2`, [country, month]);
    assert.equal(rowCount, 1, 'the tampered month has disputes');
    const rawByMonth = await metrics.compute('everything', byMonth, { rollups: false });
    const rawByNetwork = await metrics.compute('everything', byNetwork, { rollups: false });
    assert.equal(total(await metrics.compute('everything', byMonth)), total(rawByMonth) + 100, 'a country question reads the country months');
    assert.equal(total(await metrics.compute('everything', byNetwork)), total(rawByNetwork) + 10, 'a network question reads the network months');
    assert.equal(disputesOf(await metrics.compute('everything', byMonth)), disputesOf(rawByMonth) + 50, 'a country question reads the dispute months');
    assert.equal(disputesOf(await metrics.compute('everything', byNetwork)), disputesOf(rawByNetwork), 'a network question reads disputes raw');
    await t.db.query(`INSERT INTO metrics_dirty_months (country_code, month) VALUES ($1, $2)`, [country, month]);
    assert.deepEqual(await metrics.compute('everything', byMonth), rawByMonth, 'a dirty month is read raw');
    assert.deepEqual(await metrics.compute('everything', byNetwork), rawByNetwork, 'a dirty month is read raw');
    await refresh();
    await assertSameAsRaw('after re-marking');
  });

  it('writes of every kind after a refresh are counted at once, before the next refresh', async () => {
    await refresh();
    await insertMetricsSession(t.db, { networkId: networks[0], heldOn: '2015-05-05', participants: [participants[1], participants[3]], actionPoints: ['open'] });
    await t.db.query(`UPDATE sessions SET held_on = '2016-11-11' WHERE id = $1`, [sessions[0]]);
    await t.db.query(`UPDATE sessions SET archived_at = now() WHERE id = $1`, [sessions[1]]);
    await t.db.query(`UPDATE sessions SET unnamed_men = unnamed_men + 7 WHERE id = $1`, [sessions[2]]);
    await t.db.query(`UPDATE participants SET gender = CASE WHEN gender = 'female' THEN 'male' ELSE 'female' END, stakeholder_group = 'academic' WHERE id = ANY($1)`, [participants.slice(0, 6)]);
    await t.db.query(`UPDATE action_points SET status = 'done' WHERE session_id = ANY($1)`, [sessions.slice(3, 12)]);
    await t.db.query(`DELETE FROM session_attendance WHERE ctid IN (SELECT ctid FROM session_attendance WHERE session_id = ANY($1) LIMIT 3)`, [sessions.slice(12, 20)]);
    await t.db.query(`UPDATE indicator_values SET value = value + 1.5 WHERE network_id = $1 AND indicator = 'police_response_time_minutes'`, [networks[2]]);
    await insertIndicatorValue(t.db, { networkId: networks[3], indicator: 'violent_incidents', period: '2016-03', value: 12 });
    assert.ok((await dirtyCount()) > 0);
    await assertSameAsRaw('writes after refresh');
    await refresh();
    await assertSameAsRaw('after refreshing those writes');
    // A title change is no figure: it marks nothing, on any table.
    await t.db.query(`UPDATE sessions SET text_enc = $2 WHERE id = $1`, [sessions[4], sealedSessionText('Renamed')]);
    await t.db.query(`UPDATE disputes SET severity = 'high' WHERE id = $1`, [disputes[10]]);
    await t.db.query(`UPDATE initiatives SET title_enc = $2, version = version + 1 WHERE id = $1`, [initiatives[12], sealed('Renamed', INITIATIVE_CIPHER.title)]);
    await t.db.query(`UPDATE disbursements SET reference_enc = $1 WHERE ctid IN (SELECT ctid FROM disbursements LIMIT 1)`, [sealed('R-1', INITIATIVE_CIPHER.disbursementReference)]);
    await t.db.query(`UPDATE early_warnings SET severity = 'high' WHERE id = $1`, [warnings[6]]);
    assert.equal(await dirtyCount(), 0);
  });

  it('each write to disputes, initiatives, disbursements and early warnings marks its months on its own', async () => {
    const iqPartner = await insertPartner(t.db, { countryCode: 'IQ', networkIds: [networks[2]] });
    const paid = async () => (await t.db.query(`SELECT b.initiative_id FROM disbursements b JOIN initiatives i ON i.id = b.initiative_id WHERE i.archived_at IS NULL ORDER BY b.id LIMIT 1`)).rows[0].initiative_id as string;
    const writes: [string, () => Promise<unknown>][] = [
      ['dispute status', () => t.db.query(`UPDATE disputes SET status = 'withdrawn' WHERE id = ANY($1) AND status NOT IN ('resolved', 'withdrawn')`, [disputes.slice(0, 8)])],
      ['dispute moved to another month', () => t.db.query(
        `UPDATE disputes SET reported_on = '2016-10-02', resolved_on = CASE WHEN resolved_on IS NOT NULL THEN DATE '2016-10-30' END,
           resolution_agreed_on = CASE WHEN resolution_agreed_on IS NOT NULL THEN DATE '2016-10-30' END WHERE id = $1`, [disputes[8]])],
      ['dispute archived', () => t.db.query(`UPDATE disputes SET archived_at = now() WHERE id = (SELECT id FROM disputes WHERE archived_at IS NULL ORDER BY id LIMIT 1)`)],
      ['dispute reported', () => insertMetricsDispute(t.db, { networkId: networks[2], partnerId: iqPartner, reportedOn: '2015-04-04', status: 'resolved', resolvedOn: '2015-04-24' })],
      ['dispute deleted', () => t.db.query(`DELETE FROM disputes WHERE id = $1`, [disputes[11]])],
      ['initiative status and budget', () => t.db.query(`UPDATE initiatives SET status = 'completed', budget_amount = budget_amount + 10 WHERE id = ANY($1) AND status IN ('approved', 'in_progress')`, [initiatives.slice(0, 6)])],
      ['initiative start moved', () => t.db.query(`UPDATE initiatives SET start_on = '2016-12-01' WHERE id = (SELECT id FROM initiatives WHERE start_on < '2016-12-01' ORDER BY id LIMIT 1)`)],
      ['initiative recorded', () => insertMetricsInitiative(t.db, { networkId: networks[1], status: 'approved', startOn: '2016-07-07', budget: '2500.00', currency: 'USD' })],
      ['initiative deleted', () => t.db.query(`DELETE FROM initiatives i WHERE id = (SELECT id FROM initiatives i WHERE archived_at IS NULL AND NOT EXISTS (SELECT 1 FROM disbursements b WHERE b.initiative_id = i.id) ORDER BY id LIMIT 1)`)],
      // Archiving an initiative takes its disbursements out of the months they were paid in.
      ['initiative with disbursements archived', async () => t.db.query(`UPDATE initiatives SET archived_at = now() WHERE id = $1`, [await paid()])],
      // To a live initiative: the writes above may have archived any given one, and an archived one's money counts nowhere.
      ['disbursement paid', () => t.db.query(`INSERT INTO disbursements (id, initiative_id, amount, currency, disbursed_on) SELECT gen_random_uuid(), id, 99.95, budget_currency, '2016-05-05' FROM initiatives WHERE archived_at IS NULL ORDER BY id LIMIT 1`)],
      ['disbursement corrected', async () => t.db.query(`UPDATE disbursements SET disbursed_on = '2015-02-02', amount = amount + 1 WHERE initiative_id = $1`, [await paid()])],
      ['disbursement deleted', async () => t.db.query(`DELETE FROM disbursements WHERE initiative_id = $1`, [await paid()])],
      ['warning risk factors', () => t.db.query(`UPDATE early_warnings SET risk_factors = '{2,9}' WHERE id = ANY($1)`, [warnings.slice(0, 4)])],
      ['warning dismissed', () => t.db.query(`UPDATE early_warnings SET status = 'dismissed' WHERE id = (SELECT id FROM early_warnings WHERE status <> 'dismissed' AND archived_at IS NULL ORDER BY id LIMIT 1)`)],
      ['warning deleted', () => t.db.query(`DELETE FROM early_warnings WHERE id = $1`, [warnings[5]])],
      ['warning without a network filed', () => insertMetricsWarning(t.db, { countryCode: 'NP', networkId: null, observedOn: '2016-06-06', riskFactors: [14] })],
    ];
    for (const [label, write] of writes) {
      await refresh();
      await write();
      assert.ok((await dirtyCount()) > 0, `${label} marks a month`);
      await assertSameAsRaw(label);
    }
  });

  it('a write committed while a refresh runs keeps its marker (the refresh deletes only what its snapshot saw)', async () => {
    await refresh();
    // A marker committed before the refresh, and a write in the same month still open when it starts.
    const month = '2015-07-01';
    await insertMetricsSession(t.db, { networkId: networks[2], heldOn: '2015-07-03', participants: [participants[0]] });
    const writer = await t.db.connect();
    try {
      await writer.query('BEGIN');
      await writer.query(
        `INSERT INTO sessions (id, network_id, country_code, text_enc, kind, held_on) SELECT gen_random_uuid(), n.id, n.country_code, $2, 'dialogue', '2015-07-20' FROM networks n WHERE n.id = $1`,
        [networks[2], sealedSessionText('Open')],
      );
      const during = await refresh();
      assert.ok(during.cells >= 1);
      await writer.query('COMMIT');
    } finally {
      writer.release();
    }
    const left = (await t.db.query(`SELECT count(*) AS n FROM metrics_dirty_months WHERE month = $1`, [month])).rows[0];
    assert.equal(Number(left.n), 1, 'the open write’s marker survives the refresh');
    await assertSameAsRaw('write committed during a refresh');
    await refresh();
    await assertSameAsRaw('after the next refresh');
  });

  it('the worker’s refresher drains the markers, one process at a time', async () => {
    await t.db.query(`INSERT INTO metrics_dirty_months (country_code, month) SELECT DISTINCT country_code, CAST(date_trunc('month', held_on) AS date) FROM sessions`);
    const refresher = new MetricsRollupRefresher(t.app.get(DataSource), t.config);
    // Another process holds the lock: this one refreshes nothing and leaves the markers.
    const other = await t.db.connect();
    try {
      await other.query('SELECT pg_advisory_lock(6201796)');
      assert.equal(await refresher.refreshAll(), 0);
      assert.ok((await dirtyCount()) > 0);
    } finally {
      await other.query('SELECT pg_advisory_unlock(6201796)');
      other.release();
    }
    assert.ok((await refresher.refreshAll()) > 0);
    assert.equal(await dirtyCount(), 0);
    assert.ok((await stalePeriods()).length > 0, 'quarters and years wait for METRICS_PERIOD_REFRESH_DELAY_MS (a minute)');
    await assertSameAsRaw('after the refresher');
    const undelayed = new MetricsRollupRefresher(t.app.get(DataSource), { ...t.config, metricsPeriodRefreshDelayMs: 0 });
    assert.ok((await undelayed.refreshAll()) > 0);
    assert.deepEqual(await stalePeriods(), []);
    await assertSameAsRaw('after the refresher with no delay');
  });

  it('a month’s refresh leaves its quarter and year stale: their people are read raw until a refresh of the periods, once old enough', async () => {
    await refresh();
    await insertMetricsSession(t.db, { networkId: networks[0], heldOn: '2016-05-09', participants: [participants[1], participants[3], participants[5]] });
    assert.ok((await refreshMonths()).cells >= 1);
    assert.equal(await dirtyCount(), 0);
    assert.deepEqual(await stalePeriods(), [
      { country_code: 'NP', period_kind: 'quarter', start: '2016-04-01' },
      { country_code: 'NP', period_kind: 'year', start: '2016-01-01' },
    ]);
    await assertSameAsRaw('quarter and year stale');
    // The stale year's rollup is not what the figures read: a tampered one does not show.
    const year: ImpactQuery = { groupBy: 'country', from: '2016-01-01', to: '2016-12-31' };
    await t.db.query(`UPDATE metrics_people_periods SET unique_participants = unique_participants + 100 WHERE country_code = 'NP' AND period_kind = 'year' AND period_start = '2016-01-01'`);
    const rawYear = JSON.parse(JSON.stringify(await metrics.compute('everything', year, { rollups: false })));
    assert.deepEqual(await metrics.compute('everything', year), await metrics.compute('everything', year, { rollups: false }), 'a stale year is read raw');
    const token = await adminToken(t);
    const { body } = await t.http.get('/api/v1/metrics/impact?groupBy=country&from=2016-01-01&to=2016-12-31').set('Authorization', `Bearer ${token}`).expect(200);
    assert.deepEqual(body, rawYear, 'GET /metrics/impact reads the stale year raw too');
    assert.deepEqual(await refreshPeriods(60_000), { cells: 0, remaining: 0 }, 'marks younger than the delay wait');
    assert.equal((await stalePeriods()).length, 2);
    assert.deepEqual(await refreshPeriods(0), { cells: 2, remaining: 0 });
    assert.deepEqual(await stalePeriods(), []);
    await assertSameAsRaw('after the periods’ refresh (the tampered year recomputed)');
    // A further write marks them again, from the month's refresh only.
    await insertMetricsSession(t.db, { networkId: networks[0], heldOn: '2016-05-10', participants: [participants[7]] });
    assert.deepEqual(await stalePeriods(), []);
    await refreshMonths();
    assert.equal((await stalePeriods()).length, 2);
    await assertSameAsRaw('stale again');
  });
});
