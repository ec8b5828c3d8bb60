import { scopeCondition } from '../common/scope/scope';
import { GroupBy, ImpactQuery, MetricsScope } from './impact-metrics.model';
import { cellsRollupPlan, NO_ROLLUPS, PeriodKind, RollupPlan, rollupPlan } from './metrics-rollup-plan';

/** Where a source table keeps the facts the metrics filter and group on (SQL expressions on its alias). */
export interface MetricsSource {
  country: string;
  /** Absent for tables kept per country (rollups, dirty markers): a network filter does not apply to them. */
  network?: string;
  /** A SQL `date` expression: the day the record counts on (session held, dispute reported …). */
  date: string;
}

/**
 * Settings of every metrics transaction (SET LOCAL: they end with it). JIT off: the counts
 * statement's estimated cost is above jit_optimize_above_cost, and compiling its ~260 functions
 * took 1.7 s of a 2.9 s answer on the large bench dataset, paid again on every request (nothing is
 * cached between executions); the statement itself runs in a few hundred ms. work_mem: the
 * distinct participants of a group are hashed in memory instead of sorted on disk (64 MB per
 * hash, only inside these transactions).
 */
export const METRICS_TRANSACTION_SETTINGS: readonly string[] = ['SET LOCAL jit = off', `SET LOCAL work_mem = '64MB'`];

/** The three group-key columns every aggregate CTE produces ('' where the grouping does not use one). */
export const GROUP_KEYS = ['g_country', 'g_network', 'g_period'] as const;
export const GROUP_KEY_LIST = GROUP_KEYS.join(', ');

/**
 * The published cells of the people figures (docs/metrics.md, "Disclosure control"): counts per
 * country or per network and per calendar month, quarter or year, whatever the question groups by.
 */
export interface CellGrain {
  unit: 'country' | 'network';
  period: PeriodKind;
}

const PERIOD_FORMATS: Partial<Record<GroupBy, string>> = {
  month: 'YYYY-MM',
  quarter: 'YYYY-"Q"Q',
  year: 'YYYY',
};

/**
 * The pieces every metrics query shares: named parameters, the caller's scope and filters as a
 * SQL condition, and the group-key columns. Keys are never NULL ('' stands for "not grouped by
 * this") so that aggregates of different tables join on them with USING.
 */
export class MetricsSqlContext {
  readonly params: Record<string, unknown> = {};
  /** The figures this question reads from rollups (none when `useRollups` is false: the raw tables only). */
  readonly rollups: RollupPlan;
  /**
   * Whether months of the question may be marked dirty (then rollup-backed figures read those
   * months raw). True unless the caller has checked (dirtyStateSql) in the same snapshot.
   */
  dirtyMonths = true;
  /**
   * Whether quarters or years of the question may be marked stale (then their people are read
   * raw). True unless the caller has checked (dirtyStateSql) in the same snapshot.
   */
  stalePeriods = true;

  constructor(
    private readonly scope: MetricsScope,
    private readonly query: ImpactQuery,
    useRollups = true,
    /** Group by this grain instead of the question's groupBy: the rows are cells (people-cells.sql.ts). */
    private readonly grain?: CellGrain,
  ) {
    this.rollups = !useRollups ? NO_ROLLUPS : grain ? cellsRollupPlan(query, grain.unit, grain.period) : rollupPlan(query);
    if (query.countryCodes?.length) this.params.pCountries = [...query.countryCodes];
    if (query.networkId) this.params.pNetwork = query.networkId;
    if (query.from) this.params.pFrom = query.from;
    if (query.to) this.params.pTo = query.to;
    // Monthly values (indicators) count when their month overlaps the range.
    if (query.from) this.params.pFromMonth = query.from.slice(0, 7);
    if (query.to) this.params.pToMonth = query.to.slice(0, 7);
  }

  get groupBy(): GroupBy | undefined {
    return this.query.groupBy;
  }

  /** Scope, country and network filters; `dated` adds the from/to range on the source's date. */
  where(source: MetricsSource, dated = true): string {
    const clauses = [this.scopeSql(source.country)];
    if (this.params.pCountries) clauses.push(`${source.country} = ANY(:pCountries)`);
    if (this.params.pNetwork && source.network) clauses.push(`${source.network} = :pNetwork`);
    if (dated && this.params.pFrom) clauses.push(`${source.date} >= CAST(:pFrom AS date)`);
    if (dated && this.params.pTo) clauses.push(`${source.date} <= CAST(:pTo AS date)`);
    return clauses.join(' AND ');
  }

  /** The from/to range on a `YYYY-MM` month column. */
  monthRange(column: string): string {
    const clauses = ['TRUE'];
    if (this.params.pFromMonth) clauses.push(`${column} >= :pFromMonth`);
    if (this.params.pToMonth) clauses.push(`${column} <= :pToMonth`);
    return clauses.join(' AND ');
  }

  /** `… AS g_country, … AS g_network, … AS g_period` for a SELECT list. */
  keys(source: MetricsSource): string {
    const none = `CAST('' AS text)`;
    const groupBy = this.query.groupBy;
    const byCountry = this.grain ? true : groupBy === 'country' || groupBy === 'network';
    const byNetwork = this.grain ? this.grain.unit === 'network' : groupBy === 'network';
    const country = byCountry ? `CAST(${source.country} AS text)` : none;
    const network = byNetwork && source.network ? `coalesce(CAST(${source.network} AS text), '')` : none;
    const format = this.grain ? PERIOD_FORMATS[this.grain.period] : groupBy ? PERIOD_FORMATS[groupBy] : undefined;
    const period = format ? `to_char(${source.date}, '${format}')` : none;
    // Byte order ("C"): the keys are ASCII codes, uuids and periods, ordered the same either way,
    // and grouping, joining and sorting hundreds of thousands of them skips the locale's strcoll.
    return `${country} COLLATE "C" AS g_country, ${network} COLLATE "C" AS g_network, ${period} COLLATE "C" AS g_period`;
  }

  private scopeSql(countryColumn: string): string {
    if (this.scope === 'everything') return 'TRUE';
    const { sql, params } = scopeCondition(this.scope, { country: countryColumn });
    Object.assign(this.params, params);
    return sql;
  }
}
