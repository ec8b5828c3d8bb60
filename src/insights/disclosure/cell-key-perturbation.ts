import { createHash } from 'node:crypto';

/**
 * Cell-key perturbation of one count of people (docs/metrics.md, "Disclosure control"), after the
 * ABS TableBuilder and the ONS census method: every counted record carries a fixed random key
 * 0–255, a cell's key is the sum of its records' keys modulo 256, and the published value is a
 * fixed function of the true value and the cell key. The same people give the same cell key, so
 * asking again, or through another question that covers the same people, gives the same value.
 *
 * - 0 is published as 0: an empty cell identifies nobody.
 * - A true value from 1 to threshold − 1 is replaced by the middle of 1 … threshold − 1 (2 with
 *   the default 5) or one either side of it (1 or 3, a quarter of the cell keys each), chosen by
 *   the cell key alone, whatever the true value: the published value of a small cell, however an
 *   attacker isolates it, says nothing about which small value it was. Small counts are mostly 1s
 *   and 2s, so sums that include many small cells stay close to the truth.
 * - A larger value moves by at most ±2, and never by more than a tenth of itself (±5 at most):
 *   cells of 20 people or more stay within 10% of the truth.
 */
export const CELL_KEY_MODULUS = 256;

/** The most a count of `value` (≥ threshold) may move either way. */
export function maxNoise(value: number): number {
  return value < 30 ? 2 : Math.min(5, Math.floor(value / 10));
}

/** A uniform draw from 0 … n − 1, fixed by the inputs (the same inputs always give the same draw). */
function draw(n: number, ...inputs: (string | number)[]): number {
  const digest = createHash('sha256').update(inputs.join(':')).digest();
  return digest.readUInt32BE(0) % n;
}

/** What a cell of 1 … threshold − 1 is published as: a function of its key alone (see above). */
function smallCellValue(threshold: number, key: number): number {
  const middle = Math.max(1, Math.floor(threshold / 2));
  const step = [-1, 0, 0, 1][draw(4, 'small', threshold, key)];
  return Math.min(threshold - 1, Math.max(1, middle + step));
}

/** The published value of a count of people with true value `value` and cell key `cellKey`. */
export function perturbCount(value: number, cellKey: number, threshold: number): number {
  if (value <= 0) return 0;
  const key = ((cellKey % CELL_KEY_MODULUS) + CELL_KEY_MODULUS) % CELL_KEY_MODULUS;
  if (value < threshold) return smallCellValue(threshold, key);
  const spread = maxNoise(value);
  return Math.max(0, value + draw(2 * spread + 1, 'noise', value, key) - spread);
}

/** A true count and the sum of its records' keys (any integer; reduced modulo 256 when used). */
export interface TrueCell {
  value: number;
  keySum: number;
}

export const EMPTY_CELL: TrueCell = { value: 0, keySum: 0 };

export const addCells = (a: TrueCell, b: TrueCell): TrueCell => ({ value: a.value + b.value, keySum: a.keySum + b.keySum });

export const perturbCell = (cell: TrueCell, threshold: number): number => perturbCount(cell.value, cell.keySum % CELL_KEY_MODULUS, threshold);
