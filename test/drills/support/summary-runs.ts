import { Queue } from 'bullmq';
import { Pool } from 'pg';
import { JOBS, QUEUES } from '../../../src/common/jobs/job-names';
import { DrillClient } from './drill-client';
import { DrillEnv } from './drill-env';
import { sleep } from './wait';

export const RUNS = '/api/v1/learning-summaries/runs';

export interface RunRequestBody {
  period: string;
  countryCodes?: string[];
}

/**
 * What the Redis drill's clients ask for, in turn: a few periods and country sets, so that while
 * one is queued the same request joins it and the others start runs of their own. The workload's
 * sessions are held in Iraq on 2016-07-14, so every period covers some of them.
 */
export const RUN_MIX: RunRequestBody[] = [
  { period: '2016-Q3', countryCodes: ['IQ'] },
  { period: '2016' },
  { period: '2016-07', countryCodes: ['IQ', 'NP'] },
  { period: '2016-Q3', countryCodes: ['IQ'] },
  { period: '2016-08', countryCodes: ['NP'] },
  { period: '2016-Q3' },
];

/** Every Idempotency-Key a drill sent to POST /runs, with what it asked for and every run id a 2xx named. */
export class RunLedger {
  /** The slowest answer to a run request. */
  maxLatencyMs = 0;
  readonly byKey = new Map<string, { body: RunRequestBody; ids: Set<string>; joined: boolean; accepted: boolean }>();

  record(key: string, body: RunRequestBody, status: number, responseBody: Record<string, unknown> | undefined): void {
    const entry = this.byKey.get(key) ?? { body, ids: new Set<string>(), joined: false, accepted: false };
    this.byKey.set(key, entry);
    if (status < 200 || status >= 300) return;
    if (!entry.accepted && responseBody?.joined === true) entry.joined = true;
    entry.accepted = true;
    entry.ids.add(String(responseBody?.id));
  }

  /** Every distinct run id the API gave out. */
  get acceptedIds(): string[] {
    return [...new Set([...this.byKey.values()].flatMap((e) => [...e.ids]))];
  }

  get requests(): number {
    return this.byKey.size;
  }

  get unaccepted(): number {
    return [...this.byKey.values()].filter((e) => !e.accepted).length;
  }

  /** Keys whose 2xx answers named more than one run: a retry created a second run. */
  get keysWithTwoRuns(): number {
    return [...this.byKey.values()].filter((e) => e.ids.size > 1).length;
  }

  /** Keys whose request joined a run already queued or running. */
  get joinedAnswers(): number {
    return [...this.byKey.values()].filter((e) => e.joined).length;
  }
}

/** Asks for one run with one key until accepted (retrying 503s with the same key), and records the answer. */
export async function requestRun(client: DrillClient, ledger: RunLedger, key: string, body: RunRequestBody, deadline: number): Promise<string | undefined> {
  const outcome = await client.postWithRetries(RUNS, body, key, deadline);
  ledger.maxLatencyMs = Math.max(ledger.maxLatencyMs, outcome.last.latencyMs);
  ledger.record(key, body, outcome.last.status, outcome.last.body);
  return outcome.accepted ? outcome.id : undefined;
}

/**
 * `clients` clients request runs from RUN_MIX until `stop()`, a short pause between requests;
 * every third key is sent a second time after its first answer, as a client that never saw the
 * answer would: the retry must name the same run.
 */
export async function requestRunsUntil(env: DrillEnv, client: DrillClient, ledger: RunLedger, clients: number, stop: () => boolean, retryForMs = 60_000): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: clients }, async () => {
    while (!stop()) {
      const n = next++;
      const key = `run-${env.tag}-${n}`;
      const body = RUN_MIX[n % RUN_MIX.length];
      await requestRun(client, ledger, key, body, Date.now() + retryForMs);
      if (n % 3 === 0) await requestRun(client, ledger, key, body, Date.now() + retryForMs);
      await sleep(300 + Math.random() * 400);
    }
  }));
}

export interface RunStatusRow {
  id: string;
  status: string;
  progress: number;
  attempts: number;
  created_at: Date;
  finished_at: Date | null;
}

export async function runStatuses(db: Pool, ids: string[]): Promise<RunStatusRow[]> {
  const { rows } = await db.query<RunStatusRow>('SELECT id, status, progress, attempts, created_at, finished_at FROM learning_summary_runs WHERE id = ANY($1::uuid[])', [ids]);
  return rows;
}

/** Waits until every run is completed or the deadline passes; returns the runs that did not complete. */
export async function waitForRunsCompleted(db: Pool, ids: string[], timeoutMs: number): Promise<{ notCompleted: RunStatusRow[]; seconds: number }> {
  const started = Date.now();
  let rows: RunStatusRow[] = [];
  do {
    rows = await runStatuses(db, ids).catch(() => rows);
    if (rows.length === ids.length && rows.every((r) => r.status === 'completed')) break;
    await sleep(250);
  } while (Date.now() - started < timeoutMs);
  const completed = new Set(rows.filter((r) => r.status === 'completed').map((r) => r.id));
  const missing = ids.filter((id) => !rows.some((r) => r.id === id)).map((id) => ({ id, status: 'missing' }) as RunStatusRow);
  return { notCompleted: [...rows.filter((r) => !completed.has(r.id)), ...missing], seconds: (Date.now() - started) / 1000 };
}

export interface RunDuplicates {
  /** Runs created (create audit event) before the previous run of the same job key had finished (its complete/fail event). */
  overlappingRuns: number;
  /** Outbox messages beyond one per run. */
  extraOutboxMessages: number;
  /** BullMQ compute jobs beyond one per run, or with an id other than their run's job id. */
  extraJobs: number;
  jobs: number;
}

/**
 * Duplicates, counted where they would live. The audit chain orders commits, so "a second run of a
 * key while the first was queued or running" shows as a run whose create event precedes the
 * previous generation's complete or fail event (or that exists while the previous is still active).
 */
export async function checkRunDuplicates(env: DrillEnv): Promise<RunDuplicates> {
  const { rows: [overlap] } = await env.db.query<{ n: number }>(`
    WITH events AS (
      SELECT r.id, r.job_key, r.generation, r.status,
             (SELECT min(e.seq) FROM audit_events e WHERE e.entity = 'learning_summary_run' AND e.entity_id = r.id::text AND e.action = 'create') AS created_seq,
             (SELECT min(e.seq) FROM audit_events e WHERE e.entity = 'learning_summary_run' AND e.entity_id = r.id::text AND e.action IN ('complete', 'fail')) AS ended_seq
        FROM learning_summary_runs r)
    SELECT count(*)::int AS n FROM events later JOIN events earlier
        ON earlier.job_key = later.job_key AND earlier.generation < later.generation
     WHERE earlier.ended_seq IS NULL OR later.created_seq < earlier.ended_seq`);
  const { rows: [outbox] } = await env.db.query<{ n: number }>(`
    SELECT COALESCE(sum(n - 1), 0)::int AS n FROM (
      SELECT count(*) AS n FROM outbox_messages WHERE queue = $1 AND name = $2 GROUP BY data->>'runId') m`,
  [QUEUES.learningSummaries, JOBS.learningSummaries.compute]);
  const { rows: runs } = await env.db.query<{ id: string; job_id: string }>('SELECT id, job_id FROM learning_summary_runs');
  const jobIdOf = new Map(runs.map((r) => [r.id, r.job_id]));
  const queue = new Queue(QUEUES.learningSummaries, { connection: { url: env.redis.url, maxRetriesPerRequest: 1 }, prefix: env.services.queuePrefix });
  queue.on('error', () => undefined);
  try {
    const jobs = (await queue.getJobs(['completed', 'failed', 'active', 'wait', 'delayed', 'prioritized'])).filter((j) => j?.name === JOBS.learningSummaries.compute);
    const perRun = new Map<string, number>();
    let extraJobs = 0;
    for (const job of jobs) {
      const runId = String((job.data as { runId?: unknown }).runId);
      perRun.set(runId, (perRun.get(runId) ?? 0) + 1);
      if (jobIdOf.get(runId) !== job.id) extraJobs += 1;
    }
    for (const n of perRun.values()) extraJobs += Math.max(0, n - 1);
    return { overlappingRuns: overlap.n, extraOutboxMessages: outbox.n, extraJobs, jobs: jobs.length };
  } finally {
    await queue.close();
  }
}

/** A JSON value without the keys that differ between two computations of the same data. */
function withoutVolatile(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutVolatile);
  if (!value || typeof value !== 'object') return value;
  return Object.fromEntries(Object.entries(value).filter(([k]) => k !== 'computedAt').map(([k, v]) => [k, withoutVolatile(v)]));
}

export interface StoredSummaries {
  countries: { countryCode: string; from: string; to: string; content: unknown; figures: unknown }[];
  crossCountry: { countryCodes: string[]; content: unknown; figures: unknown } | undefined;
  /** Which runs wrote them and how often (volatile: not compared). */
  runIds: string[];
  versions: number[];
}

/** The stored summaries of one period, without computedAt, version, run id or timestamps. */
export async function storedSummaries(db: Pool, period: string): Promise<StoredSummaries> {
  const { rows } = await db.query<{ country_code: string; from: string; to: string; content: unknown; figures: unknown; run_id: string; version: number }>(
    `SELECT country_code::text, period_from::text AS from, period_to::text AS to, content, figures, run_id, version
       FROM learning_summaries WHERE period = $1 ORDER BY country_code`, [period]);
  const { rows: [cross] } = await db.query<{ country_codes: string[]; content: unknown; figures: unknown; run_id: string; version: number }>(
    'SELECT country_codes, content, figures, run_id, version FROM learning_summary_cross_country WHERE period = $1', [period]);
  return {
    countries: rows.map((r) => ({ countryCode: r.country_code, from: r.from, to: r.to, content: withoutVolatile(r.content), figures: withoutVolatile(r.figures) })),
    crossCountry: cross && { countryCodes: cross.country_codes, content: withoutVolatile(cross.content), figures: withoutVolatile(cross.figures) },
    runIds: [...new Set([...rows.map((r) => r.run_id), ...(cross ? [cross.run_id] : [])])],
    versions: [...new Set([...rows.map((r) => r.version), ...(cross ? [cross.version] : [])])],
  };
}
