import autocannon from 'autocannon';
import { Pool, PoolClient } from 'pg';

/** One side of a comparison: the API under autocannon, or its floor straight over pg. */
export interface Measurement {
  /** Successful requests (or floor units of work) per second. */
  throughput: number;
  p50: number;
  p95: number;
  p99: number;
  completed: number;
  failed: number;
  seconds: number;
}

/** What one run recorded, before it is summarised (runs in blocks are merged first). */
export interface Sample {
  latencies: number[];
  failed: number;
  seconds: number;
  /** API runs: how many responses of each status (and transport errors). */
  statuses: Record<string, number>;
}

/** Exact percentiles from every latency recorded (ms), the same way for the API and its floor. */
export function summarise(latencies: number[], failed: number, seconds: number): Measurement {
  const sorted = Float64Array.from(latencies).sort();
  const at = (p: number) => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] : NaN);
  const round = (n: number) => Math.round(n * 100) / 100;
  return { throughput: round(latencies.length / seconds), p50: round(at(50)), p95: round(at(95)), p99: round(at(99)), completed: latencies.length, failed, seconds };
}

export interface ApiLoad {
  url: string;
  connections: number;
  seconds: number;
  headers: Record<string, string>;
  requests: autocannon.Request[];
  /** Statuses that count as success (e.g. 201 for creates). */
  expectStatus: number;
  /**
   * A number of requests to send instead of a duration: for requests that take seconds, where a
   * duration would end with most of them in flight and uncounted.
   */
  amount?: number;
}

/**
 * Drives the API with autocannon. Latency is taken per response from autocannon's own timing;
 * a response with another status counts as a failure and stays out of the latency figures.
 */
export async function sampleApi(load: ApiLoad): Promise<Sample> {
  const latencies: number[] = [];
  const statuses: Record<string, number> = {};
  let failed = 0;
  // Without a callback autocannon returns its instance, which is an EventEmitter and a promise of the result.
  const instance = autocannon({
    url: load.url,
    connections: load.connections,
    ...(load.amount ? { amount: load.amount } : { duration: load.seconds }),
    headers: load.headers,
    requests: load.requests,
    // Above the API's 30 s statement timeout, so that a request it gives up on is seen as its 500.
    timeout: 45,
  }) as unknown as NodeJS.EventEmitter & Promise<autocannon.Result>;
  // The tracker emits (client, status, bytes, ms); @types/autocannon leaves out the client.
  instance.on('response', (_client: unknown, statusCode: number, _bytes: number, responseTime: number) => {
    statuses[statusCode] = (statuses[statusCode] ?? 0) + 1;
    if (statusCode === load.expectStatus) latencies.push(responseTime);
    else failed++;
  });
  const result = await instance;
  // autocannon's `errors` already include its timeouts. With an amount, every request sent and not
  // answered as expected is a failure, whatever autocannon made of it.
  failed += Math.max(result.errors, result.timeouts);
  if (load.amount) failed = Math.max(failed, load.amount - latencies.length);
  for (const [label, n] of [['errors', result.errors], ['timeouts', result.timeouts], ['resets', result.resets]] as const) if (n) statuses[label] = n;
  return { latencies, failed, seconds: result.duration, statuses };
}

/**
 * The floor: `connections` loops, each on its own pool client, doing one unit of the same
 * database work back to back for `seconds`.
 */
export async function sampleFloor(
  databaseUrl: string,
  connections: number,
  seconds: number,
  unit: (client: PoolClient, worker: number, iteration: number) => Promise<void>,
): Promise<Sample> {
  const pool = new Pool({ connectionString: databaseUrl, max: connections, application_name: 'jsd-bench-floor' });
  const latencies: number[] = [];
  let failed = 0;
  let firstError: unknown;
  const started = performance.now();
  const deadline = started + seconds * 1000;
  try {
    await Promise.all(Array.from({ length: connections }, async (_, worker) => {
      const client = await pool.connect();
      try {
        for (let i = 0; performance.now() < deadline; i++) {
          const t = performance.now();
          try {
            await unit(client, worker, i);
            latencies.push(performance.now() - t);
          } catch (error) {
            failed++;
            firstError ??= error;
            await client.query('ROLLBACK').catch(() => undefined);
          }
        }
      } finally {
        client.release();
      }
    }));
  } finally {
    await pool.end();
  }
  if (firstError) console.warn(`  floor: ${failed} unit(s) failed; first: ${firstError instanceof Error ? firstError.message : String(firstError)}`);
  return { latencies, failed, seconds: (performance.now() - started) / 1000, statuses: {} };
}

/** Several samples as one: every latency, the failures and the seconds added up. */
function merged(samples: Sample[]): Sample {
  const statuses: Record<string, number> = {};
  for (const sample of samples) for (const [k, n] of Object.entries(sample.statuses)) statuses[k] = (statuses[k] ?? 0) + n;
  return { latencies: samples.flatMap((x) => x.latencies), failed: samples.reduce((n, x) => n + x.failed, 0), seconds: samples.reduce((n, x) => n + x.seconds, 0), statuses };
}

const measured = (sample: Sample) => ({ ...summarise(sample.latencies, sample.failed, sample.seconds), statuses: sample.statuses });

export async function loadApi(load: ApiLoad): Promise<Measurement & { statuses: Record<string, number> }> {
  return measured(await sampleApi(load));
}

export async function loadFloor(...args: Parameters<typeof sampleFloor>): Promise<Measurement> {
  return measured(await sampleFloor(...args));
}

/**
 * The API and its floor in alternating blocks (`blocks` of each, `seconds` per side in all), each
 * side's blocks merged. On a shared machine whatever drifts during a run (another process, the
 * tables a write scenario grows, the page cache) then falls on both sides alike, instead of on
 * whichever half came second: API-then-floor in two halves moved these ratios by ±8 points from
 * one run to the next.
 */
export const ALTERNATING_BLOCKS = 5;

/**
 * Unmeasured load on each side before the first block: every pooled connection opened, the JIT
 * past its first compilations, caches filled. Without it the API's first block ran cold code
 * (its throughput rose by a fifth over its first ten seconds), where the floor's few lines warm at once.
 */
export const WARM_UP_SECONDS = 3;

export async function alternating(
  seconds: number,
  blocks: number,
  api: (seconds: number) => Promise<Sample>,
  floor: (seconds: number) => Promise<Sample>,
): Promise<{ api: Measurement & { statuses: Record<string, number> }; floor: Measurement }> {
  await api(WARM_UP_SECONDS);
  await floor(WARM_UP_SECONDS);
  const apiSamples: Sample[] = [];
  const floorSamples: Sample[] = [];
  for (let block = 0; block < blocks; block++) {
    apiSamples.push(await api(seconds / blocks));
    floorSamples.push(await floor(seconds / blocks));
  }
  return { api: measured(merged(apiSamples)), floor: measured(merged(floorSamples)) };
}

/**
 * Whole alternating measurements per scenario: on our 2-core machines one measurement of POST
 * /sessions on small gave anything from 57 to 73% of its floor on the same build and dataset,
 * wider than any change being judged.
 */
const REPEATS = 3;

/**
 * `alternating` REPEATS times. Reported: the repetition whose API/floor throughput ratio is the
 * median (its figures, as measured together, not a mix of repetitions), and every repetition's ratio.
 */
export async function repeatedAlternating(
  seconds: number,
  blocks: number,
  api: (seconds: number) => Promise<Sample>,
  floor: (seconds: number) => Promise<Sample>,
): Promise<{ api: Measurement & { statuses: Record<string, number> }; floor: Measurement; ratios: number[] }> {
  const repetitions: Awaited<ReturnType<typeof alternating>>[] = [];
  for (let i = 0; i < REPEATS; i++) repetitions.push(await alternating(seconds, blocks, api, floor));
  const ratioOf = (r: (typeof repetitions)[number]) => r.api.throughput / r.floor.throughput;
  const median = [...repetitions].sort((a, b) => ratioOf(a) - ratioOf(b))[Math.floor(REPEATS / 2)];
  return { ...median, ratios: repetitions.map(ratioOf) };
}

/** A note that lists every repetition's ratio, in the order measured. */
export function repetitionsNote(ratios: number[]): string {
  return `API/floor of the ${ratios.length} repetitions, in order: ${ratios.map((r) => `${(r * 100).toFixed(1)}%`).join(', ')} (the median one is reported)`;
}
