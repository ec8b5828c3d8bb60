import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { listRouteAccess, RouteAccess } from '../../src/auth/route-access';
import { startTestApp } from '../support/test-app';
import { RouteEntry, ROUTES } from './route-matrix';
import { buildWorld, call, Caller, fingerprint, inScope, makers, Place, PLACES, Target, World } from './world';

/**
 * OWASP API1 (object level) and API5 (function level): every route the running app serves ×
 * every caller (admin, hq_analyst, country staff of Nepal, a partner user and a partner API key)
 * × a record in each place (A1: Nepal, the partner's network; A2: Nepal, another partner's
 * network; B: Iraq). Expected: 403 when the route does not admit the role, 404 when the record
 * is outside the caller's scope, the route's success status otherwise; lists show a place's
 * record exactly when it is in scope. Routes come from the app, so a new route without a line in
 * route-matrix.ts fails the first test.
 */
interface Case {
  route: string;
  method: string;
  path: string;
  entry: RouteEntry;
  caller: Caller;
  place: Place;
  expected: number;
  /** Lists: whether the place's record must be in the answer. */
  visible: boolean;
}

const OK_BY_METHOD: Record<string, number> = { GET: 200, POST: 201, PATCH: 200, DELETE: 204 };
const openApiPath = (path: string) => path.replace(/:(\w+)/g, '{$1}');

function casesOf(route: string, entry: RouteEntry, callers: Caller[]): Case[] {
  if (entry.roles === 'public') return [];
  const [method, path] = route.split(' ');
  const roles = entry.roles;
  const placeBound = Boolean(entry.creates || (entry.target && entry.scoped !== false));
  const places: Place[] = placeBound ? [...PLACES] : ['A1'];
  const cases: Case[] = [];
  for (const caller of callers) {
    for (const place of places) {
      const sees = !placeBound || (entry.sees ?? inScope)(caller, place);
      const allowedRole = roles.includes(caller.role);
      const ok = entry.ok ?? OK_BY_METHOD[method];
      const expected = !allowedRole ? 403 : entry.list || entry.batch || sees ? ok : 404;
      cases.push({ route, method, path, entry, caller, place, expected, visible: allowedRole && sees });
    }
  }
  return cases;
}

describe('API1/API5: object- and function-level authorisation matrix (role × scope × route)', () => {
  let w: World;
  let served: RouteAccess[];
  let cases: Case[] = [];
  const shared = new Map<string, Target>();

  /** A record of the route's kind in the place (shared by reads and refusals, fresh for allowed writes). */
  async function targetFor(c: Case, fresh: boolean): Promise<Target | undefined> {
    const kind = c.entry.target;
    if (!kind) return undefined;
    const perCaller = kind === 'notification';
    const key = `${kind}|${c.place}|${perCaller ? c.caller.name : ''}`;
    if (!fresh && shared.has(key)) return shared.get(key);
    const target = await makers[kind](w, w.places[c.place], c.caller, c.place);
    if (!fresh) shared.set(key, target);
    return target;
  }

  async function run(c: Case): Promise<string | null> {
    const writes = c.method !== 'GET';
    // Archiving and state changes consume a record; reads and PATCHes share one per place.
    const consumes = c.method === 'DELETE' || (c.method === 'POST' && !c.entry.creates);
    const target = await targetFor(c, consumes && c.expected < 400);
    const url = c.path.replace(/:(\w+)/g, (_, name: string) => {
      const value = target?.[name];
      assert.ok(value, `${c.route}: the ${c.entry.target} maker gives no ${name}`);
      return value;
    }) + (c.entry.query?.(w.places[c.place]) ?? '');
    const body = c.entry.body?.(w.places[c.place], w);
    const res = await call(w.t, c.method, url, c.caller.headers, body ?? (writes ? {} : undefined));
    const label = `${c.route} as ${c.caller.name} on ${c.place}`;
    if (res.status !== c.expected) return `${label}: expected ${c.expected}, got ${res.status} ${JSON.stringify(res.body).slice(0, 300)}`;
    if (c.expected >= 400 && !/application\/problem\+json/.test(String(res.headers['content-type']))) return `${label}: the refusal is not a problem document`;
    if (c.entry.list && c.expected < 400 && target) {
      const ids = (res.body as { data: { id: string }[] }).data.map((x) => x.id);
      const id = c.entry.listedId ? c.entry.listedId(target) : target.id;
      if (ids.includes(id) !== c.visible) return `${label}: the place's record is ${c.visible ? 'missing from' : 'leaked into'} the list`;
    }
    if (c.route === 'POST /api/v1/sync' && c.expected === 200) {
      const statuses = (res.body as { results: { status: number }[] }).results.map((r) => r.status);
      const inner = inScope(c.caller, c.place) ? 201 : 404;
      if (statuses[0] !== inner) return `${label}: the synced operation got ${statuses[0]}, expected ${inner}`;
    }
    return null;
  }

  before(async () => {
    w = await buildWorld(await startTestApp());
    served = listRouteAccess(w.t.app);
    cases = served.flatMap((r) => {
      const route = `${r.method} ${openApiPath(r.path)}`;
      const entry = ROUTES[route];
      return entry ? casesOf(route, entry, w.callers).map((c) => ({ ...c, path: r.path })) : [];
    });
  });
  after(() => w.t.close());

  it('has one entry for every route the app serves (and none for a route it does not serve), with the roles it declares', () => {
    const keys = served.map((r) => `${r.method} ${openApiPath(r.path)}`);
    const missing = keys.filter((k) => !ROUTES[k]);
    assert.deepEqual(missing, [], 'add one line per route to ROUTES in test/security/route-matrix.ts');
    const stale = Object.keys(ROUTES).filter((k) => !keys.includes(k));
    assert.deepEqual(stale, [], 'these entries of test/security/route-matrix.ts name routes the app no longer serves');
    const disagree = served.filter((r) => {
      const entry = ROUTES[`${r.method} ${openApiPath(r.path)}`];
      return JSON.stringify(entry.roles === 'public' ? 'public' : [...entry.roles].sort()) !== JSON.stringify(r.access);
    });
    assert.deepEqual(disagree.map((r) => `${r.method} ${r.path}`), [], 'the matrix and the @Roles of these routes disagree');
  });

  it('refuses with 403 (role) or 404 (scope) on every route, and the refusals write nothing', async () => {
    const refusals = cases.filter((c) => c.expected >= 400);
    // Make the shared targets first, so the fingerprint covers them.
    for (const c of refusals) await targetFor(c, false);
    const before = await fingerprint(w.t);
    const failures: string[] = [];
    for (let i = 0; i < refusals.length; i += 8) {
      const results = await Promise.all(refusals.slice(i, i + 8).map(run));
      failures.push(...(results.filter(Boolean) as string[]));
    }
    assert.deepEqual(failures, []);
    assert.deepEqual(await fingerprint(w.t), before, 'a refused request changed the database');
    const n403 = refusals.filter((c) => c.expected === 403).length;
    console.log(`# API1/API5 matrix: ${refusals.length} refusals (${n403} × 403, ${refusals.length - n403} × 404)`);
    assert.ok(n403 > 50 && refusals.length - n403 > 50, 'the matrix lost its refusals');
  });

  it('allows every role and scope the route admits, and lists exactly the records in scope', async () => {
    const allowed = cases.filter((c) => c.expected < 400);
    const failures: string[] = [];
    for (let i = 0; i < allowed.length; i += 8) {
      const results = await Promise.all(allowed.slice(i, i + 8).map(run));
      failures.push(...(results.filter(Boolean) as string[]));
    }
    assert.deepEqual(failures, []);
    const routes = new Set(cases.map((c) => c.route)).size;
    console.log(`# API1/API5 matrix: ${allowed.length} allowed cases; ${cases.length} cases over ${routes} routes`);
  });
});
