import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CELL_KEY_MODULUS, maxNoise, perturbCount } from './cell-key-perturbation';

const KEYS = Array.from({ length: CELL_KEY_MODULUS }, (_, k) => k);

describe('perturbCount', () => {
  it('publishes an empty cell as 0, whatever its key', () => {
    for (const key of KEYS) assert.equal(perturbCount(0, key, 5), 0);
  });

  it('gives the same value for the same true value and key, and reduces keys modulo 256', () => {
    for (const value of [1, 3, 7, 25, 400]) {
      for (const key of [0, 17, 255]) {
        assert.equal(perturbCount(value, key, 5), perturbCount(value, key, 5));
        assert.equal(perturbCount(value, key + 256 * 3, 5), perturbCount(value, key, 5));
      }
    }
  });

  it('publishes a small cell by its key alone: the published value says nothing about which small value it was', () => {
    for (const threshold of [3, 5, 10]) {
      for (const key of KEYS) {
        const published = new Set(Array.from({ length: threshold - 1 }, (_, i) => perturbCount(i + 1, key, threshold)));
        assert.equal(published.size, 1, `key ${key}, threshold ${threshold}`);
      }
    }
  });

  it('publishes small cells as 2, or 1 or 3 for a quarter of the keys each', () => {
    const counts = new Map<number, number>();
    for (const key of KEYS) counts.set(perturbCount(2, key, 5), (counts.get(perturbCount(2, key, 5)) ?? 0) + 1);
    assert.deepEqual([...counts.keys()].sort(), [1, 2, 3]);
    assert.ok(counts.get(2)! > 100 && counts.get(1)! > 40 && counts.get(3)! > 40, JSON.stringify([...counts]));
    for (const key of KEYS) assert.ok([1, 2].includes(perturbCount(1, key, 3)));
  });

  it('moves larger cells by at most ±2 and never by more than a tenth of themselves from 20 on, without bias', () => {
    for (let value = 5; value <= 400; value++) {
      let total = 0;
      for (const key of KEYS) {
        const published = perturbCount(value, key, 5);
        assert.ok(Math.abs(published - value) <= maxNoise(value), `${value} → ${published}`);
        if (value >= 20) assert.ok(Math.abs(published - value) <= value / 10, `${value} → ${published}`);
        total += published;
      }
      assert.ok(Math.abs(total / 256 - value) < 0.6, `mean of ${value}: ${total / 256}`);
    }
  });

  it('never pins a true value of 1–4: every published value is also what another true value gives', () => {
    const sources = new Map<number, Set<number>>();
    for (let value = 0; value <= 60; value++) {
      for (const key of KEYS) {
        const published = perturbCount(value, key, 5);
        if (!sources.has(published)) sources.set(published, new Set());
        sources.get(published)!.add(value);
      }
    }
    for (let value = 1; value <= 4; value++) {
      for (const key of KEYS) assert.ok(sources.get(perturbCount(value, key, 5))!.size >= 4, `${value}, key ${key}`);
    }
  });
});
