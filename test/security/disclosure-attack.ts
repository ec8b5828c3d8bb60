import { perturbCount } from '../../src/insights/disclosure/cell-key-perturbation';

/**
 * The attacker's side of the differencing suite (disclosure-differencing.e2e-spec.ts): ways to
 * turn a set of estimates of one hidden count into a best guess, and the mechanism-aware check
 * of whether the estimates pin the count down with certainty. The attacker knows everything but
 * the record keys: the method, the threshold, and which questions isolate which cell.
 */

export const clampGuess = (value: number) => Math.min(4, Math.max(1, Math.round(value)));

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};

/** How often each published value comes from true value v, over all 256 cell keys. */
function likelihoods(threshold: number, maxValue: number): Map<number, Map<number, number>> {
  const table = new Map<number, Map<number, number>>();
  for (let v = 0; v <= maxValue; v++) {
    const counts = new Map<number, number>();
    for (let key = 0; key < 256; key++) {
      const p = perturbCount(v, key, threshold);
      counts.set(p, (counts.get(p) ?? 0) + 1 / 256);
    }
    table.set(v, counts);
  }
  return table;
}

export type Strategy = (estimates: number[]) => number;

/** The attacker's strategies; the suite reports the best of them. */
export function strategies(threshold: number): Record<string, Strategy> {
  const table = likelihoods(threshold, 80);
  return {
    // Ignores the answers: the commonest small count.
    prior: () => 1,
    first: (e) => clampGuess(e[0]),
    median: (e) => clampGuess(median(e)),
    mean: (e) => clampGuess(e.reduce((a, b) => a + b, 0) / e.length),
    mode: (e) => {
      const counts = new Map<number, number>();
      for (const v of e) counts.set(clampGuess(v), (counts.get(clampGuess(v)) ?? 0) + 1);
      return [...counts.entries()].sort((a, b) => b[1] - a[1] || a[0] - b[0])[0][0];
    },
    // Knows the method: each estimate as a published value of the hidden cell, the most likely of 1 … 4.
    likelihood: (e) => {
      let best = 1;
      let bestScore = -Infinity;
      for (let v = 1; v <= 4; v++) {
        const score = e.reduce((sum, p) => sum + Math.log(table.get(v)!.get(Math.round(p)) ?? 1e-9), 0);
        if (score > bestScore) [best, bestScore] = [v, score];
      }
      return best;
    },
  };
}

/**
 * The true values (0 … 80) that every estimate could have been published from, read as the
 * hidden cell's own published value. One value left, and it is the truth: pinned.
 */
export function pinned(estimates: number[], truth: number, threshold: number): boolean {
  const table = likelihoods(threshold, 80);
  const feasible = [...table.keys()].filter((v) => estimates.every((p) => (table.get(v)!.get(Math.round(p)) ?? 0) > 0));
  return feasible.length === 1 && feasible[0] === truth;
}
