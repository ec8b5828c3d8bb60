import { randomUUID } from 'node:crypto';
import { Role } from '../../src/auth/principal';
import { bodies, Caller, inScope, Place, PlaceRecords, Target, TargetKind, World } from './world';

/**
 * Who may call every route, and on which record, as the API1/API5 matrix checks it. The spec
 * fails when the app serves a route this table has no entry for (and when an entry names a route
 * that no longer exists), so a new route cannot be forgotten: adding one is one line here.
 *
 *  roles   — who passes the role gate (everyone else gets 403), or 'public';
 *  target  — the kind of record named in the path, made in each place (A1, A2, B);
 *  creates — the place is given in the body instead (a create); out of scope is a 404 there too;
 *  list    — a list: it must hold the caller's in-scope records of `target` and none of the others;
 *  scoped  — false when the record is visible to every role that passes the gate (countries, users);
 *  body    — a valid body for the place; ok — the status of an allowed call (default by method).
 */
export interface RouteEntry {
  roles: Role[] | 'public';
  target?: TargetKind;
  creates?: boolean;
  list?: boolean;
  scoped?: false;
  body?: (p: PlaceRecords, w: World) => object;
  ok?: number;
  /** Who sees the record of a place, when it is not the usual country/partner scope (`inScope` in world.ts). */
  sees?: (caller: Caller, place: Place) => boolean;
  /** The id a list must (or must not) show for a target; default the target's `id`. */
  listedId?: (target: Target) => string;
  /** Query string for the place (lists that need a filter). */
  query?: (p: PlaceRecords) => string;
  /** A batch (sync): the call itself succeeds out of scope too; each operation carries its own status. */
  batch?: true;
}

/** Notifications belong to their recipient: the caller's own (made in A1) and nobody else's. */
/** A partner user sees only its own partner record, not the other partners of its networks. */
const notPartnerUsers = (caller: Caller, place: Place) => caller.role !== 'partner' && inScope(caller, place);
const recipientOnly = (caller: Caller, place: Place) => place === 'A1' && caller.kind === 'user';

const ALL: Role[] = ['admin', 'hq_analyst', 'country_staff', 'partner'];
const ADMIN: Role[] = ['admin'];
const STAFF: Role[] = ['admin', 'country_staff'];
const FIELD: Role[] = ['admin', 'country_staff', 'partner'];
/** Records of single people: never hq_analyst (PERSON_RECORD_READERS). */
const PEOPLE: Role[] = FIELD;
/** Aggregates and summaries: never partners. */
const HQ: Role[] = ['admin', 'hq_analyst', 'country_staff'];
const transition = (to: string) => () => ({ to, note: `to ${to}` });
const nextCode = (w: World) => `Y${String.fromCharCode(65 + (w.unique() % 26))}`;

export const ROUTES: Record<string, RouteEntry> = {
  'GET /health/live': { roles: 'public' },
  'GET /health/ready': { roles: 'public' },
  'POST /api/v1/auth/login': { roles: 'public' },
  'POST /api/v1/auth/refresh': { roles: 'public' },
  'POST /api/v1/auth/logout': { roles: 'public' },
  'GET /api/v1/auth/me': { roles: ALL },
  'GET /api/v1/audit-events': { roles: ADMIN },

  'POST /api/v1/users': { roles: ADMIN, body: bodies.user },
  'GET /api/v1/users': { roles: ADMIN },
  'GET /api/v1/users/{id}': { roles: ADMIN, target: 'user', scoped: false },
  'PATCH /api/v1/users/{id}': { roles: ADMIN, target: 'user', scoped: false, body: () => ({ displayName: 'Renamed' }) },
  'POST /api/v1/api-keys': { roles: ADMIN, body: bodies.apiKey },
  'GET /api/v1/api-keys': { roles: ADMIN },
  'GET /api/v1/api-keys/{id}': { roles: ADMIN, target: 'apiKey', scoped: false },
  'DELETE /api/v1/api-keys/{id}': { roles: ADMIN, target: 'apiKey', scoped: false },

  'POST /api/v1/countries': { roles: ADMIN, body: (_, w) => bodies.country(nextCode(w)) },
  'GET /api/v1/countries': { roles: ALL },
  'GET /api/v1/countries/{code}': { roles: ALL, target: 'country', scoped: false },
  'PATCH /api/v1/countries/{code}': { roles: ADMIN, target: 'country', scoped: false, body: () => ({ region: 'Elsewhere' }) },
  'DELETE /api/v1/countries/{code}': { roles: ADMIN, target: 'country', scoped: false },

  'POST /api/v1/networks': { roles: STAFF, creates: true, body: bodies.network },
  'GET /api/v1/networks': { roles: ALL, target: 'network', list: true },
  'GET /api/v1/networks/{id}': { roles: ALL, target: 'network' },
  'PATCH /api/v1/networks/{id}': { roles: STAFF, target: 'network', body: () => ({ name: 'Renamed network' }) },
  'DELETE /api/v1/networks/{id}': { roles: STAFF, target: 'network' },
  'GET /api/v1/networks/{id}/links': { roles: ALL, target: 'link' },
  'POST /api/v1/networks/{id}/links': { roles: STAFF, target: 'network', body: (p) => bodies.link(p.networkId) },
  'DELETE /api/v1/networks/{id}/links/{linkId}': { roles: STAFF, target: 'link' },
  'POST /api/v1/networks/{id}/links/{linkId}/transitions': { roles: STAFF, target: 'linkProposal', body: () => ({ to: 'confirmed' }), ok: 200 },

  'POST /api/v1/partners': { roles: STAFF, creates: true, body: bodies.partner },
  'GET /api/v1/partners': { roles: ALL, target: 'partner', list: true, sees: notPartnerUsers },
  'GET /api/v1/partners/{id}': { roles: ALL, target: 'partner', sees: notPartnerUsers },
  'PATCH /api/v1/partners/{id}': { roles: STAFF, target: 'partner', body: () => ({ name: 'Renamed partner' }) },
  'DELETE /api/v1/partners/{id}': { roles: STAFF, target: 'partner' },

  'POST /api/v1/participants': { roles: STAFF, creates: true, body: bodies.participant },
  'GET /api/v1/participants': { roles: PEOPLE, target: 'participant', list: true },
  'GET /api/v1/participants/{id}': { roles: PEOPLE, target: 'participant' },
  'PATCH /api/v1/participants/{id}': { roles: STAFF, target: 'participant', body: () => ({ affiliation: 'Local radio' }) },
  'DELETE /api/v1/participants/{id}': { roles: STAFF, target: 'participant' },
  'POST /api/v1/participants/{id}/erase': { roles: STAFF, target: 'participant', ok: 200 },

  'POST /api/v1/police-partners': { roles: STAFF, creates: true, body: bodies.policePartner },
  'GET /api/v1/police-partners': { roles: PEOPLE, target: 'policePartner', list: true },
  'GET /api/v1/police-partners/{id}': { roles: PEOPLE, target: 'policePartner' },
  'PATCH /api/v1/police-partners/{id}': { roles: STAFF, target: 'policePartner', body: () => ({ rank: 'Captain' }) },
  'DELETE /api/v1/police-partners/{id}': { roles: STAFF, target: 'policePartner' },
  'POST /api/v1/police-partners/{id}/erase': { roles: STAFF, target: 'policePartner', ok: 200 },

  'POST /api/v1/sessions': { roles: FIELD, creates: true, body: bodies.session },
  'GET /api/v1/sessions': { roles: ALL, target: 'session', list: true },
  'GET /api/v1/sessions/{id}': { roles: ALL, target: 'session' },
  'PATCH /api/v1/sessions/{id}': { roles: FIELD, target: 'session', body: () => ({ summary: 'Agreed to meet again.' }) },
  'DELETE /api/v1/sessions/{id}': { roles: FIELD, target: 'session' },
  'PATCH /api/v1/sessions/{id}/action-points/{actionPointId}': { roles: FIELD, target: 'session', body: () => ({ status: 'done' }) },
  'GET /api/v1/action-points': { roles: ALL, target: 'session', list: true, listedId: (t) => t.actionPointId, query: (p) => `?networkId=${p.networkId}` },
  // The batch itself is a 200; each operation carries the status its route would have given.
  'POST /api/v1/sync': {
    roles: FIELD,
    creates: true,
    batch: true,
    ok: 200,
    body: (p) => ({ operations: [{ clientId: randomUUID(), resource: 'sessions', method: 'POST', body: bodies.session(p) }] }),
  },

  'POST /api/v1/early-warnings': { roles: FIELD, creates: true, body: bodies.earlyWarning },
  'GET /api/v1/early-warnings': { roles: ALL, target: 'earlyWarning', list: true },
  'GET /api/v1/early-warnings/{id}': { roles: ALL, target: 'earlyWarning' },
  'PATCH /api/v1/early-warnings/{id}': { roles: STAFF, target: 'earlyWarning', body: () => ({ place: 'Market square' }) },
  'DELETE /api/v1/early-warnings/{id}': { roles: STAFF, target: 'earlyWarning' },
  'POST /api/v1/early-warnings/{id}/transitions': { roles: STAFF, target: 'earlyWarning', body: transition('verified'), ok: 200 },

  'POST /api/v1/indicator-values': { roles: FIELD, creates: true, body: (p, w) => bodies.indicatorValue(p, w.unique()) },
  'GET /api/v1/indicator-values': { roles: ALL, target: 'indicatorValue', list: true },
  'GET /api/v1/indicator-values/{id}': { roles: ALL, target: 'indicatorValue' },
  'PATCH /api/v1/indicator-values/{id}': { roles: FIELD, target: 'indicatorValue', body: () => ({ value: 13 }) },
  'DELETE /api/v1/indicator-values/{id}': { roles: STAFF, target: 'indicatorValue' },

  'GET /api/v1/notifications': { roles: ALL, target: 'notification', list: true, sees: recipientOnly },
  'POST /api/v1/notifications/{id}/read': { roles: ALL, target: 'notification', ok: 200, sees: recipientOnly },

  // Aggregates: the role gate is checked here; their country scope (404 for another country's
  // code or network) in test/impact-metrics.e2e-spec.ts and test/learning-summaries.e2e-spec.ts.
  'GET /api/v1/metrics/impact': { roles: HQ },
  // Runs: country_staff run and read their own countries' only (a run of another country is a 404).
  'POST /api/v1/learning-summaries/runs': { roles: HQ, body: () => ({ period: '2016-07' }), ok: 202 },
  'GET /api/v1/learning-summaries/runs/{id}': { roles: HQ, target: 'summaryRun' },
  'GET /api/v1/learning-summaries': { roles: HQ },
  // No worker runs here, so no period has a comparison yet: allowed callers get the 404 of a
  // missing document, partners the 403 of the role gate.
  'GET /api/v1/learning-summaries/cross-country': { roles: HQ, query: () => '?period=2016', ok: 404 },

  'POST /api/v1/disputes': { roles: FIELD, creates: true, body: bodies.dispute },
  'GET /api/v1/disputes': { roles: ALL, target: 'dispute', list: true },
  'GET /api/v1/disputes/{id}': { roles: ALL, target: 'dispute' },
  'PATCH /api/v1/disputes/{id}': { roles: FIELD, target: 'dispute', body: () => ({ severity: 'high' }) },
  'DELETE /api/v1/disputes/{id}': { roles: STAFF, target: 'dispute' },
  'POST /api/v1/disputes/{id}/transitions': { roles: FIELD, target: 'dispute', body: transition('in_mediation'), ok: 200 },

  'POST /api/v1/initiatives': { roles: STAFF, creates: true, body: bodies.initiative },
  'GET /api/v1/initiatives': { roles: ALL, target: 'initiative', list: true },
  'GET /api/v1/initiatives/{id}': { roles: ALL, target: 'initiative' },
  'PATCH /api/v1/initiatives/{id}': { roles: STAFF, target: 'initiative', body: () => ({ funder: 'Another embassy' }) },
  'DELETE /api/v1/initiatives/{id}': { roles: STAFF, target: 'initiative' },
  'POST /api/v1/initiatives/{id}/transitions': { roles: STAFF, target: 'initiative', body: transition('in_progress'), ok: 200 },
  'POST /api/v1/initiatives/{id}/disbursements': { roles: STAFF, target: 'initiative', body: bodies.disbursement },
  'GET /api/v1/initiatives/{id}/disbursements/{disbursementId}': { roles: ALL, target: 'initiative' },
  'POST /api/v1/initiatives/{id}/milestones': { roles: STAFF, target: 'initiative', body: bodies.milestone },
  'GET /api/v1/initiatives/{id}/milestones/{milestoneId}': { roles: ALL, target: 'initiative' },
  'PATCH /api/v1/initiatives/{id}/milestones/{milestoneId}': { roles: STAFF, target: 'initiative', body: () => ({ achievedOn: '2026-03-02' }) },
};
