import type { EntityManager } from 'typeorm';
import type { SummaryPeriod } from './learning-summary-period';

/**
 * The impact-metric part of a summary ("the figures above side by side" and "the strongest
 * indicator changes" in api.md). They belong to the impact metrics (ImpactMetricsModule, built
 * separately): these two functions are the one place to call its service from. Until then they
 * return null and a summary states no figures at all, rather than figures computed a second way.
 */
export interface SummaryFigures {
  /** The impact-metrics row of this country and period, as GET /metrics/impact?countryCode=&from=&to= gives it. */
  impact: Record<string, unknown>;
}

export interface IndicatorChange {
  countryCode: string;
  indicator: string;
  baseline: number | null;
  latest: number | null;
  percentChange: number | null;
}

export interface CrossCountryFigures {
  /** The largest indicator changes across the countries, strongest first. */
  strongestIndicatorChanges: IndicatorChange[];
}

export async function computeSummaryFigures(_manager: EntityManager, _countryCode: string, _period: SummaryPeriod): Promise<SummaryFigures | null> {
  return null;
}

export async function computeCrossCountryFigures(_manager: EntityManager, _countryCodes: readonly string[], _period: SummaryPeriod): Promise<CrossCountryFigures | null> {
  return null;
}
