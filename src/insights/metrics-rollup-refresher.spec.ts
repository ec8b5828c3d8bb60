import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { pacedPauseMs } from './metrics-rollup-refresher';

describe('pacedPauseMs', () => {
  it('waits the interval after a quick round, nine times a slow round, and never more than a minute unless the interval is longer', () => {
    assert.equal(pacedPauseMs(12, 5_000), 5_000);
    assert.equal(pacedPauseMs(1_240, 5_000), 11_160);
    assert.equal(pacedPauseMs(30_000, 5_000), 60_000);
    assert.equal(pacedPauseMs(30_000, 120_000), 120_000);
  });
});
