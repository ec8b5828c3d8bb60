import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Principal } from '../src/auth/principal';
import { ImpactQuery, MetricsScope } from '../src/insights/impact-metrics.model';
import { ImpactMetricsService } from '../src/insights/impact-metrics.service';
import { refreshDirtyCells } from '../src/insights/metrics-rollup-refresh';
import { MetricsRollupRefresher } from '../src/insights/metrics-rollup-refresher';
import { adminToken } from './support/auth';
import { insertNetwork, insertParticipant, insertPolicePartner } from './support/fixtures';
import { insertIndicatorValue, insertMetricsSession, monthOf } from './support/metrics';
import { startTestApp, TestApp } from './support/test-app';
import { DataSource } from 'typeorm';

const GROUPS = ['tribal_elder', 'lawyer', 'journalist', 'womens_group', 'youth_group'];
const STATUSES = ['open', 'done', 'dropped'];

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

  /** A refresh on a connection of its own (it runs a transaction). */
  const refresh = async (limit = 10_000) => {
    const client = await t.db.connect();
    try {
      return await refreshDirtyCells(async <T>(sql: string, params?: unknown[]) => (await client.query(sql, params)).rows as T[], limit);
    } finally {
      client.release();
    }
  };
  const dirtyCount = async () => Number((await t.db.query('SELECT count(*) AS n FROM metrics_dirty_months')).rows[0].n);

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
    const counts = (await t.db.query(`SELECT (SELECT count(*) FROM metrics_session_months) AS s, (SELECT count(*) FROM metrics_people_periods) AS p, (SELECT count(*) FROM metrics_indicator_months) AS i`)).rows[0];
    assert.ok(Number(counts.s) > 0 && Number(counts.p) > 0 && Number(counts.i) > 0, JSON.stringify(counts));
    await assertSameAsRaw('after refresh');
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
    const { rows } = await t.db.query(`UPDATE metrics_country_months SET sessions = sessions + 100 WHERE ctid = (SELECT ctid FROM metrics_country_months LIMIT 1) RETURNING country_code, month`);
    const [{ country_code: country, month }] = rows;
    await t.db.query(`UPDATE metrics_session_months SET sessions = sessions + 10 WHERE ctid = (SELECT ctid FROM metrics_session_months WHERE country_code = $1 AND month = $2 LIMIT 1)`, [country, month]);
    await t.db.query(`UPDATE metrics_people_periods SET unique_participants = unique_participants + 100 WHERE period_kind = 'month' AND country_code = $1 AND period_start = $2`, [country, month]);
    const rawByMonth = await metrics.compute('everything', byMonth, { rollups: false });
    const rawByNetwork = await metrics.compute('everything', byNetwork, { rollups: false });
    assert.equal(total(await metrics.compute('everything', byMonth)), total(rawByMonth) + 100, 'a country question reads the country months');
    assert.equal(total(await metrics.compute('everything', byNetwork)), total(rawByNetwork) + 10, 'a network question reads the network months');
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
    // A title change is no figure: it marks nothing.
    await refresh();
    await t.db.query(`UPDATE sessions SET title = 'Renamed' WHERE id = $1`, [sessions[4]]);
    assert.equal(await dirtyCount(), 0);
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
        `INSERT INTO sessions (id, network_id, country_code, title, kind, held_on) SELECT gen_random_uuid(), n.id, n.country_code, 'Open', 'dialogue', '2015-07-20' FROM networks n WHERE n.id = $1`,
        [networks[2]],
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
    await assertSameAsRaw('after the refresher');
  });
});
