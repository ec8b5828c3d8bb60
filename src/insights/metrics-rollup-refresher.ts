import { Inject, Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';
import { PollingLoop } from '../common/jobs/polling-loop';
import { refreshDirtyCells, RefreshResult, SqlRunner } from './metrics-rollup-refresh';

/** Cells (country × month) per transaction: a round stays short even with a large backlog. */
const CELLS_PER_ROUND = 100;
/** One refresher at a time across worker processes (two would recompute the same cells). */
const ADVISORY_LOCK_KEY = 6_201_796;

/**
 * Runs in the worker: keeps the metrics rollups (migration MetricsRollups) up to date by
 * recomputing the months writes marked dirty. Polls the database, not Redis: the figures stay
 * correct without it (dirty months are read raw), and so does this loop during a Redis outage.
 * A crash mid-round rolls the round back; the markers stay and the next round redoes it.
 */
@Injectable()
export class MetricsRollupRefresher implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('MetricsRollups');
  private readonly loop: PollingLoop;
  private lastErrorLog = 0;

  constructor(
    private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
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

  /** Refreshes rounds until no dirty month is left (or another worker holds the lock); returns the cells refreshed. */
  async refreshAll(): Promise<number> {
    let total = 0;
    while (!this.loop.isStopped) {
      const started = performance.now();
      const result = await this.refreshRound();
      if (!result) return total;
      total += result.cells;
      if (result.cells) this.logger.log({ cells: result.cells, remaining: result.remaining, ms: Math.round(performance.now() - started) }, 'metrics rollups refreshed');
      if (!result.remaining || !result.cells) return total;
    }
    return total;
  }

  /** One round on a connection of its own; undefined when another process is refreshing. */
  private async refreshRound(): Promise<RefreshResult | undefined> {
    const runner = this.dataSource.createQueryRunner();
    await runner.connect();
    try {
      const [{ locked }] = (await runner.query('SELECT pg_try_advisory_lock($1) AS locked', [ADVISORY_LOCK_KEY])) as { locked: boolean }[];
      if (!locked) return undefined;
      try {
        const run: SqlRunner = (sql, params) => runner.query(sql, params);
        return await refreshDirtyCells(run, CELLS_PER_ROUND);
      } finally {
        await runner.query('SELECT pg_advisory_unlock($1)', [ADVISORY_LOCK_KEY]);
      }
    } finally {
      await runner.release();
    }
  }
}
