import { Inject, Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { badRequest, notFound, ProblemException } from '../common/problem/problem';
import { scopeCondition } from '../common/scope/scope';
import { APP_CONFIG } from '../config/config.module';
import type { AppConfig } from '../config/app-config';
import { ImpactQuery, ImpactResult, ImpactRow, MetricsScope } from './impact-metrics.model';
import { CountsRow, toImpactRow } from './impact-metrics-rows';
import { CellsRunner, publishPeopleFigures, suppressExactSmallCounts } from './disclosure/published-people-figures';
import { attendanceCellsSql, CellRow, peopleCellsSql } from './disclosure/people-cells.sql';
import { dirtyStateSql } from './impact-metrics-sessions.sql';
import { impactCountsSql } from './impact-metrics.sql';
import { usesRollups } from './metrics-rollup-plan';
import { computeIndicatorChanges, emptyIndicatorChanges, groupKeyOf } from './indicator-change.sql';
import { METRICS_TRANSACTION_SETTINGS, MetricsSqlContext } from './metrics-sql-context';

/**
 * Impact metrics (api.md "Headquarters"). `compute` needs no HTTP request: the worker (learning
 * summaries) calls it with scope 'everything'; the controller with the caller's principal.
 */
@Injectable()
export class ImpactMetricsService {
  constructor(
    private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /**
   * All figures for one question, suppressed for small cells. Filters outside the scope (or
   * unknown) are 404 like a missing record; from after to is 400. Both queries read one snapshot
   * (REPEATABLE READ), so the indicator figures and the counts describe the same moment.
   * `rollups: false` reads the raw tables only (the tests compare both ways).
   */
  async compute(scope: MetricsScope, query: ImpactQuery, options: { rollups?: boolean } = {}): Promise<ImpactResult> {
    const useRollups = options.rollups ?? true;
    if (query.from && query.to && query.from > query.to) {
      throw badRequest('from must not be after to.', [{ field: 'to', message: 'must be on or after from' }]);
    }
    const countryCodes = [...new Set(query.countryCodes ?? [])].sort();
    const normalised: ImpactQuery = { ...query, countryCodes };
    const data = await this.dataSource.transaction('REPEATABLE READ', async (manager) => {
      for (const setting of METRICS_TRANSACTION_SETTINGS) await manager.query(setting);
      // An API caller gets an answer before the socket times out: a problem instead of a dropped connection.
      if (scope !== 'everything') await manager.query(`SET LOCAL statement_timeout = ${Math.trunc(this.config.metricsTimeoutMs)}`);
      await this.requireVisibleFilters(manager, scope, normalised);
      const ctx = new MetricsSqlContext(scope, normalised, useRollups);
      if (usesRollups(ctx.rollups)) await this.readDirtyState(manager, ctx);
      const disclosure = this.config.metricsDisclosureControl;
      const [sql, params] = manager.connection.driver.escapeQueryWithParameters(impactCountsSql(ctx, !disclosure), ctx.params);
      const raw = (await manager.query(sql, params)) as CountsRow[];
      const changes = await computeIndicatorChanges(manager, scope, normalised, { rollups: useRollups, dirtyMonths: ctx.dirtyMonths });
      const rows = raw.map((r) => {
        const row = toImpactRow(query.groupBy, r);
        row.indicatorChange = changes.get(groupKeyOf(r)) ?? emptyIndicatorChanges();
        return row;
      });
      const threshold = this.config.smallCellThreshold;
      if (!disclosure) return suppressExactSmallCounts(rows, threshold);
      await publishPeopleFigures(this.cellsRunner(manager, scope, useRollups, ctx), normalised, rows, threshold);
      return rows;
    }).catch((error: unknown) => {
      if (!isStatementTimeout(error)) throw error;
      throw new ProblemException(503, `This question takes longer than ${Math.round(this.config.metricsTimeoutMs / 100) / 10} s to compute; narrow it (a shorter range, fewer countries, one network) or ask for a learning summary of the period.`, { slug: 'metrics-timeout' });
    });
    return {
      groupBy: query.groupBy ?? null,
      from: query.from ?? null,
      to: query.to ?? null,
      countryCodes,
      networkId: query.networkId ?? null,
      smallCellThreshold: this.config.smallCellThreshold,
      data,
    };
  }

  /** Reads the cells behind the people figures in the question's transaction, from the rollups where they serve. */
  private cellsRunner(manager: EntityManager, scope: MetricsScope, useRollups: boolean, question: MetricsSqlContext): CellsRunner {
    return async (grain, query, kind) => {
      const ctx = new MetricsSqlContext(scope, query, useRollups, grain);
      // The cells' range lies within the question's: its dirty months, once asked in this snapshot,
      // answer for them too. Only quarters or years read from the rollup need their own look.
      const periods = ctx.rollups.people === 'quarter' || ctx.rollups.people === 'year';
      if (usesRollups(question.rollups) && !periods) ctx.dirtyMonths = question.dirtyMonths;
      else if (usesRollups(ctx.rollups)) await this.readDirtyState(manager, ctx);
      const statement = kind === 'attendance' ? attendanceCellsSql(ctx) : peopleCellsSql(ctx);
      const [sql, params] = manager.connection.driver.escapeQueryWithParameters(statement, ctx.params);
      return (await manager.query(sql, params)) as CellRow[];
    };
  }

  /** Whether the question's months are dirty or its periods stale, in its snapshot: the statements read only what they must raw. */
  private async readDirtyState(manager: EntityManager, ctx: MetricsSqlContext): Promise<void> {
    const [sql, params] = manager.connection.driver.escapeQueryWithParameters(dirtyStateSql(ctx), ctx.params);
    const [row] = (await manager.query(sql, params)) as { dirty: boolean; stale: boolean }[];
    ctx.dirtyMonths = row.dirty;
    ctx.stalePeriods = row.stale;
  }

  /** A row of zeros with every figure: the shape of every row (the CSV header is derived from it). */
  template(): ImpactRow {
    return toImpactRow(undefined, { g_country: '', g_network: '', g_period: '', network_name: null });
  }

  /** A country or network the caller cannot see is answered like one that does not exist. */
  private async requireVisibleFilters(manager: EntityManager, scope: MetricsScope, query: ImpactQuery): Promise<void> {
    const condition = (column: string) => (scope === 'everything' ? { sql: 'TRUE', params: {} } : scopeCondition(scope, { country: column }));
    const codes = query.countryCodes ?? [];
    if (codes.length) {
      const { sql, params } = condition('c.code');
      const found = await manager.createQueryBuilder().select('c.code', 'code').from('countries', 'c').where('c.code IN (:...codes)', { codes }).andWhere(sql, params).getRawMany();
      if (found.length !== codes.length) throw notFound('country');
    }
    if (query.networkId) {
      const { sql, params } = condition('n.country_code');
      const found = await manager.createQueryBuilder().select('n.id', 'id').from('networks', 'n').where('n.id = :id', { id: query.networkId }).andWhere(sql, params).getRawOne();
      if (!found) throw notFound('network');
    }
  }
}

/** PostgreSQL cancelled the statement: statement_timeout (SQLSTATE 57014, query_canceled). */
function isStatementTimeout(error: unknown): boolean {
  const driverError = (error as { driverError?: { code?: unknown } } | null)?.driverError;
  return driverError?.code === '57014';
}
