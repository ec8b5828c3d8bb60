import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { INITIATIVE_STATUSES } from './initiative-enums';
import { assertTransition, isAllowedTransition } from './initiative-workflow';

describe('initiative workflow', () => {
  it('allows exactly the transitions of the contract', () => {
    const allowed = INITIATIVE_STATUSES.flatMap((from) => INITIATIVE_STATUSES.filter((to) => isAllowedTransition(from, to)).map((to) => `${from}>${to}`));
    assert.deepEqual(allowed.sort(), [
      'approved>cancelled', 'approved>in_progress', 'in_progress>cancelled', 'in_progress>completed', 'proposed>approved', 'proposed>cancelled',
    ]);
  });

  it('answers a refused transition with a 409 saying the status is final', () => {
    assert.throws(() => assertTransition('completed', 'cancelled'), (e: { problem: { status: number; detail: string; allowed: string[] } }) => {
      assert.equal(e.problem.status, 409);
      assert.deepEqual(e.problem.allowed, []);
      assert.match(e.problem.detail, /final/);
      return true;
    });
  });
});
