import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { allowedPairs } from '../common/workflow/workflow';
import { DISPUTE_STATUSES } from './dispute-enums';
import { checkTransition, DISPUTE_WORKFLOW } from './dispute-workflow';

const problemOf = (fn: () => void) => {
  try {
    fn();
  } catch (e) {
    return (e as { problem: { status: number; errors?: { field: string }[]; allowed?: string[] } }).problem;
  }
  return undefined;
};

describe('dispute workflow', () => {
  it('allows exactly the transitions of api.md', () => {
    assert.deepEqual(allowedPairs(DISPUTE_WORKFLOW).map(([f, t]) => `${f}>${t}`).sort(), [
      'escalated>in_mediation', 'escalated>referred',
      'in_mediation>escalated', 'in_mediation>referred', 'in_mediation>resolved', 'in_mediation>withdrawn',
      'referred>closed', 'reported>in_mediation', 'reported>referred', 'reported>withdrawn', 'resolved>closed', 'withdrawn>closed',
    ]);
    assert.deepEqual(Object.keys(DISPUTE_WORKFLOW.transitions).sort(), [...DISPUTE_STATUSES].sort());
  });

  it('refuses a move the table does not list with 409 before looking at the payload', () => {
    const p = problemOf(() => checkTransition('reported', 'resolved', {}));
    assert.equal(p?.status, 409);
    assert.deepEqual(p?.allowed, ['in_mediation', 'referred', 'withdrawn']);
    assert.equal(problemOf(() => checkTransition('closed', 'reported', {}))?.status, 409);
  });

  it('requires resolution for resolved and referral for referred (400 naming the field)', () => {
    assert.deepEqual(problemOf(() => checkTransition('in_mediation', 'resolved', {}))?.errors?.[0].field, 'resolution');
    assert.deepEqual(problemOf(() => checkTransition('reported', 'referred', {}))?.errors?.[0].field, 'referral');
    assert.equal(problemOf(() => checkTransition('reported', 'in_mediation', { referral: {} }))?.status, 400);
    assert.equal(problemOf(() => checkTransition('in_mediation', 'resolved', { resolution: {} })), undefined);
  });
});
