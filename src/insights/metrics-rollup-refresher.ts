import { Inject, Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';
import { PollingLoop } from '../common/jobs/polling-loop';
import { refreshDirtyCells, RefreshResult, refreshStalePeriods, SqlRunner } from './metrics-rollup-refresh';

/** Cells (country × month) per transaction: a round stays short even with a large backlog. */
const CELLS_PER_ROUND = 100;
/** Quarters and years per transaction: a country's year is every attendance row of it, hashed. */
const PERIODS_PER_ROUND = 10;
/**
 * After a round that left no backlog, the refresher waits this many times as long as the round
 * took (and at least the interval, at most PACED_PAUSE_MAX_MS) before the next: a month that a
 * burst of writes keeps dirty costs the refresh a tenth of a core, not all of it. On the large
 * bench dataset POST /sessions put ~39,000 sessions in one country's month; recomputing it took
 * 1.2 s, and the refresher ran round after round while the writes went on. Until then questions
 * read the month raw, as every dirty month is read.
 */
const PACED_PAUSE_FACTOR = 9;
const PACED_PAUSE_MAX_MS = 60_000;

/** The pause after a round that took `tookMs`: see PACED_PAUSE_FACTOR. */
export const pacedPauseMs = (tookMs: number, intervalMs: number): number =>
  Math.max(intervalMs, Math.round(Math.min(PACED_PAUSE_MAX_MS, tookMs * PACED_PAUSE_FACTOR)));

/** One refresher at a time across worker processes (two would recompute the same cells). */
const ADVISORY_LOCK_KEY = 6_201_796;

/**
 * Runs in the worker: keeps the metrics rollups (migration MetricsRollups) up to date by
 * recomputing the months writes marked dirty, and the distinct people of their quarters and years
 * once those have been stale for metricsPeriodRefreshDelayMs (migration MetricsStalePeoplePeriods:
 * a burst of writes costs one recomputation of a year per delay, not one per round). Polls the
 * database, not Redis: the figures stay correct without it (dirty months and stale periods are
 * read raw), and so does this loop during a Redis outage.
 * A crash mid-round rolls the round back; the markers stay and the next round redoes it.
 */
@Injectable()
export class MetricsRollupRefresher implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('MetricsRollups');
  private readonly loop: PollingLoop;
  private lastErrorLog = 0;
  private readonly periodDelayMs: number;
  private readonly intervalMs: number;
  /** The pause before the next poll, set by each run of refreshAll. */
  private pauseMs: number;

  constructor(
    private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.periodDelayMs = config.metricsPeriodRefreshDelayMs;
    this.intervalMs = this.pauseMs = config.metricsRollupIntervalMs;
    this.loop = new PollingLoop(() => this.refreshAll(), () => this.pauseMs, (error) => {
      // While PostgreSQL is down every poll fails: say so once a minute.
      if (Date.now() - this.lastErrorLog < 60_000) return;
      this.lastErrorLog = Date.now();
      this.logger.error({ err: error }, 'metrics rollup refresh failed');
    });
  }

  onApplicationBootstrap(): void {
    this.loop.start();
  }

  async onModuleDestroy(): Promise<void> {
    await this.loop.stop();
  }

  /**
   * Refreshes a round of dirty months and then one of the periods stale long enough, again while
   * either round was full (a backlog), stopping where another worker holds the lock; returns the
   * cells and periods refreshed. Taken in turns, so that months dirtied without end cannot hold
   * the periods back. Markers written during the last round wait for the next poll, paced by how
   * long that round took.
   */
  async refreshAll(): Promise<number> {
    let total = 0;
    this.pauseMs = this.intervalMs;
    while (!this.loop.isStopped) {
      const started = performance.now();
      const months = await this.round('months', (run) => refreshDirtyCells(run, CELLS_PER_ROUND));
      const periods = months && (await this.round('periods', (run) => refreshStalePeriods(run, PERIODS_PER_ROUND, this.periodDelayMs)));
      total += (months?.cells ?? 0) + (periods?.cells ?? 0);
      if (!months || !periods) return total;
      const backlog = (result: RefreshResult, limit: number) => result.cells === limit && result.remaining > 0;
      if (!backlog(months, CELLS_PER_ROUND) && !backlog(periods, PERIODS_PER_ROUND)) {
        this.pauseMs = pacedPauseMs(performance.now() - started, this.intervalMs);
        return total;
      }
    }
    return total;
  }

  /** One round under the refreshers' lock, logged when it refreshed something; undefined when another process holds the lock. */
  private async round(what: string, refresh: (run: SqlRunner) => Promise<RefreshResult>): Promise<RefreshResult | undefined> {
    const started = performance.now();
    const result = await this.locked(refresh);
    if (result?.cells) this.logger.log({ [what]: result.cells, remaining: result.remaining, ms: Math.round(performance.now() - started) }, 'metrics rollups refreshed');
    return result;
  }

  /** One round on a connection of its own, under the refreshers' lock; undefined when another process holds it. */
  private async locked(round: (run: SqlRunner) => Promise<RefreshResult>): Promise<RefreshResult | undefined> {
    const runner = this.dataSource.createQueryRunner();
    await runner.connect();
    try {
      const [{ locked }] = (await runner.query('SELECT pg_try_advisory_lock($1) AS locked', [ADVISORY_LOCK_KEY])) as { locked: boolean }[];
      if (!locked) return undefined;
      try {
        return await round((sql, params) => runner.query(sql, params));
      } finally {
        await runner.query('SELECT pg_advisory_unlock($1)', [ADVISORY_LOCK_KEY]);
      }
    } finally {
      await runner.release();
    }
  }
}
