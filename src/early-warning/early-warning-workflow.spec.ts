import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { EARLY_WARNING_STATUSES } from './early-warning-enums';
import { assertTransition, isAllowedTransition } from './early-warning-workflow';

describe('early-warning workflow', () => {
  it('allows exactly the transitions of the contract', () => {
    const allowed = EARLY_WARNING_STATUSES.flatMap((from) => EARLY_WARNING_STATUSES.filter((to) => isAllowedTransition(from, to)).map((to) => `${from}>${to}`));
    assert.deepEqual(allowed.sort(), ['escalated>resolved', 'reported>dismissed', 'reported>verified', 'verified>escalated', 'verified>resolved']);
  });

  it('answers a refused transition with a 409 naming what is allowed', () => {
    assert.throws(() => assertTransition('reported', 'escalated'), (e: { problem: { status: number; allowed: string[] } }) => {
      assert.equal(e.problem.status, 409);
      assert.deepEqual(e.problem.allowed, ['verified', 'dismissed']);
      return true;
    });
  });
});
