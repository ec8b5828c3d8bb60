import { DrillResult, Expectations, finishDrill } from '../support/drill-result';
import { withDrillEnv } from '../support/drill-env';
import { sleep } from '../support/wait';
import { checkSessions, postSessionsUntil } from '../support/workload';

export interface PostgresRestartOptions {
  /** How long the database stays down between the fast shutdown and the start. */
  downSeconds: number;
  clients: number;
}

/** "Within seconds of the database returning". */
const MAX_RECOVERY_SECONDS = 5;
/** Fastify's requestTimeout: no request may take longer. */
const REQUEST_TIMEOUT_MS = 30_000;

/**
 * PostgreSQL is shut down (fast: connections cut, open transactions rolled back) and started
 * again during a write load. The API must answer 503 (never 500, never hang) while it is away,
 * serve again by itself within seconds of its return, and no accepted write may be lost.
 */
export async function postgresRestartDrill(o: PostgresRestartOptions): Promise<DrillResult> {
  const started = Date.now();
  return withDrillEnv({}, async (env) => {
    const e = new Expectations();
    const client = env.newClient();
    let stop = false;
    const load = postSessionsUntil(env, client, 'pg', o.clients, () => stop, 90_000);

    await sleep(1_500);
    const down = Date.now();
    await env.pg.stop();
    await sleep(o.downSeconds * 1000);
    await env.pg.start();
    const up = Date.now();
    // Keep writing until the API has served again for a while (or clearly never will).
    for (let waited = 0; waited < 30_000 && client.figures.recoverySeconds(up) === undefined; waited += 200) await sleep(200);
    await sleep(2_000);
    stop = true;
    const outcomes = await load;

    const recovery = client.figures.recoverySeconds(up);
    const records = await checkSessions(env.db, env, 'pg', outcomes);
    e.expect(recovery !== undefined && recovery <= MAX_RECOVERY_SECONDS, `the API served again ${recovery ?? 'never'} s after the database returned (limit ${MAX_RECOVERY_SECONDS} s)`);
    e.expect(records.accepted === records.operations, `${records.operations - records.accepted} session POSTs never accepted`);
    e.expect(client.figures.unavailable > 0, 'no 503 while the database was down');
    e.expect(client.figures.maxLatencyMs < REQUEST_TIMEOUT_MS, `a request took ${client.figures.maxLatencyMs} ms`);
    e.expect(client.figures.otherErrors === 0, `${client.figures.otherErrors} unexpected answers: ${client.figures.notes.join(' | ')}`);
    e.expect(env.api.running, 'the API process died');
    client.close();
    return finishDrill(`postgres-restart-${o.downSeconds}s`, started, env, client.figures, records, e, {
      clients: o.clients, downSeconds: Math.round((up - down) / 100) / 10, inProgress409: client.figures.inProgress, reset: client.figures.reset,
      unacknowledged: records.unacknowledged,
    }, recovery);
  });
}
