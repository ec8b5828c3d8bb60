import { Indicator } from './early-warning-enums';

/** Largest value numeric(12,2) holds. */
export const MAX_INDICATOR_VALUE = 9_999_999_999.99;

/**
 * What a value may be for each indicator: counts are whole and non-negative, a response time is
 * non-negative minutes (decimals allowed), trust is a score 0–100. Also a CHECK in SQL.
 * Returns the problem, or null when the value fits.
 */
export function indicatorValueProblem(indicator: Indicator, value: number): string | null {
  if (!Number.isFinite(value) || value < 0 || value > MAX_INDICATOR_VALUE) return `must be a number from 0 to ${MAX_INDICATOR_VALUE}`;
  if (Math.abs(value * 100 - Math.round(value * 100)) > 1e-6) return 'may have at most 2 decimal places';
  switch (indicator) {
    case 'reported_crimes':
    case 'violent_incidents':
      return Number.isInteger(value) ? null : `must be a whole number for ${indicator} (a count)`;
    case 'police_response_time_minutes':
      return null;
    case 'trust_score':
      return value <= 100 ? null : 'must be from 0 to 100 for trust_score';
  }
}
