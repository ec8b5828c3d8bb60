import { isDeepStrictEqual } from 'node:util';
import { DrillResult, Expectations, finishDrill } from '../support/drill-result';
import { withDrillEnv } from '../support/drill-env';
import { seedSummaryWorld, SummaryWorldOptions } from '../support/summary-seed';
import { checkRunDuplicates, requestRun, RunLedger, runStatuses, RunStatusRow, storedSummaries, waitForRunsCompleted } from '../support/summary-runs';
import { waitFor } from '../support/wait';

export interface WorkerSigkillOptions extends SummaryWorldOptions {
  kills: number;
}

const PERIOD = '2016';
/**
 * A dead worker's job is free again after the lock (2 s) and found by the next stalled check
 * (every 1 s): short, so that three recoveries fit in a drill (docs/operations.md, configuration table).
 */
const WORKER_ENV = { JOB_LOCK_DURATION_MS: '2000', JOB_STALLED_INTERVAL_MS: '1000' };
/** Kill k happens once the attempt reports at least this progress: early, midway and late in computing. */
const KILL_AT_PROGRESS = [1, 25, 50];
/** From the kill to the new worker having started the job again: its start-up, the lock and the stalled check, on a busy machine. */
const RESTART_WITHIN_MS = 45_000;
/** From the last restart to the run completing. */
const COMPLETE_WITHIN_MS = 120_000;

/**
 * The worker is SIGKILLed in the middle of a learning-summary run `kills` times in a row, each
 * time once the run's current attempt is observed running with progress > 0 (≥ 1, 25, 50 %: kills
 * early, midway and late in the computation), and a new worker is
 * started each time. The run must then complete, its summaries must have been written exactly
 * once, and they must equal those of an undisturbed run of the same period on the same data.
 */
export async function workerSigkillDrill(o: WorkerSigkillOptions): Promise<DrillResult> {
  const started = Date.now();
  return withDrillEnv({ worker: true, workerEnv: WORKER_ENV }, async (env) => {
    const e = new Expectations();
    const seeding = Date.now();
    const world = await seedSummaryWorld(env, o);
    const seedSeconds = Math.round((Date.now() - seeding) / 100) / 10;
    const client = env.newClient();
    const ledger = new RunLedger();
    const runId = await requestRun(client, ledger, `sigkill-${env.tag}-1`, { period: PERIOD }, Date.now() + 30_000);
    if (!runId) throw new Error(`the run was not accepted: ${JSON.stringify([...ledger.byKey.values()])}`);
    const current = async (): Promise<RunStatusRow> => (await runStatuses(env.db, [runId]))[0];

    let kills = 0;
    let finishedBeforeKill = false;
    let neverRestarted: string | undefined;
    const killedAt: { attempt: number; progress: number }[] = [];
    for (let k = 0; k < o.kills; k++) {
      const previousAttempt = killedAt[k - 1]?.attempt ?? 0;
      // This attempt (not the row left by the killed one) is computing.
      const seen = await waitFor(`attempt ${previousAttempt + 1} of the run to report progress`, async () => {
        const run = await current();
        if (run.status === 'completed' || run.status === 'failed') return run;
        return run.status === 'running' && run.attempts > previousAttempt && run.progress >= KILL_AT_PROGRESS[k % KILL_AT_PROGRESS.length] ? run : undefined;
      }, RESTART_WITHIN_MS, 25).catch(async () => {
        const run = await current();
        neverRestarted = `after ${kills} kill(s) the run stayed ${run.status} (attempts ${run.attempts}, progress ${run.progress}) for ${RESTART_WITHIN_MS / 1000} s`;
        return undefined;
      });
      if (!seen) break;
      if (seen.status !== 'running') {
        finishedBeforeKill = true;
        break;
      }
      env.worker!.signal('SIGKILL');
      await env.worker!.exited;
      kills += 1;
      const after = await current();
      killedAt.push({ attempt: seen.attempts, progress: seen.progress });
      if (after.status === 'completed') {
        finishedBeforeKill = true;
        break;
      }
      await env.startWorker();
    }
    const lastRestart = Date.now();
    const { notCompleted } = await waitForRunsCompleted(env.db, [runId], COMPLETE_WITHIN_MS);
    const recoverySeconds = Math.round((Date.now() - lastRestart) / 100) / 10;
    const run = await current();
    const wallSeconds = run.finished_at ? (run.finished_at.getTime() - run.created_at.getTime()) / 1000 : undefined;
    const disturbed = await storedSummaries(env.db, PERIOD);

    // The same period on the same data, with nobody killing anything.
    const undisturbedId = await requestRun(client, ledger, `sigkill-${env.tag}-2`, { period: PERIOD }, Date.now() + 30_000);
    const second = await waitForRunsCompleted(env.db, undisturbedId ? [undisturbedId] : [], COMPLETE_WITHIN_MS);
    const [undisturbedRun] = undisturbedId ? await runStatuses(env.db, [undisturbedId]) : [];
    const undisturbed = await storedSummaries(env.db, PERIOD);
    const equal = disturbed.countries.length > 0 && isDeepStrictEqual(disturbed.countries, undisturbed.countries) && isDeepStrictEqual(disturbed.crossCountry, undisturbed.crossCountry);
    const duplicates = await checkRunDuplicates(env);
    const duplicatedRuns = ledger.keysWithTwoRuns + duplicates.overlappingRuns + duplicates.extraOutboxMessages + duplicates.extraJobs;

    e.expect(neverRestarted === undefined, `no worker took the run up again: ${neverRestarted}`);
    e.expect(!finishedBeforeKill, `the run finished before kill ${kills + 1}: make it larger (more countries or sessions)`);
    e.expect(kills === o.kills, `${kills} kills instead of ${o.kills}`);
    e.expect(notCompleted.length === 0, `the run ended ${run.status} (${JSON.stringify({ attempts: run.attempts, progress: run.progress })}) within ${COMPLETE_WITHIN_MS / 1000} s of the last restart`);
    e.expect(run.attempts >= o.kills + 1, `the run reports ${run.attempts} attempts after ${kills} kills`);
    e.expect(disturbed.countries.length === world.countries && disturbed.crossCountry !== undefined, `${disturbed.countries.length} country summaries stored for ${world.countries} countries`);
    e.expect(isDeepStrictEqual(disturbed.runIds, [runId]) && isDeepStrictEqual(disturbed.versions, [1]), `the disturbed run's summaries were written once, by it (runs ${disturbed.runIds}, versions ${disturbed.versions})`);
    e.expect(second.notCompleted.length === 0 && isDeepStrictEqual(undisturbed.runIds, [undisturbedId]), 'the undisturbed run did not complete and replace the summaries');
    e.expect(equal, 'the summaries after the kills differ from those of the undisturbed run');
    e.expect(duplicatedRuns === 0, `duplicated runs or jobs: ${JSON.stringify(duplicates)}`);
    e.expect(env.api.running, 'the API process died');
    client.close();
    const records = { operations: 2, accepted: ledger.acceptedIds.length, records: 2 - notCompleted.length - second.notCompleted.length, lost: notCompleted.length, duplicated: duplicatedRuns, incomplete: 0, unacknowledged: 0 };
    return finishDrill(`worker-sigkill-x${o.kills}`, started, env, client.figures, records, e, {
      seedSeconds, countries: world.countries, sessions: world.sessions, resolvedDisputes: world.resolvedDisputes, kills,
      killedAtProgress: killedAt.map((x) => x.progress).join('/'), attempts: run.attempts, wallSeconds: wallSeconds ?? 'never',
      completedAfterLastRestartSeconds: recoverySeconds,
      undisturbedSeconds: undisturbedRun?.finished_at ? (undisturbedRun.finished_at.getTime() - undisturbedRun.created_at.getTime()) / 1000 : 'never',
      equal,
    });
  });
}
