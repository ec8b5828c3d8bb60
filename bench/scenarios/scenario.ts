import { BenchKey } from '../lib/bench-keys';
import { Measurement } from '../lib/measure';

export interface ScenarioContext {
  size: string;
  seed: number;
  databaseUrl: string;
  apiUrl: string;
  seconds: number;
  keys: Record<BenchKey['role'], BenchKey>;
  /** The worker process, for scenarios that need one (learning summaries): its peak RSS. */
  workerPeakRss?: () => number;
}

export interface ScenarioResult {
  name: string;
  title: string;
  connections: number;
  /** Load scenarios: the API and its floor at the same concurrency. */
  api?: Measurement & { statuses: Record<string, number> };
  floor?: Measurement;
  /** api.throughput / floor.throughput. */
  ratio?: number;
  /** The target, e.g. "≥ 60% of floor throughput", and whether this run met it. */
  target?: string;
  met?: boolean;
  /** Other figures (wall time, peak RSS, …) for scenarios that are not request/response load. */
  figures?: Record<string, number>;
  notes?: string[];
  /** When and under which load this scenario was measured (results of several runs are merged per scenario). */
  measured?: { date: string; seconds: number; loadAverageAtStart: number[] };
}

/**
 * One benchmark. Load scenarios measure the API with autocannon and then their floor; a later
 * scenario (metrics, learning summary) only has to implement `run` and say whether it needs the
 * worker and which dataset sizes it is meaningful on.
 */
export interface Scenario {
  name: string;
  title: string;
  needsWorker: boolean;
  /** Dataset sizes the scenario runs on (default: all). */
  sizes?: readonly string[];
  run(ctx: ScenarioContext): Promise<ScenarioResult>;
}

export function compare(result: Omit<ScenarioResult, 'ratio' | 'met'>, minRatio?: number): ScenarioResult {
  const ratio = result.api && result.floor ? Math.round((result.api.throughput / result.floor.throughput) * 1000) / 1000 : undefined;
  const met = minRatio !== undefined && ratio !== undefined ? ratio >= minRatio : undefined;
  return { ...result, ratio, met };
}
