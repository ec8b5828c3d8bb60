import { INDICATORS } from '../early-warning/early-warning-enums';
import type { ImpactMetricsService } from './impact-metrics.service';
import type { ImpactRow, IndicatorChange } from './impact-metrics.model';
import type { SummaryPeriod } from './learning-summary-period';

/**
 * The impact-metric part of the summaries ("the figures above side by side" and "the strongest
 * indicator changes" in api.md). The figures are never computed a second way: they are what
 * ImpactMetricsService answers, suppression included.
 */
export interface SummaryFigures {
  /** The threshold the figures were suppressed with (counts of people from 1 to this − 1 are null). */
  smallCellThreshold: number;
  /** This country's row of GET /metrics/impact?countryCode=<the run's countries>&from=&to=&groupBy=country. */
  impact: ImpactRow;
}

export interface StrongIndicatorChange extends IndicatorChange {
  countryCode: string;
  indicator: string;
}

export interface CrossCountryFigures {
  /** Indicator changes of the period with a percent change, largest in size first (at most STRONGEST_LIMIT). */
  strongestIndicatorChanges: StrongIndicatorChange[];
}

export const STRONGEST_LIMIT = 10;

/**
 * The figures of every country of a run, in one metrics question grouped by country: the people
 * figures are the same published cells as GET /metrics/impact?groupBy=country gives for the
 * period, so a summary and a metrics question can never be differenced against each other. A
 * country without any record in the period gets a row of zeros (zeros are never suppressed).
 */
export async function computeSummaryFigures(metrics: ImpactMetricsService, countryCodes: readonly string[], period: SummaryPeriod): Promise<Map<string, SummaryFigures>> {
  const result = await metrics.compute('everything', { countryCodes, from: period.from, to: period.to, groupBy: 'country' });
  const rows = new Map(result.data.map((row) => [row.countryCode, row]));
  return new Map(
    countryCodes.map((code) => [code, { smallCellThreshold: result.smallCellThreshold, impact: rows.get(code) ?? { countryCode: code, ...metrics.template() } }]),
  );
}

/**
 * The strongest indicator changes across the stored summaries of a period: every (country,
 * indicator) with a percent change, ordered by its size (a fall of 75% before a rise of 20%),
 * then by country and indicator so that ties are stable.
 */
export function strongestIndicatorChanges(stored: readonly { countryCode: string; figures: SummaryFigures | null }[], limit = STRONGEST_LIMIT): StrongIndicatorChange[] {
  const changes: StrongIndicatorChange[] = [];
  for (const { countryCode, figures } of stored) {
    for (const indicator of INDICATORS) {
      const change = figures?.impact.indicatorChange?.[indicator];
      if (change && change.percentChange !== null) changes.push({ countryCode, indicator, ...change });
    }
  }
  return changes
    .sort((a, b) => Math.abs(b.percentChange!) - Math.abs(a.percentChange!) || a.countryCode.localeCompare(b.countryCode) || a.indicator.localeCompare(b.indicator))
    .slice(0, limit);
}
