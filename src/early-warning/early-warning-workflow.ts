import { defineWorkflow } from '../common/workflow/workflow';
import { EarlyWarningStatus } from './early-warning-enums';

/**
 * The early-warning workflow as data: the statuses each status may move to. Everything not
 * listed here is refused with 409; dismissed and resolved are final.
 */
export const EARLY_WARNING_WORKFLOW = defineWorkflow<EarlyWarningStatus>('An early warning', {
  reported: ['verified', 'dismissed'],
  verified: ['escalated', 'resolved'],
  escalated: ['resolved'],
  dismissed: [],
  resolved: [],
});

export const EARLY_WARNING_TRANSITIONS = EARLY_WARNING_WORKFLOW.transitions;

export function isAllowedTransition(from: EarlyWarningStatus, to: EarlyWarningStatus): boolean {
  return EARLY_WARNING_WORKFLOW.isAllowed(from, to);
}

/** Throws the 409 problem for a transition the workflow does not allow. */
export function assertTransition(from: EarlyWarningStatus, to: EarlyWarningStatus): void {
  EARLY_WARNING_WORKFLOW.assert(from, to);
}
