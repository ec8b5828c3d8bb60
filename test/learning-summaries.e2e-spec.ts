import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Queue } from 'bullmq';
import { JOBS, QUEUES } from '../src/common/jobs/job-names';
import { SCHEDULES } from '../src/common/jobs/schedules';
import { previousMonth } from '../src/insights/learning-summary-period';
import { adminToken, createUser } from './support/auth';
import { insertPartner } from './support/fixtures';
import { expectedIraq, expectedLinks, expectedStrongestChanges, loadLearningFixture } from './support/learning-fixture';
import { lockTable } from './support/table-lock';
import { startTestApp, TestApp } from './support/test-app';
import { ChildWorker, startWorker, waitFor } from './support/worker-child';

const RUNS = '/api/v1/learning-summaries/runs';
const ALL_COUNTRIES = ['BF', 'IQ', 'LY', 'ML', 'NE', 'NG', 'NP', 'SN', 'TN', 'TZ', 'YE'];

describe('learning summaries', () => {
  let t: TestApp;
  let worker: ChildWorker;
  let queue: Queue;
  let ids: Record<string, string>;
  let admin: string;
  let hq: string;
  let staffIQ: string;
  let partner: string;

  const auth = (token: string) => ({ Authorization: `Bearer ${token}` });
  const getRun = async (id: string) => (await t.http.get(`${RUNS}/${id}`).set(auth(hq))).body as Record<string, unknown>;
  const finished = (id: string) => waitFor(`run ${id} to finish`, async () => {
    const run = await getRun(id);
    return run.status === 'completed' || run.status === 'failed' ? run : undefined;
  });
  /** Holds the summaries table locked, so a run stops just before writing (mid-run). */
  const lockSummaries = () => lockTable(t.db, 'learning_summaries');
  const count = async (sql: string, params: unknown[] = []) => Number((await t.db.query(sql, params)).rows[0].n);

  before(async () => {
    t = await startTestApp();
    ids = (await loadLearningFixture(t.db)).ids;
    admin = await adminToken(t);
    hq = (await createUser(t, admin, { role: 'hq_analyst' })).token;
    staffIQ = (await createUser(t, admin, { role: 'country_staff', countryCodes: ['IQ'] })).token;
    partner = (await createUser(t, admin, { role: 'partner', partnerId: await insertPartner(t.db, { countryCode: 'IQ' }) })).token;
    worker = await startWorker(t, { LEARNING_SUMMARY_LOCK_TIMEOUT_MS: '20000' });
    queue = new Queue(QUEUES.learningSummaries, { connection: { url: t.config.redisUrl }, prefix: t.config.queuePrefix });
  });
  after(async () => {
    await worker?.stop();
    await queue?.obliterate({ force: true });
    await queue?.close();
    await t.close();
  });

  it('goes queued → running → completed, with rising progress mirrored to the API', async () => {
    const lock = await lockSummaries();
    const res = await t.http.post(RUNS).set(auth(hq)).send({ period: '2016-Q3' });
    assert.equal(res.status, 202, JSON.stringify(res.body));
    assert.equal(res.headers.location, `${RUNS}/${res.body.id}`);
    assert.equal(res.body.status, 'queued');
    assert.equal(res.body.progress, 0);
    assert.equal(res.body.joined, false);
    assert.deepEqual(res.body.countryCodes, ALL_COUNTRIES);
    const seen: { status: unknown; progress: unknown }[] = [{ status: res.body.status, progress: res.body.progress }];
    const running = await waitFor('the run to reach the write', async () => {
      const run = await getRun(res.body.id);
      seen.push({ status: run.status, progress: run.progress });
      return run.status === 'running' && (run.progress as number) >= 95 ? run : undefined;
    });
    assert.equal(running.attempts, 1);
    await lock.release();
    const done = await finished(res.body.id);
    seen.push({ status: done.status, progress: done.progress });
    assert.equal(done.status, 'completed', JSON.stringify(done));
    assert.equal(done.progress, 100);
    assert.ok(done.finishedAt && done.startedAt);
    const statuses = [...new Set(seen.map((s) => s.status))];
    assert.deepEqual(statuses, ['queued', 'running', 'completed']);
    const progress = seen.map((s) => s.progress as number);
    assert.deepEqual(progress, [...progress].sort((a, b) => a - b), `progress never falls: ${progress.join(',')}`);
    assert.equal(await count(`SELECT count(*) AS n FROM learning_summaries WHERE period = '2016-Q3'`), 11);
    const outbox = await t.db.query(`SELECT job_id, data FROM outbox_messages WHERE queue = $1`, [QUEUES.learningSummaries]);
    assert.deepEqual(outbox.rows, [{ job_id: `summary-2016-Q3-${ALL_COUNTRIES.join('.')}-1`, data: { runId: res.body.id, period: '2016-Q3', countryCodes: ALL_COUNTRIES } }]);
  });

  it('joins a duplicate request while the first is queued or running (one job, same id)', async () => {
    const lock = await lockSummaries();
    const first = await t.http.post(RUNS).set(auth(hq)).send({ period: '2016', countryCodes: ['NP', 'IQ'] });
    const second = await t.http.post(RUNS).set(auth(admin)).send({ period: '2016', countryCodes: ['IQ', 'NP', 'IQ'] });
    assert.equal(first.status, 202);
    assert.equal(second.status, 202);
    assert.equal(second.body.id, first.body.id);
    assert.equal(second.body.joined, true);
    await waitFor('the job to run', async () => (await getRun(first.body.id)).status === 'running');
    const third = await t.http.post(RUNS).set(auth(hq)).send({ period: '2016', countryCodes: ['IQ', 'NP'] });
    assert.equal(third.body.id, first.body.id, 'a running run is joined too');
    assert.equal(await count(`SELECT count(*) AS n FROM learning_summary_runs WHERE job_key = 'summary-2016-IQ.NP'`), 1);
    assert.equal(await count(`SELECT count(*) AS n FROM outbox_messages WHERE job_id LIKE 'summary-2016-IQ.NP-%'`), 1);
    await lock.release();
    assert.equal((await finished(first.body.id)).status, 'completed');
  });

  it('re-running a period replaces its summaries and never duplicates them', async () => {
    const before = await t.db.query(`SELECT country_code, version, content FROM learning_summaries WHERE period = '2016-Q3' ORDER BY country_code`);
    const rerun = await t.http.post(RUNS).set(auth(hq)).send({ period: '2016-Q3' });
    assert.equal(rerun.body.joined, false, 'a finished run is not joined');
    assert.equal((await finished(rerun.body.id)).status, 'completed');
    const afterRows = await t.db.query(`SELECT country_code, version, content, run_id FROM learning_summaries WHERE period = '2016-Q3' ORDER BY country_code`);
    assert.equal(afterRows.rows.length, before.rows.length);
    assert.equal(await count(`SELECT count(*) AS n FROM learning_summary_cross_country WHERE period = '2016-Q3'`), 1);
    for (const [i, row] of afterRows.rows.entries()) {
      assert.equal(row.version, before.rows[i].version + 1);
      assert.equal(row.run_id, rerun.body.id);
      const strip = (c: { provenance: { computedAt: string } }) => ({ ...c, provenance: { ...c.provenance, computedAt: null } });
      assert.deepEqual(strip(row.content), strip(before.rows[i].content), 'same data, same summary');
    }
    const jobIds = (await t.db.query(`SELECT job_id FROM learning_summary_runs WHERE period = '2016-Q3' AND array_length(country_codes, 1) = 11 ORDER BY generation`)).rows.map((r) => r.job_id);
    assert.deepEqual(jobIds, [1, 2].map((g) => `summary-2016-Q3-${ALL_COUNTRIES.join('.')}-${g}`));
  });

  it('holds the hand-computed contents, with their provenance', async () => {
    const res = await t.http.get('/api/v1/learning-summaries?period=2016-Q3&countryCode=IQ').set(auth(hq));
    assert.equal(res.status, 200);
    assert.equal(res.body.data.length, 1);
    const iq = res.body.data[0];
    const expected = expectedIraq(ids);
    assert.equal(iq.from, '2016-07-01');
    assert.equal(iq.to, '2016-09-30');
    assert.deepEqual(iq.resolvedDisputes, expected.resolvedDisputes);
    assert.deepEqual(iq.initiativesCompleted, expected.initiativesCompleted);
    assert.deepEqual(iq.crossCountryLinks, expected.crossCountryLinks);
    assert.deepEqual(iq.provenance.sourceRows, expected.sourceRows);
    assert.ok(Date.parse(iq.provenance.computedAt) > Date.now() - 120_000);
    assert.equal(iq.figures.smallCellThreshold, 5);
    assert.equal(iq.figures.impact.countryCode, 'IQ');
    assert.equal(iq.figures.impact.sessions, 2, 's1 and s2; s4 is archived');
    assert.equal(iq.figures.impact.attendances, null, '3 people: a small cell');
    assert.ok(iq.figures.impact.suppressed.includes('attendances') && iq.figures.impact.suppressed.includes('uniqueParticipants'));
    assert.deepEqual(iq.figures.impact.indicatorChange.reported_crimes, { months: 3, baseline: 40, latest: 10, percentChange: -75 });

    const np = (await t.http.get('/api/v1/learning-summaries?period=2016-Q3&countryCode=NP').set(auth(hq))).body.data[0];
    assert.deepEqual(np.crossCountryLinks, [expectedLinks(ids).L1]);
    assert.deepEqual(np.resolvedDisputes, { total: 0, withLinkedSessions: 0, topics: [], sessionKinds: [] });
    assert.equal(np.provenance.sourceRows.sessionsInPeriod, 1);

    const cross = await t.http.get('/api/v1/learning-summaries/cross-country?period=2016-Q3').set(auth(hq));
    assert.equal(cross.status, 200);
    assert.deepEqual(cross.body.countryCodes, ALL_COUNTRIES);
    assert.deepEqual(Object.keys(cross.body.countries).sort(), ALL_COUNTRIES);
    assert.deepEqual(cross.body.countries.IQ.resolvedDisputes, expected.resolvedDisputes);
    assert.deepEqual(cross.body.crossCountryLinks, [expectedLinks(ids).L1, expectedLinks(ids).L6]);
    assert.deepEqual(cross.body.provenance.sourceRows, { countrySummaries: 11, crossCountryLinks: 2 });
    assert.deepEqual(cross.body.figures, { strongestIndicatorChanges: expectedStrongestChanges });
    assert.deepEqual(cross.body.countries.IQ.figures, iq.figures, 'each country\'s figures side by side');
  });

  it('takes its figures from the impact metrics, published from the same cells', async () => {
    const metrics = await t.http
      .get(`/api/v1/metrics/impact?countryCode=${ALL_COUNTRIES.join(',')}&from=2016-07-01&to=2016-09-30&groupBy=country`)
      .set(auth(hq));
    assert.equal(metrics.status, 200);
    const summaries = (await t.http.get('/api/v1/learning-summaries?period=2016-Q3').set(auth(hq))).body.data as { countryCode: string; figures: { impact: Record<string, unknown> } }[];
    assert.equal(summaries.length, 11);
    const rows = new Map(metrics.body.data.map((r: { countryCode: string }) => [r.countryCode, r]));
    assert.deepEqual([...rows.keys()].sort(), ['IQ', 'LY', 'NP'], 'the countries with records in the period');
    for (const s of summaries) {
      if (rows.has(s.countryCode)) assert.deepEqual(s.figures.impact, rows.get(s.countryCode), s.countryCode);
      else {
        const { countryCode, sessions, attendances, uniqueParticipants, suppressed } = s.figures.impact;
        assert.deepEqual({ countryCode, sessions, attendances, uniqueParticipants, suppressed }, { countryCode: s.countryCode, sessions: 0, attendances: 0, uniqueParticipants: 0, suppressed: [] });
      }
    }
    // Iraq's 3 people are a small cell: hidden. Nepal's 6 are published within ±2 of the truth, and
    // the all-country total is the sum of the same two cells, so it gives away nothing of Iraq's but
    // the value its small cell is published as (1 to 3, whatever the count).
    const iq = summaries.find((s) => s.countryCode === 'IQ')!.figures.impact;
    assert.equal(iq.uniqueParticipants, null);
    const np = summaries.find((s) => s.countryCode === 'NP')!.figures.impact;
    const total = await t.http.get('/api/v1/metrics/impact?from=2016-07-01&to=2016-09-30').set(auth(hq));
    const all = total.body.data[0].uniqueParticipants as number;
    if (np.uniqueParticipants !== null) {
      assert.ok(Math.abs((np.uniqueParticipants as number) - 6) <= 2, `NP ${np.uniqueParticipants}`);
      assert.ok(all - (np.uniqueParticipants as number) >= 1 && all - (np.uniqueParticipants as number) <= 3, `total ${all}`);
    }
  });

  it('pages the list with a cursor, without repeats', async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const url: string = `/api/v1/learning-summaries?period=2016-Q3&limit=4${cursor ? `&cursor=${cursor}` : ''}`;
      const page = await t.http.get(url).set(auth(hq));
      assert.equal(page.status, 200);
      seen.push(...page.body.data.map((s: { countryCode: string }) => s.countryCode));
      cursor = page.body.nextCursor;
    } while (cursor);
    assert.deepEqual(seen, ALL_COUNTRIES);
  });

  it('is scoped: partner 403, country_staff only their countries', async () => {
    for (const [method, url] of [['get', '/api/v1/learning-summaries'], ['get', '/api/v1/learning-summaries/cross-country?period=2016-Q3'], ['post', RUNS]] as const) {
      assert.equal((await t.http[method](url).set(auth(partner)).send({ period: '2016' })).status, 403, url);
    }
    const list = await t.http.get('/api/v1/learning-summaries?period=2016-Q3').set(auth(staffIQ));
    assert.deepEqual(list.body.data.map((s: { countryCode: string }) => s.countryCode), ['IQ']);
    assert.deepEqual((await t.http.get('/api/v1/learning-summaries?countryCode=NP').set(auth(staffIQ))).body.data, []);
    const cross = await t.http.get('/api/v1/learning-summaries/cross-country?period=2016-Q3').set(auth(staffIQ));
    assert.deepEqual(cross.body.countryCodes, ['IQ']);
    assert.deepEqual(Object.keys(cross.body.countries), ['IQ']);
    assert.deepEqual(cross.body.crossCountryLinks.map((l: { linkId: string }) => l.linkId), [ids.L1, ids.L6]);
    assert.deepEqual(cross.body.figures, { strongestIndicatorChanges: [expectedStrongestChanges[0]] }, "only Iraq's changes");
    const hqRun = (await t.db.query(`SELECT id FROM learning_summary_runs WHERE array_length(country_codes, 1) = 11 LIMIT 1`)).rows[0].id;
    assert.equal((await t.http.get(`${RUNS}/${hqRun}`).set(auth(staffIQ))).status, 404, "a run covering other countries is invisible");
    const forbidden = await t.http.post(RUNS).set(auth(staffIQ)).send({ period: '2016-Q3', countryCodes: ['IQ', 'NP'] });
    assert.equal(forbidden.status, 403);
    const own = await t.http.post(RUNS).set(auth(staffIQ)).send({ period: '2016-Q3' });
    assert.equal(own.status, 202);
    assert.deepEqual(own.body.countryCodes, ['IQ']);
    assert.equal((await t.http.get(`${RUNS}/${own.body.id}`).set(auth(staffIQ))).status, 200);
    assert.equal((await finished(own.body.id)).status, 'completed');
    assert.equal(await count(`SELECT count(*) AS n FROM learning_summaries WHERE period = '2016-Q3'`), 11, 'a one-country run keeps the others');
    const rebuilt = await t.http.get('/api/v1/learning-summaries/cross-country?period=2016-Q3').set(auth(hq));
    assert.equal(rebuilt.body.countryCodes.length, 11);
    assert.equal(rebuilt.body.runId, own.body.id);
  });

  it('answers bad input with 400 problems and unknown runs with 404', async () => {
    for (const body of [
      { period: '2016-Q5' }, { period: '16' }, { period: '2016-13' }, { period: '2016-7' }, { period: '1999' }, { period: 2016 }, {},
      { period: '2016', countryCodes: ['XX'] }, { period: '2016', countryCodes: ['iq'] }, { period: '2016', countryCodes: [] }, { period: '2016', extra: true },
    ]) {
      const res = await t.http.post(RUNS).set(auth(hq)).send(body);
      assert.equal(res.status, 400, JSON.stringify(body));
      assert.match(res.headers['content-type'], /^application\/problem\+json/);
      assert.ok(res.body.errors?.length, JSON.stringify(res.body));
    }
    const unknown = await t.http.post(RUNS).set(auth(hq)).send({ period: '2016', countryCodes: ['IQ', 'XX'] });
    assert.deepEqual(unknown.body.errors, [{ field: 'countryCodes', message: 'unknown country code(s): XX' }]);
    assert.equal((await t.http.get(`${RUNS}/not-a-uuid`).set(auth(hq))).status, 400);
    assert.equal((await t.http.get(`${RUNS}/00000000-0000-4000-8000-000000000000`).set(auth(hq))).status, 404);
    assert.equal((await t.http.get('/api/v1/learning-summaries?period=2016-Q9').set(auth(hq))).status, 400);
    assert.equal((await t.http.get('/api/v1/learning-summaries/cross-country').set(auth(hq))).status, 400);
    assert.equal((await t.http.get('/api/v1/learning-summaries/cross-country?period=2015').set(auth(hq))).status, 404);
  });

  it('schedules the previous month every night, and the scheduled job requests that run', async () => {
    const schedule = SCHEDULES.find((s) => s.name === JOBS.learningSummaries.schedulePreviousMonth)!;
    const scheduler = await waitFor('the scheduler', () => queue.getJobScheduler(schedule.id));
    assert.equal(scheduler.pattern, '30 2 * * *');
    assert.equal(scheduler.tz, 'UTC');
    assert.deepEqual(scheduler.template?.data, { period: 'previous-month' });
    assert.equal(scheduler.name, JOBS.learningSummaries.schedulePreviousMonth);

    await queue.add(JOBS.learningSummaries.schedulePreviousMonth, { period: 'previous-month' }, { jobId: 'test-nightly-1' });
    const period = previousMonth(new Date());
    const run = await waitFor('the nightly run', async () => (await t.db.query(`SELECT id, country_codes, requested_by_kind FROM learning_summary_runs WHERE period = $1`, [period])).rows[0]);
    assert.deepEqual(run.country_codes, ALL_COUNTRIES);
    assert.equal(run.requested_by_kind, 'system');
    assert.equal((await finished(run.id)).status, 'completed');
  });
});
