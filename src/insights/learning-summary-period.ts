/**
 * The periods a learning summary covers: a calendar year ("2016"), quarter ("2016-Q3") or month
 * ("2016-07"), always as half-open date ranges [from, toExclusive) so that the SQL compares
 * `held_on >= from AND held_on < toExclusive` and a day is never counted in two periods.
 */
export interface SummaryPeriod {
  /** The period as clients write it, e.g. `2016-Q3`. */
  label: string;
  kind: 'year' | 'quarter' | 'month';
  /** First day, `YYYY-MM-DD`. */
  from: string;
  /** First day after the period, `YYYY-MM-DD`. */
  toExclusive: string;
  /** Last day, `YYYY-MM-DD` (for display). */
  to: string;
}

export const PERIOD_PATTERN = /^(\d{4})(?:-Q([1-4])|-(0[1-9]|1[0-2]))?$/;
/** Data in this system starts with the programme (2007); earlier or far-future periods are typos. */
export const MIN_YEAR = 2000;
export const MAX_YEAR = 2100;

const iso = (year: number, monthIndex: number) => new Date(Date.UTC(year, monthIndex, 1)).toISOString().slice(0, 10);
const dayBefore = (date: string) => new Date(Date.parse(`${date}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10);

/** The period, or null when `value` is not exactly one of the three forms (or out of range). */
export function parsePeriod(value: unknown): SummaryPeriod | null {
  if (typeof value !== 'string') return null;
  const match = PERIOD_PATTERN.exec(value);
  if (!match) return null;
  const year = Number(match[1]);
  if (year < MIN_YEAR || year > MAX_YEAR) return null;
  let kind: SummaryPeriod['kind'] = 'year';
  let first = 0;
  let months = 12;
  if (match[2]) {
    kind = 'quarter';
    first = (Number(match[2]) - 1) * 3;
    months = 3;
  } else if (match[3]) {
    kind = 'month';
    first = Number(match[3]) - 1;
    months = 1;
  }
  const from = iso(year, first);
  const toExclusive = iso(year, first + months);
  return { label: value, kind, from, toExclusive, to: dayBefore(toExclusive) };
}

/** The calendar month before the one `now` falls in (UTC), e.g. `2026-01` on 2026-02-01. */
export function previousMonth(now: Date): string {
  const d = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 1, 1));
  return `${d.getUTCFullYear()}-${String(d.getUTCMonth() + 1).padStart(2, '0')}`;
}
