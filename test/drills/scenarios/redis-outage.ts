import { DrillResult, Expectations, finishDrill } from '../support/drill-result';
import { DrillClient } from '../support/drill-client';
import { withDrillEnv } from '../support/drill-env';
import { checkRunDuplicates, requestRunsUntil, RunLedger, waitForRunsCompleted } from '../support/summary-runs';
import { sleep } from '../support/wait';
import { checkSessions, postSessionsUntil } from '../support/workload';

export interface RedisOutageOptions {
  /** `stop`: redis-server shuts down and comes back on the same port and data; `freeze`: it hangs (SIGSTOP) with connections open. */
  mode: 'stop' | 'freeze';
  outageSeconds: number;
  /** Clients posting sessions. */
  clients: number;
  /** Further clients requesting learning-summary runs meanwhile. */
  runClients: number;
}

/** Longest a write may take while Redis is away: nothing on the write path may wait for Redis. */
const MAX_LATENCY_MS = 3_000;
/** Every accepted run completes within this of the load stopping (Redis back for 1.5 s by then). */
const RUNS_COMPLETE_WITHIN_MS = 60_000;

/**
 * Redis goes away while `clients` clients post sessions and `runClients` clients request
 * learning-summary runs, all with Idempotency-Keys. Every POST must succeed or get a 503 the
 * client retries with the same key; afterwards no session or run is lost or duplicated, every
 * accepted run completes once Redis is back, readiness reported Redis down and recovered, and
 * the worker is still running.
 */
export async function redisOutageDrill(o: RedisOutageOptions): Promise<DrillResult> {
  const started = Date.now();
  const name = `redis-${o.mode}-${o.outageSeconds}s`;
  return withDrillEnv({ worker: true }, async (env) => {
    const e = new Expectations();
    const client = env.newClient();
    const health = new DrillClient(env.baseUrl, undefined, 5_000);
    const readiness: { at: number; status: number }[] = [];
    let stop = false;
    let watching = true;
    const watcher = (async () => {
      while (watching) {
        const res = await health.send('GET', '/health/ready');
        readiness.push({ at: Date.now(), status: res.status });
        await sleep(250);
      }
    })();
    const load = postSessionsUntil(env, client, 'redis', o.clients, () => stop);
    const ledger = new RunLedger();
    const runLoad = requestRunsUntil(env, client, ledger, o.runClients, () => stop);

    await sleep(1_500);
    const down = Date.now();
    if (o.mode === 'stop') await env.redis.stop();
    else env.redis.freeze();
    const requestsBefore = ledger.requests;
    await sleep(o.outageSeconds * 1000);
    const runsDuringOutage = ledger.requests - requestsBefore;
    if (o.mode === 'stop') await env.redis.start();
    else env.redis.thaw();
    const up = Date.now();
    const ready = await waitForReady(readiness, up, 30_000);
    await sleep(1_500);
    stop = true;
    const outcomes = await load;
    await runLoad;
    watching = false;
    await watcher;
    const runIds = ledger.acceptedIds;
    const runs = await waitForRunsCompleted(env.db, runIds, RUNS_COMPLETE_WITHIN_MS);
    const runDuplicates = await checkRunDuplicates(env);
    const duplicatedRuns = ledger.keysWithTwoRuns + runDuplicates.overlappingRuns + runDuplicates.extraOutboxMessages + runDuplicates.extraJobs;
    const lostRuns = runs.notCompleted.length;

    const duringOutage = client.figures.okTimes.filter((t) => t > down && t < up).length;
    const notReady = readiness.filter((r) => r.at > down + 2_000 && r.at < up && r.status === 503).length;
    const records = await checkSessions(env.db, env, 'redis', outcomes);
    e.expect(records.accepted === records.operations, `${records.operations - records.accepted} session POSTs never accepted`);
    e.expect(ledger.unaccepted === 0, `${ledger.unaccepted} run requests never accepted`);
    e.expect(runsDuringOutage > 0, 'no run was requested while Redis was away');
    e.expect(lostRuns === 0, `${lostRuns} accepted runs did not complete within ${RUNS_COMPLETE_WITHIN_MS / 1000} s: ${runs.notCompleted.map((r) => `${r.id} ${r.status}`).slice(0, 5).join(', ')}`);
    e.expect(duplicatedRuns === 0, `duplicated runs: ${ledger.keysWithTwoRuns} keys answered with two runs, ${JSON.stringify(runDuplicates)}`);
    e.expect(ledger.joinedAnswers > 0 && runIds.length > 1, `the run requests should both join and start runs (${runIds.length} runs, ${ledger.joinedAnswers} joined)`);
    e.expect(client.figures.otherErrors === 0, `${client.figures.otherErrors} answers other than 2xx, 503 or 409 in progress: ${client.figures.notes.join(' | ')}`);
    e.expect(client.figures.maxLatencyMs < MAX_LATENCY_MS, `a write took ${client.figures.maxLatencyMs} ms (limit ${MAX_LATENCY_MS})`);
    e.expect(notReady > 0, '/health/ready never reported Redis down during the outage');
    e.expect(ready !== undefined, '/health/ready did not recover within 30 s of Redis returning');
    e.expect(env.api.running, 'the API process died');
    e.expect(!env.worker || env.worker.running, 'the worker process died');
    client.close();
    health.close();
    // The table's lost and duplicated columns count sessions and runs together; the figures split them.
    const all = { ...records, lost: records.lost + lostRuns, duplicated: records.duplicated + duplicatedRuns };
    return finishDrill(name, started, env, client.figures, all, e, {
      clients: o.clients, okDuringOutage: duringOutage, refused: client.figures.refused,
      runClients: o.runClients, runRequests: ledger.requests, runRequestsDuringOutage: runsDuringOutage, runs: runIds.length, joined: ledger.joinedAnswers,
      lostRuns, duplicatedRuns, runsDoneSeconds: runs.seconds, runMaxLatencyMs: ledger.maxLatencyMs,
    }, ready);
  });
}

async function waitForReady(readiness: { at: number; status: number }[], since: number, timeoutMs: number): Promise<number | undefined> {
  const deadline = since + timeoutMs;
  while (Date.now() < deadline) {
    const ok = readiness.find((r) => r.at > since && r.status === 200);
    if (ok) return (ok.at - since) / 1000;
    await sleep(100);
  }
  return undefined;
}
