import { badRequest } from '../common/problem/problem';
import { defineWorkflow } from '../common/workflow/workflow';
import { DisputeStatus } from './dispute-enums';

/**
 * The dispute workflow (api.md), the one place it is written down. Everything not listed is
 * refused with 409; closed is final.
 */
export const DISPUTE_WORKFLOW = defineWorkflow<DisputeStatus>('A dispute', {
  reported: ['in_mediation', 'referred', 'withdrawn'],
  in_mediation: ['resolved', 'referred', 'escalated', 'withdrawn'],
  escalated: ['in_mediation', 'referred'],
  resolved: ['closed'],
  referred: ['closed'],
  withdrawn: ['closed'],
  closed: [],
});

/** Statuses in which a dispute is still being worked on (`?openOnly=true`). */
export const OPEN_STATUSES: readonly DisputeStatus[] = ['reported', 'in_mediation', 'escalated'];

/** The payload a target status requires, and that only it may carry. */
export const REQUIRED_PAYLOAD: Readonly<Partial<Record<DisputeStatus, 'resolution' | 'referral'>>> = {
  resolved: 'resolution',
  referred: 'referral',
};

/**
 * Applies the workflow to a requested move: 409 when the move is not allowed, then 400 when the
 * target's payload is missing or a payload is sent that the target does not take.
 */
export function checkTransition(from: DisputeStatus, to: DisputeStatus, payload: { resolution?: unknown; referral?: unknown }): void {
  DISPUTE_WORKFLOW.assert(from, to);
  const required = REQUIRED_PAYLOAD[to];
  if (required && payload[required] === undefined) {
    throw badRequest(`Moving a dispute to ${to} requires ${required}.`, [{ field: required, message: `is required to enter ${to}` }]);
  }
  for (const field of ['resolution', 'referral'] as const) {
    if (field !== required && payload[field] !== undefined) {
      throw badRequest(`${field} is only accepted when entering ${field === 'resolution' ? 'resolved' : 'referred'}.`, [
        { field, message: `is not accepted when entering ${to}` },
      ]);
    }
  }
}
