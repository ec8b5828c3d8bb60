import { conflict } from '../common/problem/problem';
import { EarlyWarningStatus } from './early-warning-enums';

/**
 * The early-warning workflow as data: the statuses each status may move to. Everything not
 * listed here is refused with 409; dismissed and resolved are final.
 */
export const EARLY_WARNING_TRANSITIONS: Readonly<Record<EarlyWarningStatus, readonly EarlyWarningStatus[]>> = {
  reported: ['verified', 'dismissed'],
  verified: ['escalated', 'resolved'],
  escalated: ['resolved'],
  dismissed: [],
  resolved: [],
};

export function isAllowedTransition(from: EarlyWarningStatus, to: EarlyWarningStatus): boolean {
  return EARLY_WARNING_TRANSITIONS[from].includes(to);
}

/** Throws the 409 problem for a transition the workflow does not allow. */
export function assertTransition(from: EarlyWarningStatus, to: EarlyWarningStatus): void {
  if (isAllowedTransition(from, to)) return;
  const allowed = EARLY_WARNING_TRANSITIONS[from];
  throw conflict(
    `An early warning cannot move from ${from} to ${to}; ${allowed.length ? `allowed: ${allowed.join(', ')}` : `${from} is final`}.`,
    { slug: 'invalid-transition', from, to, allowed },
  );
}
