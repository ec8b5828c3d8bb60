import { STAKEHOLDER_GROUPS } from '../../people/people-enums';
import { ImpactQuery, ImpactRow } from '../impact-metrics.model';
import { parsePeriod } from '../learning-summary-period';
import { PeriodKind, singlePeriod } from '../metrics-rollup-plan';
import { CellGrain } from '../metrics-sql-context';
import { perturbCell, TrueCell } from './cell-key-perturbation';
import type { CellRow } from './people-cells.sql';

/**
 * The people figures of GET /metrics/impact as published (docs/metrics.md, "Disclosure control").
 *
 * Every published count is a sum of perturbed elementary cells, and the elementary cells are
 * fixed whatever the question:
 * - attendances: named and unnamed attendances of one network in one calendar month;
 * - distinct people: women, and each stakeholder group, of one country (or, for questions about
 *   networks, one network) in one calendar month, quarter or year. `uniqueParticipants` adds up
 *   the groups (every participant has exactly one), the small ones as one cell (uniqueOfCell).
 *
 * A question can only ever add up cells it could also ask for one by one, so subtracting answers
 * (other countries, other months, groups from totals) leaves perturbed cells, never a true count:
 * there is no second, independently perturbed version of any cell to average or difference
 * against. A small cell's perturbed value does not depend on its true value at all.
 *
 * Questions that do not fall on cells get no people figures: ranges that cut a month, and distinct
 * people over anything but one calendar month, quarter or year (group by one of them).
 */

export const STAKEHOLDER_PATHS = STAKEHOLDER_GROUPS.map((g) => `stakeholderGroups.${g}`);

/** Every figure that counts people, in the order `suppressed[]` lists them. */
export const PEOPLE_COUNT_PATHS: readonly string[] = ['attendances', 'unnamedAttendances', 'uniqueParticipants', 'women', ...STAKEHOLDER_PATHS];

/** Runs one cells statement of the question in its snapshot (the service's transaction). */
export type CellsRunner = (grain: CellGrain, query: ImpactQuery, sql: 'attendance' | 'people') => Promise<CellRow[]>;

const num = (v: unknown): number => (v === null || v === undefined ? 0 : Number(v));
const cellOf = (row: CellRow, figure: string): TrueCell => ({ value: num(row[figure]), keySum: num(row[`${figure}_key`]) });

const lastDayOfMonth = (date: string) => new Date(Date.UTC(Number(date.slice(0, 4)), Number(date.slice(5, 7)), 0)).getUTCDate();
const startsMonth = (date?: string) => !date || date.endsWith('-01');
const endsMonth = (date?: string) => !date || Number(date.slice(8, 10)) === lastDayOfMonth(date);

/** `YYYY-MM` as its quarter (`YYYY-Qn`) or year label. */
function periodOfMonth(month: string, kind: PeriodKind): string {
  if (kind === 'month') return month;
  if (kind === 'year') return month.slice(0, 4);
  return `${month.slice(0, 4)}-Q${Math.floor((Number(month.slice(5, 7)) - 1) / 3) + 1}`;
}

/** The period `label` lies wholly within the question's range. */
function wholeInRange(label: string, query: ImpactQuery): boolean {
  const period = parsePeriod(label);
  return Boolean(period) && (!query.from || period!.from >= query.from) && (!query.to || period!.to <= query.to);
}

/** The question's range shrunk to the whole periods of `kind` inside it (empty when from > to). */
function wholePeriodsRange(query: ImpactQuery, kind: PeriodKind): ImpactQuery {
  const months = kind === 'month' ? 1 : kind === 'quarter' ? 3 : 12;
  const from = query.from ? firstStartOnOrAfter(query.from, months) : undefined;
  const to = query.to ? lastEndOnOrBefore(query.to, months) : undefined;
  return { ...query, from, to };
}

function firstStartOnOrAfter(date: string, months: number): string {
  const [y, m, d] = date.split('-').map(Number);
  let index = y * 12 + (m - 1) + (d > 1 ? 1 : 0);
  index = Math.ceil(index / months) * months;
  return new Date(Date.UTC(Math.floor(index / 12), index % 12, 1)).toISOString().slice(0, 10);
}

function lastEndOnOrBefore(date: string, months: number): string {
  const [y, m] = date.split('-').map(Number);
  let next = y * 12 + (m - 1) + (endsMonth(date) ? 1 : 0);
  next = Math.floor(next / months) * months;
  return new Date(Date.UTC(Math.floor(next / 12), next % 12, 0)).toISOString().slice(0, 10);
}

/** Which row a cell adds to: the value of the row's group key for that cell. */
function rowKeyOfCell(query: ImpactQuery, cell: CellRow, periodKind: PeriodKind): string {
  switch (query.groupBy) {
    case 'country':
      return cell.g_country;
    case 'network':
      return cell.g_network;
    case 'month':
    case 'quarter':
    case 'year':
      // Attendance cells are months; distinct-people cells are already periods of the grouping.
      return periodKind === 'month' ? periodOfMonth(cell.g_period, query.groupBy) : cell.g_period;
    default:
      return '';
  }
}

function rowKeyOfRow(query: ImpactQuery, row: ImpactRow): string {
  switch (query.groupBy) {
    case 'country':
      return row.countryCode ?? '';
    case 'network':
      return row.networkId ?? '\u0000no network';
    case 'month':
    case 'quarter':
    case 'year':
      return row.period ?? '';
    default:
      return '';
  }
}

function bucket(query: ImpactQuery, cells: CellRow[], periodKind: PeriodKind): Map<string, CellRow[]> {
  const buckets = new Map<string, CellRow[]>();
  for (const cell of cells) {
    const key = rowKeyOfCell(query, cell, periodKind);
    const list = buckets.get(key);
    if (list) list.push(cell);
    else buckets.set(key, [cell]);
  }
  return buckets;
}

interface PublishedPeople {
  attendances: number | null;
  unnamedAttendances: number | null;
  uniqueParticipants: number | null;
  women: number | null;
  groups: Record<string, number | null>;
}

/**
 * The distinct people of one cell, published so that the total less its groups gives nothing
 * away: the groups of threshold or more people as published, plus the people of all the small
 * groups together as one perturbed cell. Subtracting every other group from the total then leaves
 * that perturbed cell (a lone small group's own published value, independent of its size), never
 * a small count with only the large groups' noise on it.
 */
function uniqueOfCell(cell: CellRow, threshold: number): number {
  let published = 0;
  let small: TrueCell = { value: 0, keySum: 0 };
  for (const group of STAKEHOLDER_GROUPS) {
    const count = cellOf(cell, `sg_${group}`);
    if (count.value >= threshold) published += perturbCell(count, threshold);
    else small = { value: small.value + count.value, keySum: small.keySum + count.keySum };
  }
  return published + perturbCell(small, threshold);
}

/** The kind of period distinct people are published for in this question's rows, if any. */
function distinctPeriodKind(query: ImpactQuery): PeriodKind | null {
  const g = query.groupBy;
  if (g === 'month' || g === 'quarter' || g === 'year') return g;
  return singlePeriod(query);
}

/**
 * Fills the people figures of `rows` (the question's rows, in place) with their published values,
 * nulls counts from 1 to threshold − 1, and lists every null people figure in `suppressed`.
 */
export async function publishPeopleFigures(run: CellsRunner, query: ImpactQuery, rows: ImpactRow[], threshold: number): Promise<void> {
  const unit: CellGrain['unit'] = query.networkId || query.groupBy === 'network' ? 'network' : 'country';
  const wholeMonths = startsMonth(query.from) && endsMonth(query.to);
  const attendance = wholeMonths ? bucket(query, await run({ unit: 'network', period: 'month' }, query, 'attendance'), 'month') : null;

  const kind = distinctPeriodKind(query);
  let people: Map<string, CellRow[]> | null = null;
  if (kind) {
    const range = wholePeriodsRange(query, kind);
    const empty = range.from && range.to && range.from > range.to;
    people = bucket(query, empty ? [] : await run({ unit, period: kind }, range, 'people'), kind);
  }

  for (const row of rows) {
    const key = rowKeyOfRow(query, row);
    const published: PublishedPeople = { attendances: null, unnamedAttendances: null, uniqueParticipants: null, women: null, groups: {} };
    if (attendance) {
      let all = 0;
      let unnamed = 0;
      for (const cell of attendance.get(key) ?? []) {
        const u = perturbCell(cellOf(cell, 'unnamed_attendances'), threshold);
        all += u + perturbCell(cellOf(cell, 'named_attendances'), threshold);
        unnamed += u;
      }
      published.attendances = all;
      published.unnamedAttendances = unnamed;
    }
    const periodic = query.groupBy === 'month' || query.groupBy === 'quarter' || query.groupBy === 'year';
    if (people && (!periodic || wholeInRange(row.period ?? '', query))) {
      const cells = people.get(key) ?? [];
      published.women = cells.reduce((sum, cell) => sum + perturbCell(cellOf(cell, 'women'), threshold), 0);
      published.uniqueParticipants = cells.reduce((sum, cell) => sum + uniqueOfCell(cell, threshold), 0);
      for (const group of STAKEHOLDER_GROUPS) {
        published.groups[group] = cells.reduce((sum, cell) => sum + perturbCell(cellOf(cell, `sg_${group}`), threshold), 0);
      }
    }
    applyPublished(row, published, threshold);
  }
}

/** Writes the published figures into the row; a figure that is absent or from 1 to threshold − 1 becomes null. */
function applyPublished(row: ImpactRow, published: PublishedPeople, threshold: number): void {
  const shown = (value: number | null): number | null => (value === null || (value >= 1 && value < threshold) ? null : value);
  row.attendances = shown(published.attendances);
  row.unnamedAttendances = shown(published.unnamedAttendances);
  row.uniqueParticipants = shown(published.uniqueParticipants);
  row.women = shown(published.women);
  for (const group of STAKEHOLDER_GROUPS) row.stakeholderGroups[group] = shown(published.groups[group] ?? null);
  finishRow(row);
}

/** womenShare from the published counts, and `suppressed` naming every null people figure. */
export function finishRow(row: ImpactRow): void {
  const { women, uniqueParticipants } = row;
  row.womenShare = women !== null && uniqueParticipants ? Math.round((women / uniqueParticipants) * 10_000) / 10_000 : null;
  const suppressed = PEOPLE_COUNT_PATHS.filter((path) => readPath(row, path) === null);
  if (row.womenShare === null && (women === null || uniqueParticipants === null)) suppressed.push('womenShare');
  row.suppressed = suppressed;
}

function readPath(row: ImpactRow, path: string): number | null {
  const [head, tail] = path.split('.');
  return tail ? row.stakeholderGroups[tail as keyof ImpactRow['stakeholderGroups']] : (row[head as keyof ImpactRow] as number | null);
}

/**
 * Exact figures with the threshold alone (METRICS_DISCLOSURE_CONTROL=off, for tests of the
 * counting itself): counts from 1 to threshold − 1 become null.
 */
export function suppressExactSmallCounts(rows: ImpactRow[], threshold: number): ImpactRow[] {
  for (const row of rows) {
    const hide = (value: number | null) => (value !== null && value >= 1 && value < threshold ? null : value);
    row.attendances = hide(row.attendances);
    row.unnamedAttendances = hide(row.unnamedAttendances);
    row.uniqueParticipants = hide(row.uniqueParticipants);
    row.women = hide(row.women);
    for (const group of STAKEHOLDER_GROUPS) row.stakeholderGroups[group] = hide(row.stakeholderGroups[group]);
    finishRow(row);
  }
  return rows;
}
