import { ImpactQuery } from './impact-metrics.model';

/** The periods distinct people are rolled up by. */
export const PERIOD_KINDS = ['month', 'quarter', 'year'] as const;
export type PeriodKind = (typeof PERIOD_KINDS)[number];
/** How long each period kind lasts, as a PostgreSQL interval ("quarter" is no interval unit). */
export const PERIOD_SPANS: Record<PeriodKind, string> = { month: '1 month', quarter: '3 months', year: '1 year' };

/**
 * Which figures of a metrics question can come from the rollups (migration MetricsRollups). Each
 * rollup holds whole periods, so a question can use one only when its range is made of them.
 */
export interface RollupPlan {
  /**
   * Sessions, attendance and action points from the month rollups when the range is whole months:
   * metrics_session_months for questions about networks, metrics_country_months otherwise.
   */
  sessions: 'network' | 'country' | null;
  /**
   * Distinct people from metrics_people_periods of this kind: grouped by month, quarter or year
   * over whole such periods, or not grouped by period over exactly one month, quarter or year
   * (a learning summary's country figures); never for networks (people are rolled up per country).
   */
  people: PeriodKind | null;
  /** Indicator values from metrics_indicator_months (months, any range): not by network. */
  indicators: boolean;
  /**
   * Disputes, initiatives, money and early warnings from their country-month rollups
   * (metrics-activity-rollups.ts) when the range is whole months: not by network.
   */
  activity: boolean;
}

export const NO_ROLLUPS: RollupPlan = { sessions: null, people: null, indicators: false, activity: false };

const PERIOD_MONTHS: Record<PeriodKind, number> = { month: 1, quarter: 3, year: 12 };

/** `YYYY-MM-DD` is the first day of a month whose number (1–12) is 1 + a multiple of `months`. */
function startsPeriod(date: string, months: number): boolean {
  const month = Number(date.slice(5, 7));
  return date.endsWith('-01') && (month - 1) % months === 0;
}

/** `YYYY-MM-DD` is the last day of a month whose number is a multiple of `months`. */
function endsPeriod(date: string, months: number): boolean {
  const [y, m, d] = date.split('-').map(Number);
  const lastDay = new Date(Date.UTC(y, m, 0)).getUTCDate();
  return d === lastDay && m % months === 0;
}

const wholePeriods = (query: ImpactQuery, months: number) =>
  (!query.from || startsPeriod(query.from, months)) && (!query.to || endsPeriod(query.to, months));

/** The month, quarter or year that the range is exactly (from its first to its last day), if any. */
export function singlePeriod(query: ImpactQuery): PeriodKind | null {
  const { from, to } = query;
  if (!from || !to || from.slice(0, 4) !== to.slice(0, 4)) return null;
  const monthsSpanned = Number(to.slice(5, 7)) - Number(from.slice(5, 7)) + 1;
  return PERIOD_KINDS.find((kind) => monthsSpanned === PERIOD_MONTHS[kind] && wholePeriods(query, PERIOD_MONTHS[kind])) ?? null;
}

export function rollupPlan(query: ImpactQuery): RollupPlan {
  const byNetwork = Boolean(query.networkId) || query.groupBy === 'network';
  const g = query.groupBy;
  const periodic = g === 'month' || g === 'quarter' || g === 'year';
  return {
    sessions: wholePeriods(query, 1) ? (byNetwork ? 'network' : 'country') : null,
    people: byNetwork ? null : periodic ? (wholePeriods(query, PERIOD_MONTHS[g]) ? g : null) : singlePeriod(query),
    indicators: !byNetwork,
    activity: !byNetwork && wholePeriods(query, 1),
  };
}

/**
 * The rollups behind the cells of the people figures (CellGrain): attendance per network and
 * month from metrics_session_months, distinct people per country and whole period from
 * metrics_people_periods (never per network: people are rolled up per country).
 */
export function cellsRollupPlan(query: ImpactQuery, unit: 'country' | 'network', period: PeriodKind): RollupPlan {
  return {
    sessions: wholePeriods(query, 1) ? 'network' : null,
    people: unit === 'country' && wholePeriods(query, PERIOD_MONTHS[period]) ? period : null,
    indicators: false,
    activity: false,
  };
}

export const usesRollups = (plan: RollupPlan) => plan.sessions !== null || plan.people !== null || plan.indicators || plan.activity;
