import { conflict } from '../common/problem/problem';
import { InitiativeStatus } from './initiative-enums';

/**
 * The initiative workflow as data: the statuses each status may move to. Everything not listed
 * is refused with 409; completed and cancelled are final.
 */
export const INITIATIVE_TRANSITIONS: Readonly<Record<InitiativeStatus, readonly InitiativeStatus[]>> = {
  proposed: ['approved', 'cancelled'],
  approved: ['in_progress', 'cancelled'],
  in_progress: ['completed', 'cancelled'],
  completed: [],
  cancelled: [],
};

export function isAllowedTransition(from: InitiativeStatus, to: InitiativeStatus): boolean {
  return INITIATIVE_TRANSITIONS[from].includes(to);
}

/** Throws the 409 problem for a transition the workflow does not allow. */
export function assertTransition(from: InitiativeStatus, to: InitiativeStatus): void {
  if (isAllowedTransition(from, to)) return;
  const allowed = INITIATIVE_TRANSITIONS[from];
  throw conflict(
    `An initiative cannot move from ${from} to ${to}; ${allowed.length ? `allowed: ${allowed.join(', ')}` : `${from} is final`}.`,
    { slug: 'invalid-transition', from, to, allowed },
  );
}
