import { conflict } from '../problem/problem';

/**
 * A status workflow held as data: for each status, the statuses it may move to. Resources
 * declare their table once with `defineWorkflow` and apply it through `assert`, so the rules
 * live in one place and controllers never know them. A status with no successors is final.
 */
export interface Workflow<S extends string> {
  /** How a refusal names the record, e.g. `A dispute`. */
  readonly subject: string;
  readonly transitions: Readonly<Record<S, readonly S[]>>;
  isAllowed(from: S, to: S): boolean;
  /** Throws the 409 `invalid-transition` problem (with `from`, `to` and `allowed`) for a refused move. */
  assert(from: S, to: S): void;
}

export function defineWorkflow<S extends string>(subject: string, transitions: Readonly<Record<S, readonly S[]>>): Workflow<S> {
  const isAllowed = (from: S, to: S) => transitions[from].includes(to);
  return {
    subject,
    transitions,
    isAllowed,
    assert(from: S, to: S): void {
      if (isAllowed(from, to)) return;
      const allowed = transitions[from];
      throw conflict(
        `${subject} cannot move from ${from} to ${to}; ${allowed.length ? `allowed: ${allowed.join(', ')}` : `${from} is final`}.`,
        { slug: 'invalid-transition', from, to, allowed },
      );
    },
  };
}

/** Every allowed `[from, to]` pair, for documentation and tests. */
export function allowedPairs<S extends string>(workflow: Workflow<S>): [S, S][] {
  return (Object.entries(workflow.transitions) as [S, readonly S[]][]).flatMap(([from, tos]) => tos.map((to): [S, S] => [from, to]));
}
