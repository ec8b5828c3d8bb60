import { Outcome } from '../support/drill-client';
import { DrillResult, Expectations, finishDrill } from '../support/drill-result';
import { withDrillEnv } from '../support/drill-env';
import { sleep } from '../support/wait';
import { checkSessions, sessionBody, sessionKey } from '../support/workload';

export interface SigtermOptions {
  clients: number;
}

/**
 * The API gets SIGTERM while `clients` clients post sessions (one attempt each, no retries, so
 * every answer is visible): requests in flight must finish, new connections must be refused,
 * the process must exit 0 and nothing may be half-written. Then a new API process starts and
 * the clients retry what was not accepted with the same keys: every operation lands exactly once.
 */
export async function sigtermDrill(o: SigtermOptions): Promise<DrillResult> {
  const started = Date.now();
  return withDrillEnv({}, async (env) => {
    const e = new Expectations();
    const client = env.newClient();
    const outcomes = new Map<number, Outcome>();
    let next = 0;
    // Which requests straddle the signal is decided by order, not by millisecond timestamps: at
    // the API's speed several requests are sent or answered within the millisecond the signal is
    // taken, and `sentAt < termAt` then missed one that inFlightAtTerm had counted (a flaky FAIL).
    let sentBeforeTerm = Infinity;
    let termed = false;
    let stop = false;
    let inFlight = 0;
    let droppedInFlight = 0;
    let finishedAfterTerm = 0;
    let lateArrivals = 0;
    const straddling = new Map<string, number>();
    let closing503 = 0;
    const load = Promise.all(Array.from({ length: o.clients }, async () => {
      while (!stop) {
        const n = next++;
        inFlight += 1;
        const last = await client.send('POST', '/api/v1/sessions', sessionBody(env, 'term', n), { 'Idempotency-Key': sessionKey(env, 'term', n) });
        inFlight -= 1;
        // In flight at the signal: sent before it, and this continuation (which runs as soon as the
        // answer is read) had not run when it was taken.
        const straddled = n < sentBeforeTerm && termed;
        const accepted = last.status >= 200 && last.status < 300;
        outcomes.set(n, { last, attempts: 1, accepted, id: accepted ? String(last.body?.id) : undefined });
        // Sent before the signal and broken without an answer: an in-flight request was dropped.
        if (last.error && last.error !== 'ECONNREFUSED' && n < sentBeforeTerm) droppedInFlight += 1;
        if (straddled) {
          const status = last.error ?? String(last.status);
          straddling.set(status, (straddling.get(status) ?? 0) + 1);
          if (accepted) finishedAfterTerm += 1;
          // Sent before the signal but read by the server after it: refused, retryable, nothing written.
          else if (last.status === 503) lateArrivals += 1;
        }
        if (n >= sentBeforeTerm && last.status === 503) closing503 += 1;
        if (last.error === 'ECONNREFUSED') break; // this client saw the server gone; the others go on
      }
    }));

    await sleep(1_500);
    const termAt = Date.now();
    sentBeforeTerm = next;
    termed = true;
    const inFlightAtTerm = inFlight;
    env.api.signal('SIGTERM');
    const exit = await env.api.exited;
    const exitSeconds = (Date.now() - termAt) / 1000;
    // Clients keep trying until each is refused: they must be refused, not hang.
    await Promise.race([load, sleep(5_000)]);
    const refusedAfterExit = client.figures.refused;
    stop = true;
    await load;

    // Restart and retry everything not accepted, with the same keys.
    await env.startApi();
    let retried = 0;
    for (const [n, outcome] of outcomes) {
      if (outcome.accepted) continue;
      retried += 1;
      outcomes.set(n, await client.postWithRetries('/api/v1/sessions', sessionBody(env, 'term', n), sessionKey(env, 'term', n), Date.now() + 30_000));
    }

    const records = await checkSessions(env.db, env, 'term', outcomes);
    e.expect(exit.code === 0 && exit.signal === null, `the API exited with ${exit.code ?? exit.signal}`);
    const answers = [...straddling].map(([status, n]) => `${status}x${n}`).join(',');
    e.expect(finishedAfterTerm + lateArrivals === inFlightAtTerm, `requests in flight at SIGTERM (${inFlightAtTerm}) were answered ${answers}`);
    e.expect(finishedAfterTerm > 0, 'no request in flight at SIGTERM finished');
    e.expect(droppedInFlight === 0, `${droppedInFlight} requests in flight at SIGTERM got no answer`);
    e.expect(refusedAfterExit > 0, 'no connection was refused after the API stopped');
    e.expect(records.accepted === records.operations, `${records.operations - records.accepted} operations never accepted, even after the restart`);
    client.close();
    return finishDrill('api-sigterm', started, env, client.figures, records, e, {
      clients: o.clients, exitCode: String(exit.code ?? exit.signal), exitSeconds, inFlightAtTerm, finishedAfterTerm, lateArrivals, closing503, droppedInFlight,
      refused: client.figures.refused, retriedAfterRestart: retried, incomplete: records.incomplete,
    });
  });
}
