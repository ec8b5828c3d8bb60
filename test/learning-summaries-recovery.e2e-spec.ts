import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Queue } from 'bullmq';
import { QUEUES } from '../src/common/jobs/job-names';
import { adminToken } from './support/auth';
import { expectedIraq, loadLearningFixture } from './support/learning-fixture';
import { lockTable } from './support/table-lock';
import { startTestApp, TestApp } from './support/test-app';
import { ChildWorker, startWorker, waitFor } from './support/worker-child';

const RUNS = '/api/v1/learning-summaries/runs';

const lockSummaries = (t: TestApp) => lockTable(t.db, 'learning_summaries');

async function setUp(): Promise<{ t: TestApp; admin: string; ids: Record<string, string>; queue: Queue }> {
  const t = await startTestApp();
  const ids = (await loadLearningFixture(t.db)).ids;
  const admin = await adminToken(t);
  const queue = new Queue(QUEUES.learningSummaries, { connection: { url: t.config.redisUrl }, prefix: t.config.queuePrefix });
  return { t, admin, ids, queue };
}

/** A suite's app, fixture and queue, and the worker processes it starts (stopped afterwards unless killed). */
function workerSuite(): { env: () => Awaited<ReturnType<typeof setUp>>; workers: ChildWorker[] } {
  let env: Awaited<ReturnType<typeof setUp>>;
  const workers: ChildWorker[] = [];
  before(async () => {
    env = await setUp();
  });
  after(async () => {
    for (const w of workers) {
      if (w.process.exitCode === null && w.process.signalCode === null) await w.stop();
    }
    await env.queue.obliterate({ force: true });
    await env.queue.close();
    await env.t.close();
  });
  return { env: () => env, workers };
}

const auth = (token: string) => ({ Authorization: `Bearer ${token}` });
const FAST_RECOVERY = { JOB_LOCK_DURATION_MS: '2000', JOB_STALLED_INTERVAL_MS: '1000', LEARNING_SUMMARY_LOCK_TIMEOUT_MS: '25000' };

/** Queues a run while the summaries table is locked, waits until its worker is writing, SIGKILLs that worker and releases the lock. */
async function killWhileWriting(t: TestApp, admin: string, worker: ChildWorker, period: string): Promise<string> {
  const lock = await lockSummaries(t);
  const res = await t.http.post(RUNS).set(auth(admin)).send({ period });
  await waitFor('the run to be writing', async () => {
    const run = (await t.http.get(`${RUNS}/${res.body.id}`).set(auth(admin))).body;
    return run.status === 'running' && run.progress >= 95;
  });
  worker.process.kill('SIGKILL');
  await waitFor('the worker to die', async () => worker.process.signalCode === 'SIGKILL');
  await lock.release();
  return res.body.id;
}

describe('a learning-summary job that keeps failing', () => {
  let env: Awaited<ReturnType<typeof setUp>>;
  let worker: ChildWorker;

  before(async () => {
    env = await setUp();
    worker = await startWorker(env.t, { LEARNING_SUMMARY_ATTEMPTS: '3', LEARNING_SUMMARY_BACKOFF_MS: '100', LEARNING_SUMMARY_LOCK_TIMEOUT_MS: '300' });
  });
  after(async () => {
    await worker?.stop();
    await env.queue.obliterate({ force: true });
    await env.queue.close();
    await env.t.close();
  });

  it('is retried with backoff, then reported failed with its error; a later run succeeds', async () => {
    const { t, admin, queue } = env;
    const lock = await lockSummaries(t);
    const res = await t.http.post(RUNS).set(auth(admin)).send({ period: '2016-Q3', countryCodes: ['IQ'] });
    assert.equal(res.status, 202);
    const seenStatuses = new Set<string>();
    const failed = await waitFor('the run to fail', async () => {
      const run = (await t.http.get(`${RUNS}/${res.body.id}`).set(auth(admin))).body;
      seenStatuses.add(run.status);
      return run.status === 'failed' ? run : undefined;
    }, 30_000, 20);
    await lock.release();
    assert.equal(failed.attempts, 3);
    assert.match(failed.error, /locked by another transaction longer than LEARNING_SUMMARY_LOCK_TIMEOUT_MS/);
    assert.doesNotMatch(failed.error, /INSERT|learning_summaries|SELECT/, 'no SQL or table names in the error');
    assert.ok(failed.finishedAt);
    assert.ok(seenStatuses.has('running'));
    const job = (await queue.getJobs(['failed']))[0];
    assert.equal(job.attemptsMade, 3);
    assert.equal(job.failedReason, failed.error);
    assert.equal(Number((await t.db.query('SELECT count(*) AS n FROM learning_summaries')).rows[0].n), 0, 'nothing half-written');
    const events = await t.db.query(`SELECT action FROM audit_events WHERE entity = 'learning_summary_run' AND entity_id = $1 ORDER BY seq`, [res.body.id]);
    assert.deepEqual(events.rows.map((r) => r.action), ['create', 'fail'], 'the failure is audited once');

    const again = await t.http.post(RUNS).set(auth(admin)).send({ period: '2016-Q3', countryCodes: ['IQ'] });
    assert.notEqual(again.body.id, res.body.id, 'a failed run is not joined');
    const done = await waitFor('the new run', async () => {
      const run = (await t.http.get(`${RUNS}/${again.body.id}`).set(auth(admin))).body;
      return run.status === 'completed' ? run : undefined;
    });
    assert.equal(done.attempts, 1);
  });
});

describe('a worker SIGKILLed in the middle of a run', () => {
  const suite = workerSuite();

  it('leaves a job that another worker process picks up and finishes, with exactly the right summaries', async () => {
    const { t, admin, ids } = suite.env();
    const first = await startWorker(t, FAST_RECOVERY);
    suite.workers.push(first);
    const res = { body: { id: await killWhileWriting(t, admin, first, '2016-Q3') } };
    assert.equal((await t.http.get(`${RUNS}/${res.body.id}`).set(auth(admin))).body.status, 'running', 'the dead worker left the run unfinished');

    const second = await startWorker(t, FAST_RECOVERY);
    suite.workers.push(second);
    const recovered = await waitFor('the run to complete on the other worker', async () => {
      const run = (await t.http.get(`${RUNS}/${res.body.id}`).set(auth(admin))).body;
      return run.status === 'completed' ? run : undefined;
    }, 30_000);
    assert.equal(recovered.progress, 100);
    assert.ok(recovered.attempts >= 2, `attempts ${recovered.attempts}`);

    const stored = async () => (await t.db.query(`SELECT country_code, content, figures, version FROM learning_summaries WHERE period = '2016-Q3' ORDER BY country_code`)).rows;
    const afterRecovery = await stored();
    assert.equal(afterRecovery.length, 11);
    assert.ok(afterRecovery.every((r) => r.version === 1), 'written exactly once');
    const iq = afterRecovery.find((r) => r.country_code === 'IQ')!.content;
    const expected = expectedIraq(ids);
    assert.deepEqual(iq.resolvedDisputes, expected.resolvedDisputes);
    assert.deepEqual(iq.initiativesCompleted, expected.initiativesCompleted);
    assert.deepEqual(iq.crossCountryLinks, expected.crossCountryLinks);
    assert.deepEqual(iq.provenance.sourceRows, expected.sourceRows);
    assert.deepEqual(afterRecovery.find((r) => r.country_code === 'IQ')!.figures.impact.indicatorChange.reported_crimes.percentChange, -75);

    // An undisturbed run of the same period computes the same summaries.
    const rerun = await t.http.post(RUNS).set(auth(admin)).send({ period: '2016-Q3' });
    await waitFor('the undisturbed run', async () => (await t.http.get(`${RUNS}/${rerun.body.id}`).set(auth(admin))).body.status === 'completed');
    const undisturbed = await stored();
    const strip = (rows: { country_code: string; content: { provenance: object }; figures: unknown }[]) =>
      rows.map((r) => ({ country: r.country_code, content: { ...r.content, provenance: { ...r.content.provenance, computedAt: null } }, figures: r.figures }));
    assert.deepEqual(strip(undisturbed), strip(afterRecovery));
  });
});

describe('a run whose worker dies more often than JOB_MAX_STALLED_COUNT allows', () => {
  const suite = workerSuite();
  const NO_STALLS = { ...FAST_RECOVERY, JOB_MAX_STALLED_COUNT: '0' };

  // BullMQ fails such a job in its stalled check, without the handler: the run used to stay
  // `running` for ever, and every later request of its period joined the dead run.
  it('is reported failed with an error in words and audited, and the next request starts a new run', async () => {
    const { t, admin } = suite.env();
    const first = await startWorker(t, NO_STALLS);
    suite.workers.push(first);
    const id = await killWhileWriting(t, admin, first, '2016-Q3');
    const second = await startWorker(t, NO_STALLS);
    suite.workers.push(second);
    const failed = await waitFor('the run to be failed', async () => {
      const run = (await t.http.get(`${RUNS}/${id}`).set(auth(admin))).body;
      return run.status === 'failed' ? run : undefined;
    }, 30_000);
    assert.match(failed.error, /stopped in the middle \(it crashed or was killed\) more often than JOB_MAX_STALLED_COUNT allows/);
    assert.ok(failed.finishedAt);
    assert.equal(Number((await t.db.query('SELECT count(*) AS n FROM learning_summaries')).rows[0].n), 0, 'nothing half-written');
    const events = await t.db.query(`SELECT action, actor_kind FROM audit_events WHERE entity = 'learning_summary_run' AND entity_id = $1 ORDER BY seq`, [id]);
    assert.deepEqual(events.rows, [{ action: 'create', actor_kind: 'user' }, { action: 'fail', actor_kind: 'system' }]);

    const again = await t.http.post(RUNS).set(auth(admin)).send({ period: '2016-Q3' });
    assert.equal(again.status, 202);
    assert.equal(again.body.joined, false, 'the failed run is not joined');
    const done = await waitFor('the new run', async () => {
      const run = (await t.http.get(`${RUNS}/${again.body.id}`).set(auth(admin))).body;
      return run.status === 'completed' ? run : undefined;
    }, 30_000);
    assert.equal(done.attempts, 1);
  });
});
