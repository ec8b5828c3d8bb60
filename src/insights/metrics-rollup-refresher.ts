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

  constructor(
    private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.periodDelayMs = config.metricsPeriodRefreshDelayMs;
    this.loop = new PollingLoop(() => this.refreshAll(), config.metricsRollupIntervalMs, (error) => {
      // While PostgreSQL is down every poll fails: say so once a minute.
      if (Date.now() - this.lastErrorLog < 60_000) return;
      this.lastErrorLog = Date.now();
      this.logger.error(`metrics rollup refresh failed: ${error instanceof Error ? error.message : error}`);
    });
  }

  onApplicationBootstrap(): void {
    this.loop.start();
  }

  async onModuleDestroy(): Promise<void> {
    await this.loop.stop();
  }

  /**
   * Refreshes rounds of dirty months until none is left, then rounds of the periods stale long
   * enough (stopping where another worker holds the lock); returns the cells and periods refreshed.
   */
  async refreshAll(): Promise<number> {
    const months = await this.refreshRounds('months', (run) => refreshDirtyCells(run, CELLS_PER_ROUND));
    return months + (await this.refreshRounds('periods', (run) => refreshStalePeriods(run, PERIODS_PER_ROUND, this.periodDelayMs)));
  }

  /** Rounds of one kind until one finds nothing left or another process holds the lock; returns what they refreshed. */
  private async refreshRounds(what: string, round: (run: SqlRunner) => Promise<RefreshResult>): Promise<number> {
    let total = 0;
    while (!this.loop.isStopped) {
      const started = performance.now();
      const result = await this.locked(round);
      if (!result) return total;
      total += result.cells;
      if (result.cells) this.logger.log({ [what]: result.cells, remaining: result.remaining, ms: Math.round(performance.now() - started) }, 'metrics rollups refreshed');
      if (!result.remaining || !result.cells) return total;
    }
    return total;
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
