import { STAKEHOLDER_GROUPS } from '../people/people-enums';
import { ImpactRow } from './impact-metrics.model';

/**
 * Small-cell suppression of GET /metrics/impact (README, "Impact metrics"). A figure that counts
 * people and is between 1 and threshold − 1 is primary-suppressed. Then complementary cells are
 * suppressed until no suppressed cell can be worked out by subtraction, across three kinds of
 * linear relation:
 *
 * - exhaustive: the parts add up to the total (stakeholder groups → uniqueParticipants). A
 *   relation with exactly one hidden cell gives it away, so a second one is hidden: the smallest
 *   non-zero visible part (the total only when no such part is left).
 * - with a remainder that is never published (women + everyone else = uniqueParticipants; unnamed
 *   + named = attendances). The remainder is an unknown of its own, so one hidden cell is safe;
 *   with none hidden, a remainder of 1 … threshold − 1 would be revealed, so the smallest non-zero
 *   part is hidden.
 * - across rows: the rows of one answer add up to the figure the same question answers without
 *   groupBy, so a figure hidden in exactly one row is hidden in the row where it is smallest and
 *   non-zero too (applied to distinct counts as well: being cautious costs little there).
 *
 * Shares derived from a hidden count are hidden. Zero is never suppressed (it identifies nobody).
 */

interface Relation {
  total: string;
  parts: string[];
  /** The parts add up to the total exactly; otherwise an unpublished remainder completes them. */
  exhaustive: boolean;
}

const STAKEHOLDER_PATHS = STAKEHOLDER_GROUPS.map((g) => `stakeholderGroups.${g}`);

/** Every figure that counts people, in the order `suppressed[]` lists them. */
export const PEOPLE_COUNT_PATHS: readonly string[] = ['attendances', 'unnamedAttendances', 'uniqueParticipants', 'women', ...STAKEHOLDER_PATHS];

const RELATIONS: readonly Relation[] = [
  { total: 'uniqueParticipants', parts: STAKEHOLDER_PATHS, exhaustive: true },
  { total: 'uniqueParticipants', parts: ['women'], exhaustive: false },
  { total: 'attendances', parts: ['unnamedAttendances'], exhaustive: false },
];

/** Derived figure → the counts it is computed from. */
const DERIVED: Readonly<Record<string, readonly string[]>> = { womenShare: ['women', 'uniqueParticipants'] };

type Cells = Map<string, number>;

function read(row: ImpactRow, path: string): number {
  const [head, tail] = path.split('.');
  const value = tail ? (row[head as keyof ImpactRow] as Record<string, number | null>)[tail] : row[head as keyof ImpactRow];
  return typeof value === 'number' ? value : 0;
}

function blank(row: ImpactRow, path: string): void {
  const [head, tail] = path.split('.');
  if (tail) (row[head as keyof ImpactRow] as Record<string, number | null>)[tail] = null;
  else (row as unknown as Record<string, unknown>)[head] = null;
}

/** The smallest non-zero cell among `paths` that is not hidden yet, if any. */
function smallestVisible(cells: Cells, hidden: Set<string>, paths: readonly string[]): string | undefined {
  let best: string | undefined;
  for (const path of paths) {
    const value = cells.get(path) ?? 0;
    if (hidden.has(path) || value === 0) continue;
    if (best === undefined || value < (cells.get(best) ?? 0)) best = path;
  }
  return best;
}

/** One pass of the in-row relations; true when it hid something. */
function complementRow(cells: Cells, hidden: Set<string>, threshold: number): boolean {
  let changed = false;
  for (const relation of RELATIONS) {
    const members = [relation.total, ...relation.parts];
    const hiddenCount = members.filter((p) => hidden.has(p)).length;
    let exposed: boolean;
    if (relation.exhaustive) {
      exposed = hiddenCount === 1;
    } else {
      const remainder = (cells.get(relation.total) ?? 0) - relation.parts.reduce((sum, p) => sum + (cells.get(p) ?? 0), 0);
      exposed = hiddenCount === 0 && remainder >= 1 && remainder < threshold;
    }
    if (!exposed) continue;
    const next = smallestVisible(cells, hidden, relation.parts) ?? (hidden.has(relation.total) ? undefined : relation.total);
    if (next) {
      hidden.add(next);
      changed = true;
    }
  }
  return changed;
}

/** One pass across rows; true when it hid something. */
function complementColumns(rows: Cells[], hidden: Set<string>[]): boolean {
  if (rows.length < 2) return false;
  let changed = false;
  for (const path of PEOPLE_COUNT_PATHS) {
    const hiddenIn = hidden.filter((h) => h.has(path)).length;
    if (hiddenIn !== 1) continue;
    let best = -1;
    rows.forEach((cells, i) => {
      const value = cells.get(path) ?? 0;
      if (hidden[i].has(path) || value === 0) return;
      if (best < 0 || value < (rows[best].get(path) ?? 0)) best = i;
    });
    if (best >= 0) {
      hidden[best].add(path);
      changed = true;
    }
  }
  return changed;
}

/**
 * Applies primary and complementary suppression to the rows of one answer, in place: hidden
 * figures become null and are named in each row's `suppressed`.
 */
export function suppressSmallCells(rows: ImpactRow[], threshold: number): ImpactRow[] {
  const cells: Cells[] = rows.map((row) => new Map(PEOPLE_COUNT_PATHS.map((p) => [p, read(row, p)])));
  const hidden: Set<string>[] = cells.map((c) => new Set(PEOPLE_COUNT_PATHS.filter((p) => (c.get(p) ?? 0) >= 1 && (c.get(p) ?? 0) < threshold)));
  // Monotone (cells are only ever added) over a finite set, so this ends.
  for (let changed = true; changed; ) {
    changed = false;
    cells.forEach((c, i) => {
      while (complementRow(c, hidden[i], threshold)) changed = true;
    });
    if (complementColumns(cells, hidden)) changed = true;
  }
  rows.forEach((row, i) => {
    const names = PEOPLE_COUNT_PATHS.filter((p) => hidden[i].has(p));
    for (const [derived, sources] of Object.entries(DERIVED)) {
      if (sources.some((s) => hidden[i].has(s))) names.push(derived);
    }
    for (const name of names) blank(row, name);
    row.suppressed = names;
  });
  return rows;
}
