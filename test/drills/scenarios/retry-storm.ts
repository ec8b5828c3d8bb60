import { Attempt, Outcome } from '../support/drill-client';
import { DrillResult, Expectations, finishDrill } from '../support/drill-result';
import { withDrillEnv } from '../support/drill-env';
import { sleep } from '../support/wait';
import { checkMixed, mixedKinds, operationOf, tableCounts } from '../support/mixed-workload';
import { checkSessions, sessionKey } from '../support/workload';

export interface RetryStormOptions {
  operations: number;
  /** Copies of each POST beyond the first (the issue: three). */
  retries: number;
  /** Operations in progress at once. */
  concurrency: number;
  /** Each copy is sent after a random delay of up to this, so copies overlap the original. */
  maxDelayMs: number;
}

/**
 * A client sends every POST of an `operations`-long workload 1 + `retries` times with the same
 * Idempotency-Key, the copies concurrently after random delays: exactly `operations` records
 * must exist, and every 2xx of one operation must name the same record. The workload mixes every
 * kind of record a field office creates (sessions, participants, police partners, disputes, early
 * warnings, indicator values, initiatives), one after another.
 */
export async function retryStormDrill(o: RetryStormOptions): Promise<DrillResult> {
  const started = Date.now();
  return withDrillEnv({}, async (env) => {
    const e = new Expectations();
    const client = env.newClient();
    const partner = await client.send('POST', '/api/v1/partners', { countryCode: 'IQ', name: `Storm partner ${env.tag}`, kind: 'cbo', networkIds: [env.seed.networkId] });
    if (partner.status !== 201) throw new Error(`retry-storm partner: ${partner.status} ${JSON.stringify(partner.body)}`);
    const kinds = mixedKinds(env, String(partner.body!.id), 'storm');
    const before = await tableCounts(env.db, kinds);
    const outcomes = new Map<number, Outcome>();
    let next = 0;
    let disagreeing = 0;
    let finalRetries = 0;
    await Promise.all(Array.from({ length: o.concurrency }, async () => {
      for (let n = next++; n < o.operations; n = next++) {
        const { kind } = operationOf(kinds, n);
        const body = kind.body(n);
        const send = async (): Promise<Attempt> => {
          await sleep(Math.random() * o.maxDelayMs);
          return client.send('POST', kind.path, body, { 'Idempotency-Key': sessionKey(env, 'storm', n) });
        };
        const copies = await Promise.all(Array.from({ length: 1 + o.retries }, send));
        client.figures.retries += o.retries;
        const ok = copies.filter((c) => c.status >= 200 && c.status < 300);
        if (new Set(ok.map((c) => c.body?.id)).size > 1) disagreeing += 1;
        if (ok.length) {
          outcomes.set(n, { last: ok[0], attempts: copies.length, accepted: true, id: String(ok[0].body?.id) });
        } else {
          // Every copy met another one in progress (409) or failed: a patient client asks once more.
          finalRetries += 1;
          outcomes.set(n, await client.postWithRetries(kind.path, body, sessionKey(env, 'storm', n), Date.now() + 30_000));
        }
      }
    }));

    const records = await checkMixed(env.db, kinds, before, outcomes);
    const sessionOutcomes = new Map([...outcomes].filter(([n]) => operationOf(kinds, n).kind.table === 'sessions'));
    records.incomplete = (await checkSessions(env.db, env, 'storm', sessionOutcomes)).incomplete;
    e.expect(records.records === o.operations, `${records.records} records for ${o.operations} operations`);
    e.expect(records.accepted === o.operations, `${o.operations - records.accepted} operations never accepted`);
    e.expect(disagreeing === 0, `${disagreeing} operations answered with two different records`);
    e.expect(client.figures.otherErrors === 0, `${client.figures.otherErrors} unexpected answers: ${client.figures.notes.join(' | ')}`);
    client.close();
    return finishDrill(`retry-storm-${o.operations}x${o.retries + 1}`, started, env, client.figures, records, e, {
      replayed: client.figures.replayed, inProgress409: client.figures.inProgress, finalRetries, disagreeing,
      ...records.byKind,
    });
  });
}
