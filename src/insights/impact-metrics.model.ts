import { Principal } from '../auth/principal';
import { DisputeStatus } from '../disputes/dispute-enums';
import { Indicator } from '../early-warning/early-warning-enums';
import { ActionPointStatus } from '../field-work/field-work-enums';
import { InitiativeStatus } from '../initiatives/initiative-enums';
import { StakeholderGroup } from '../people/people-enums';

export const GROUP_BYS = ['country', 'network', 'month', 'quarter', 'year'] as const;
export type GroupBy = (typeof GROUP_BYS)[number];

/**
 * Whose data the figures may cover: a caller (scoped by the one scope helper) or, for jobs in the
 * worker that have no caller, everything.
 */
export type MetricsScope = Principal | 'everything';

/** A validated metrics question: every field is optional; no groupBy gives one row for the whole filter. */
export interface ImpactQuery {
  /** ISO alpha-2 codes; empty or absent means every country in scope. */
  countryCodes?: readonly string[];
  networkId?: string;
  /** Inclusive `YYYY-MM-DD` bounds. */
  from?: string;
  to?: string;
  groupBy?: GroupBy;
}

export interface Money {
  amount: string;
  currency: string;
}

/** Baseline and latest level of one community indicator over the row's months (docs/metrics.md, "Impact metrics"). */
export interface IndicatorChange {
  /** Months with at least one value in the row's range. */
  months: number;
  baseline: number | null;
  latest: number | null;
  /** (latest − baseline) / baseline × 100, one decimal; null without a latest value or with a zero baseline. */
  percentChange: number | null;
}

export type CountsBy<K extends string> = { total: number } & Record<K, number>;

/** One row of GET /metrics/impact. Counts of people are null when suppressed (and named in `suppressed`). */
export interface ImpactRow {
  countryCode?: string | null;
  networkId?: string | null;
  networkName?: string | null;
  period?: string;
  sessions: number;
  sessionsWithStatePartners: number;
  attendances: number | null;
  unnamedAttendances: number | null;
  uniqueParticipants: number | null;
  women: number | null;
  womenShare: number | null;
  stakeholderGroups: Record<StakeholderGroup, number | null>;
  disputes: CountsBy<DisputeStatus>;
  disputeResolutionRate: number | null;
  medianDaysToResolution: number | null;
  actionPoints: CountsBy<ActionPointStatus>;
  initiatives: CountsBy<InitiativeStatus>;
  budgetCommitted: Money[];
  disbursed: Money[];
  earlyWarnings: { total: number } & Record<string, number>;
  indicatorChange: Record<Indicator, IndicatorChange>;
  suppressed: string[];
}

export interface ImpactResult {
  groupBy: GroupBy | null;
  from: string | null;
  to: string | null;
  countryCodes: string[];
  networkId: string | null;
  smallCellThreshold: number;
  data: ImpactRow[];
}
