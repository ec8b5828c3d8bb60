import { DrillResult, Expectations, finishDrill } from '../support/drill-result';
import { DrillClient } from '../support/drill-client';
import { withDrillEnv } from '../support/drill-env';
import { sleep } from '../support/wait';
import { checkSessions, postSessionsUntil } from '../support/workload';

export interface RedisOutageOptions {
  /** `stop`: redis-server shuts down and comes back on the same port and data; `freeze`: it hangs (SIGSTOP) with connections open. */
  mode: 'stop' | 'freeze';
  outageSeconds: number;
  clients: number;
}

/** Longest a write may take while Redis is away: nothing on the write path may wait for Redis. */
const MAX_LATENCY_MS = 3_000;

/**
 * Redis goes away while `clients` clients post sessions with Idempotency-Keys. Every POST must
 * succeed or get a 503 the client retries with the same key; afterwards nothing is lost or
 * duplicated, readiness reported Redis down and recovered, and the worker is still running.
 *
 * Summary runs (issue 7) extend this drill: each client also POSTs /learning-summaries/runs
 * and, after Redis returns, every accepted run must reach `completed` (see README).
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

    await sleep(1_500);
    const down = Date.now();
    if (o.mode === 'stop') await env.redis.stop();
    else env.redis.freeze();
    await sleep(o.outageSeconds * 1000);
    if (o.mode === 'stop') await env.redis.start();
    else env.redis.thaw();
    const up = Date.now();
    const ready = await waitForReady(readiness, up, 30_000);
    await sleep(1_500);
    stop = true;
    const outcomes = await load;
    watching = false;
    await watcher;

    const duringOutage = client.figures.okTimes.filter((t) => t > down && t < up).length;
    const notReady = readiness.filter((r) => r.at > down + 2_000 && r.at < up && r.status === 503).length;
    const records = await checkSessions(env.db, env, 'redis', outcomes);
    e.expect(records.accepted === records.operations, `${records.operations - records.accepted} session POSTs never accepted`);
    e.expect(client.figures.otherErrors === 0, `${client.figures.otherErrors} answers other than 2xx, 503 or 409 in progress: ${client.figures.notes.join(' | ')}`);
    e.expect(client.figures.maxLatencyMs < MAX_LATENCY_MS, `a write took ${client.figures.maxLatencyMs} ms (limit ${MAX_LATENCY_MS})`);
    e.expect(notReady > 0, '/health/ready never reported Redis down during the outage');
    e.expect(ready !== undefined, '/health/ready did not recover within 30 s of Redis returning');
    e.expect(env.api.running, 'the API process died');
    e.expect(!env.worker || env.worker.running, 'the worker process died');
    client.close();
    health.close();
    return finishDrill(name, started, env, client.figures, records, e, { clients: o.clients, okDuringOutage: duringOutage, refused: client.figures.refused }, ready);
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
