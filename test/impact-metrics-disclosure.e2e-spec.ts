import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { perturbCount } from '../src/insights/disclosure/cell-key-perturbation';
import { computeSummaryFigures } from '../src/insights/learning-summary-figures';
import { ImpactMetricsService } from '../src/insights/impact-metrics.service';
import { parsePeriod } from '../src/insights/learning-summary-period';
import { adminToken, createUser } from './support/auth';
import { insertNetwork, insertParticipant } from './support/fixtures';
import { insertMetricsSession, parseCsv } from './support/metrics';
import { startTestApp, TestApp } from './support/test-app';

const IMPACT = '/api/v1/metrics/impact';
const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });
const MARCH = 'from=2016-03-01&to=2016-03-31';
const T = 5;

interface Row {
  [field: string]: unknown;
  attendances: number | null;
  unnamedAttendances: number | null;
  uniqueParticipants: number | null;
  women: number | null;
  stakeholderGroups: Record<string, number | null>;
  suppressed: string[];
}

/**
 * Disclosure control of the people figures with the default SMALL_CELL_THRESHOLD (5): the test
 * computes each published value itself, from the cells' true counts and record keys read in SQL.
 * NP: network Nk (k = 0 … 5) has one session in March 2016 attended by k women of civil society.
 * LY: network X — 6 lawyers and 3 journalists, 7 of them women, 2 unnamed women; network Y — 8
 *     male academics and 7 unnamed men; both in March 2016, Y again in April with the same people.
 */
describe('GET /metrics/impact disclosure control', () => {
  let t: TestApp;
  let analyst: string;
  const sized: string[] = [];
  let x: string;
  let y: string;

  before(async () => {
    t = await startTestApp();
    analyst = (await createUser(t, await adminToken(t), { role: 'hq_analyst' })).token;
    for (let k = 0; k <= 5; k++) {
      const networkId = await insertNetwork(t.db, { countryCode: 'NP', name: `N${k}` });
      const people = [];
      for (let i = 0; i < k; i++) people.push(await insertParticipant(t.db, { countryCode: 'NP', gender: 'female', stakeholderGroup: 'civil_society' }));
      await insertMetricsSession(t.db, { networkId, heldOn: '2016-03-01', participants: people });
      sized.push(networkId);
    }
    x = await insertNetwork(t.db, { countryCode: 'LY', name: 'X' });
    y = await insertNetwork(t.db, { countryCode: 'LY', name: 'Y' });
    const xPeople = [];
    for (let i = 0; i < 9; i++) {
      xPeople.push(await insertParticipant(t.db, { countryCode: 'LY', gender: i < 7 ? 'female' : 'male', stakeholderGroup: i < 6 ? 'lawyer' : 'journalist' }));
    }
    await insertMetricsSession(t.db, { networkId: x, heldOn: '2016-03-01', participants: xPeople, unnamed: { women: 2 } });
    const yPeople = [];
    for (let i = 0; i < 8; i++) yPeople.push(await insertParticipant(t.db, { countryCode: 'LY', gender: 'male', stakeholderGroup: 'academic' }));
    await insertMetricsSession(t.db, { networkId: y, heldOn: '2016-03-01', participants: yPeople, unnamed: { men: 7 } });
    await insertMetricsSession(t.db, { networkId: y, heldOn: '2016-04-12', participants: yPeople });
  });
  after(() => t.close());

  const get = async (query: string): Promise<{ data: Row[] }> => {
    const res = await t.http.get(`${IMPACT}?${query}`).set(bearer(analyst));
    assert.equal(res.status, 200, JSON.stringify(res.body));
    return res.body;
  };
  const shown = (value: number) => (value >= 1 && value < T ? null : value);

  /** The published attendances of `networks` in one month, from the true cells. */
  async function expectedAttendances(networks: string[], month: string): Promise<{ attendances: number; unnamed: number }> {
    const period = parsePeriod(month)!;
    let attendances = 0;
    let unnamed = 0;
    for (const networkId of networks) {
      const { rows } = await t.db.query(
        `SELECT (SELECT count(*) FROM session_attendance a JOIN sessions s ON s.id = a.session_id WHERE s.network_id = $1 AND s.held_on BETWEEN $2 AND $3)::int AS named,
                (SELECT coalesce(sum(a.cell_key), 0) FROM session_attendance a JOIN sessions s ON s.id = a.session_id WHERE s.network_id = $1 AND s.held_on BETWEEN $2 AND $3)::int AS named_key,
                coalesce(sum(s.unnamed_women + s.unnamed_men + s.unnamed_youth), 0)::int AS unnamed,
                coalesce(sum(s.cell_key * (s.unnamed_women + s.unnamed_men + s.unnamed_youth)), 0)::int AS unnamed_key
           FROM sessions s WHERE s.network_id = $1 AND s.held_on BETWEEN $2 AND $3`,
        [networkId, period.from, period.to],
      );
      const u = perturbCount(rows[0].unnamed, rows[0].unnamed_key % 256, T);
      unnamed += u;
      attendances += u + perturbCount(rows[0].named, rows[0].named_key % 256, T);
    }
    return { attendances, unnamed };
  }

  /** The published stakeholder groups of one network's people in one period, from the true cells. */
  async function expectedGroups(networkId: string, label: string): Promise<Record<string, number>> {
    const period = parsePeriod(label)!;
    const { rows } = await t.db.query(
      `SELECT p.stakeholder_group, count(*)::int AS n, sum(p.cell_key)::int AS k FROM participants p
        WHERE p.id IN (SELECT a.participant_id FROM session_attendance a JOIN sessions s ON s.id = a.session_id WHERE s.network_id = $1 AND s.held_on BETWEEN $2 AND $3)
        GROUP BY p.stakeholder_group`,
      [networkId, period.from, period.to],
    );
    return Object.fromEntries(rows.map((r) => [r.stakeholder_group, perturbCount(r.n, r.k % 256, T)]));
  }

  it('publishes each figure of a network\'s month as the perturbation of its cell, fixed by who is in it', async () => {
    for (let k = 0; k <= 5; k++) {
      const row = (await get(`networkId=${sized[k]}&${MARCH}`)).data[0];
      assert.equal(row.sessions, 1, 'sessions are not people and are exact');
      const expected = await expectedAttendances([sized[k]], '2016-03');
      const groups = await expectedGroups(sized[k], '2016-03');
      const civil = groups.civil_society ?? 0;
      assert.equal(row.attendances, shown(expected.attendances), `k=${k}`);
      assert.equal(row.uniqueParticipants, shown(civil), `k=${k}: the sum of the groups' cells`);
      assert.equal(row.stakeholderGroups.civil_society, shown(civil), `k=${k}`);
      assert.equal(row.unnamedAttendances, 0, 'zero is published as zero');
      assert.equal(row.stakeholderGroups.lawyer, 0);
      const again = (await get(`networkId=${sized[k]}&${MARCH}`)).data[0];
      assert.deepEqual(again, row, 'asking again gives the same answer');
    }
    // A small cell is published from its key alone: never anything but 0 … 5 (null for 1 … 4).
    for (let k = 1; k <= 4; k++) {
      const row = (await get(`networkId=${sized[k]}&${MARCH}`)).data[0];
      for (const value of [row.attendances, row.uniqueParticipants]) assert.ok(value === null || value === 0 || value === 5, `k=${k}: ${value}`);
      if (row.uniqueParticipants === null) assert.ok(row.suppressed.includes('uniqueParticipants') && row.suppressed.includes('womenShare'));
    }
  });

  it('adds up the same cells in every question: countries, networks, months and groupings agree exactly', async () => {
    const ly = (await get(`countryCode=LY&${MARCH}`)).data[0];
    const byNetwork = (await get(`countryCode=LY&${MARCH}&groupBy=network`)).data;
    const expected = await expectedAttendances([x, y], '2016-03');
    assert.equal(ly.attendances, expected.attendances);
    assert.equal(ly.unnamedAttendances, shown(expected.unnamed));
    assert.equal(byNetwork.reduce((sum, r) => sum + (r.attendances as number), 0), ly.attendances, 'network rows add up to the country');

    const spring = (await get('countryCode=LY&from=2016-03-01&to=2016-04-30')).data[0];
    const months = (await get('countryCode=LY&from=2016-03-01&to=2016-04-30&groupBy=month')).data;
    const april = await expectedAttendances([x, y], '2016-04');
    assert.equal(spring.attendances, expected.attendances + april.attendances);
    // The range is the sum of the month cells, even of one published as null (a perturbed value: 1 … 4).
    assert.deepEqual(months.map((r) => r.attendances), [shown(expected.attendances), shown(april.attendances)]);

    const all = (await get(MARCH)).data[0];
    const np = (await get(`countryCode=NP&${MARCH}`)).data[0];
    assert.equal(all.attendances, (np.attendances as number) + (ly.attendances as number), 'countries add up');

    // Y's academics in March and in the second quarter are the same six people: the same cell.
    const xGroups = await expectedGroups(x, '2016-03');
    const yGroups = await expectedGroups(y, '2016-03');
    assert.equal(ly.stakeholderGroups.lawyer, shown(xGroups.lawyer));
    assert.equal(ly.stakeholderGroups.academic, shown(yGroups.academic));
    const yQuarter = (await get(`networkId=${y}&from=2016-01-01&to=2016-06-30&groupBy=quarter`)).data;
    assert.deepEqual(yQuarter.map((r) => r.period), ['2016-Q1', '2016-Q2']);
    assert.equal(yQuarter[1].stakeholderGroups.academic, shown((await expectedGroups(y, '2016-Q2')).academic));
    assert.equal(yQuarter[1].stakeholderGroups.academic, (await get(`networkId=${y}&from=2016-04-01&to=2016-04-30`)).data[0].stakeholderGroups.academic);
  });

  it('gives the same cells from the rollups and from the raw rows, and to learning summaries', async () => {
    const metrics = t.app.get(ImpactMetricsService);
    for (const query of [
      { groupBy: 'network' as const, from: '2016-03-01', to: '2016-03-31' },
      { groupBy: 'quarter' as const, from: '2016-01-01', to: '2016-12-31' },
      { groupBy: 'country' as const, from: '2016-01-01', to: '2016-12-31' },
    ]) {
      assert.deepEqual(await metrics.compute('everything', query, { rollups: false }), await metrics.compute('everything', query), JSON.stringify(query));
    }
    const period = parsePeriod('2016-03')!;
    const summaries = await computeSummaryFigures(metrics, ['LY', 'NP'], period);
    const rows = (await get(`countryCode=LY,NP&${MARCH}&groupBy=country`)).data;
    for (const row of rows) {
      const figures = summaries.get(row.countryCode as string)!.impact;
      assert.deepEqual([figures.attendances, figures.uniqueParticipants, figures.stakeholderGroups], [row.attendances, row.uniqueParticipants, row.stakeholderGroups]);
    }
  });

  it('publishes no people figures for a range that cuts a month, and no distinct people but for one month, quarter or year', async () => {
    const cut = (await get(`networkId=${x}&from=2016-03-01&to=2016-03-15`)).data[0];
    assert.equal(cut.sessions, 1);
    for (const field of ['attendances', 'unnamedAttendances', 'uniqueParticipants', 'women', 'womenShare']) assert.equal(cut[field], null, field);
    assert.ok(cut.suppressed.includes('attendances') && cut.suppressed.includes('stakeholderGroups.lawyer'));

    const twoMonths = (await get(`networkId=${y}&from=2016-03-01&to=2016-04-30`)).data[0];
    assert.equal(typeof twoMonths.attendances, 'number', 'attendances add up over any whole months');
    assert.equal(twoMonths.uniqueParticipants, null, 'distinct people of two months are no published cell');
    assert.ok(twoMonths.suppressed.includes('uniqueParticipants'));
    const quarterCut = (await get(`networkId=${y}&from=2016-02-01&to=2016-06-30&groupBy=quarter`)).data;
    assert.equal(quarterCut.find((r) => r.period === '2016-Q1')!.uniqueParticipants, null, 'a quarter cut by the range');
    assert.equal(typeof quarterCut.find((r) => r.period === '2016-Q2')!.uniqueParticipants, 'number');
  });

  it('sends hidden figures as empty CSV cells and names them in the suppressed column', async () => {
    const json = (await get(`countryCode=NP&${MARCH}&groupBy=network`)).data;
    const res = await t.http.get(`${IMPACT}?countryCode=NP&${MARCH}&groupBy=network`).set(bearer(analyst)).set('Accept', 'text/csv');
    assert.equal(res.status, 200);
    const [header, ...lines] = parseCsv(res.text);
    const col = (name: string) => header.indexOf(name);
    json.forEach((row, i) => {
      assert.equal(lines[i][col('uniqueParticipants')], row.uniqueParticipants === null ? '' : String(row.uniqueParticipants));
      assert.equal(lines[i][col('suppressed')], row.suppressed.join(';'));
    });
  });
});
