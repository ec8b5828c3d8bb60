import assert from 'node:assert/strict';
import { randomBytes, randomUUID } from 'node:crypto';
import { Role } from '../../src/auth/principal';
import { adminToken, createApiKey, createUser } from '../support/auth';
import { insertNetwork, insertParticipant, insertPartner, insertPolicePartner } from '../support/fixtures';
import { TestApp } from '../support/test-app';

/**
 * The shared fixture of the security battery: records in two countries and in the networks of
 * two partners, and one principal per role and scope. Places:
 *  - A1: Nepal, a network assigned to partner P1 (the partner principal's own);
 *  - A2: Nepal, a network assigned to partner P2 (same country, another partner);
 *  - B:  Iraq, a network assigned to partner P3 (another country).
 */
export const PLACES = ['A1', 'A2', 'B'] as const;
export type Place = (typeof PLACES)[number];
export const COUNTRY_OF: Record<Place, string> = { A1: 'NP', A2: 'NP', B: 'IQ' };

export interface Caller {
  name: string;
  role: Role;
  kind: 'user' | 'api_key';
  headers: Record<string, string>;
  userId?: string;
}

export interface PlaceRecords {
  country: string;
  networkId: string;
  partnerId: string;
}

export interface World {
  t: TestApp;
  admin: string;
  callers: Caller[];
  places: Record<Place, PlaceRecords>;
  /** Fresh values for fields that must be unique (indicator periods, country codes). */
  unique(): number;
}

/** Who may see a record of `place` (scope only; roles are the route's business). */
export function inScope(caller: Caller, place: Place): boolean {
  switch (caller.role) {
    case 'admin':
    case 'hq_analyst':
      return true;
    case 'country_staff':
      return COUNTRY_OF[place] === 'NP';
    case 'partner':
      return place === 'A1';
  }
}

export const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });

export async function buildWorld(t: TestApp): Promise<World> {
  const admin = await adminToken(t);
  const places = {} as Record<Place, PlaceRecords>;
  for (const place of PLACES) {
    const country = COUNTRY_OF[place];
    const partnerId = await insertPartner(t.db, { countryCode: country, name: `Partner ${place}` });
    const networkId = await insertNetwork(t.db, { countryCode: country, name: `Network ${place}`, partnerIds: [partnerId] });
    places[place] = { country, networkId, partnerId };
  }
  const user = async (name: string, role: Role, scope: Record<string, unknown>): Promise<Caller> => {
    const u = await createUser(t, admin, { role, ...scope });
    return { name, role, kind: 'user', headers: bearer(u.token), userId: u.id };
  };
  const key = await createApiKey(t, admin, { role: 'partner', partnerId: places.A1.partnerId });
  const me = await t.http.get('/api/v1/auth/me').set(bearer(admin));
  const callers: Caller[] = [
    { name: 'admin', role: 'admin', kind: 'user', headers: bearer(admin), userId: me.body.id },
    await user('hq_analyst', 'hq_analyst', {}),
    await user('country_staff NP', 'country_staff', { countryCodes: ['NP'] }),
    await user('partner P1', 'partner', { partnerId: places.A1.partnerId }),
    { name: 'partner P1 API key', role: 'partner', kind: 'api_key', headers: { 'X-API-Key': key.key } },
  ];
  let counter = 0;
  return { t, admin, callers, places, unique: () => ++counter };
}

/** POST as admin; fails the test unless 201. */
export async function adminPost(w: World, path: string, body: object): Promise<Record<string, unknown> & { id: string }> {
  const res = await w.t.http.post(path).set(bearer(w.admin)).send(body);
  assert.equal(res.status, 201, `${path}: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

// Valid bodies, one per create DTO; the matrix and the fuzzers start from these.
export const bodies = {
  network: (p: PlaceRecords) => ({ countryCode: p.country, name: `Net ${randomBytes(3).toString('hex')}`, level: 'district', adminArea: 'Banke', establishedOn: '2015-03-01' }),
  partner: (p: PlaceRecords) => ({ countryCode: p.country, name: `Partner ${randomBytes(3).toString('hex')}`, kind: 'csos', networkIds: [p.networkId] }),
  participant: (p: PlaceRecords) => ({
    countryCode: p.country,
    fullName: `Person ${randomBytes(4).toString('hex')}`,
    phone: `+977-98${Math.floor(Math.random() * 1e8).toString().padStart(8, '0')}`,
    gender: 'female',
    ageBand: '30_44',
    stakeholderGroup: 'journalist',
    networkIds: [p.networkId],
    consent: { given: true, recordedOn: '2024-03-01', scope: 'programme records' },
  }),
  policePartner: (p: PlaceRecords) => ({ countryCode: p.country, fullName: `Officer ${randomBytes(4).toString('hex')}`, institution: 'police', rank: 'Inspector', networkIds: [p.networkId] }),
  session: (p: PlaceRecords) => ({ networkId: p.networkId, title: 'Monthly dialogue', kind: 'dialogue', heldOn: '2016-07-14', topics: ['crime'], actionPoints: [{ description: 'Invite the prosecutor' }] }),
  dispute: (p: PlaceRecords) => ({
    networkId: p.networkId,
    reportedByPartnerId: p.partnerId,
    reportedOn: '2026-01-10',
    category: 'land',
    description: 'Two families claim the plot by the river.',
    parties: [{ label: 'Northern family' }, { label: 'Southern family' }],
    severity: 'medium',
    violenceRisk: 'low',
  }),
  earlyWarning: (p: PlaceRecords) => ({ countryCode: p.country, networkId: p.networkId, observedOn: '2026-01-10', riskFactors: [9], description: 'Threats after a land dispute.', severity: 'low' }),
  indicatorValue: (p: PlaceRecords, n: number) => ({
    networkId: p.networkId,
    indicator: 'reported_crimes',
    period: `${1900 + Math.floor(n / 12)}-${String((n % 12) + 1).padStart(2, '0')}`,
    value: 12,
    source: 'Station report',
  }),
  initiative: (p: PlaceRecords) => ({
    networkId: p.networkId,
    title: 'Help desk at the station',
    problemStatement: 'Nobody at the station receives women.',
    category: 'help_desk',
    funder: 'Embassy',
    budget: { amount: '1000.00', currency: 'USD' },
  }),
  disbursement: () => ({ amount: { amount: '10.00', currency: 'USD' }, disbursedOn: '2026-02-01' }),
  milestone: () => ({ description: 'Desk opened', dueOn: '2026-03-01' }),
  link: (to: string) => ({ toNetworkId: to, kind: 'peer', since: '2016-05-01' }),
  country: (code: string) => ({ code, name: `Country ${code}`, region: 'Test region' }),
  user: (p: PlaceRecords) => ({ email: `u-${randomBytes(4).toString('hex')}@test.local`, password: 'a-long-password-1', displayName: 'Someone', role: 'country_staff', countryCodes: [p.country] }),
  apiKey: (p: PlaceRecords) => ({ name: `key ${randomBytes(3).toString('hex')}`, role: 'country_staff', countryCodes: [p.country] }),
};

/** Path parameters (and the place) of one record of each kind, made in `place`. */
export type Target = Record<string, string>;
export type TargetKind =
  | 'network' | 'partner' | 'participant' | 'policePartner' | 'session' | 'dispute' | 'earlyWarning'
  | 'indicatorValue' | 'initiative' | 'link' | 'linkProposal' | 'notification' | 'country' | 'user' | 'apiKey' | 'summaryRun';
export type Maker = (w: World, p: PlaceRecords, caller: Caller, place: Place) => Promise<Target>;

const V1 = '/api/v1';

/** Makes one record of each kind in a place; the matrix calls these for shared and fresh targets. */
export const makers: Record<TargetKind, Maker> = {
  network: async (w: World, p: PlaceRecords): Promise<Target> => ({ id: await insertNetwork(w.t.db, { countryCode: p.country, partnerIds: [p.partnerId] }) }),
  partner: async (w: World, p: PlaceRecords): Promise<Target> => ({ id: await insertPartner(w.t.db, { countryCode: p.country, networkIds: [p.networkId] }) }),
  participant: async (w: World, p: PlaceRecords): Promise<Target> => ({ id: await insertParticipant(w.t.db, { countryCode: p.country, networkIds: [p.networkId] }) }),
  policePartner: async (w: World, p: PlaceRecords): Promise<Target> => ({ id: await insertPolicePartner(w.t.db, { countryCode: p.country, networkIds: [p.networkId] }) }),
  session: async (w: World, p: PlaceRecords): Promise<Target> => {
    const s = await adminPost(w, `${V1}/sessions`, bodies.session(p));
    return { id: s.id, actionPointId: (s.actionPoints as { id: string }[])[0].id };
  },
  dispute: async (w: World, p: PlaceRecords): Promise<Target> => ({ id: (await adminPost(w, `${V1}/disputes`, bodies.dispute(p))).id }),
  earlyWarning: async (w: World, p: PlaceRecords): Promise<Target> => ({ id: (await adminPost(w, `${V1}/early-warnings`, bodies.earlyWarning(p))).id }),
  indicatorValue: async (w: World, p: PlaceRecords): Promise<Target> => ({ id: (await adminPost(w, `${V1}/indicator-values`, bodies.indicatorValue(p, w.unique()))).id }),
  initiative: async (w: World, p: PlaceRecords): Promise<Target> => {
    const id = (await adminPost(w, `${V1}/initiatives`, bodies.initiative(p))).id;
    // Only an approved initiative receives money.
    const approve = await w.t.http.post(`${V1}/initiatives/${id}/transitions`).set(bearer(w.admin)).send({ to: 'approved', note: 'approved' });
    assert.equal(approve.status, 200, JSON.stringify(approve.body));
    const disbursementId = (await adminPost(w, `${V1}/initiatives/${id}/disbursements`, bodies.disbursement())).id;
    const milestoneId = (await adminPost(w, `${V1}/initiatives/${id}/milestones`, bodies.milestone())).id;
    return { id, disbursementId, milestoneId };
  },
  link: async (w: World, p: PlaceRecords): Promise<Target> => {
    const other = await insertNetwork(w.t.db, { countryCode: p.country, partnerIds: [p.partnerId] });
    return { id: p.networkId, linkId: (await adminPost(w, `${V1}/networks/${p.networkId}/links`, bodies.link(other))).id };
  },
  /** A link proposed to the place's network by a network of another country, awaiting the place's decision. */
  linkProposal: async (w: World, p: PlaceRecords): Promise<Target> => {
    const other = await insertNetwork(w.t.db, { countryCode: p.country === 'NP' ? 'IQ' : 'NP' });
    const linkId = randomUUID();
    await w.t.db.query(`INSERT INTO network_links (id, from_network_id, to_network_id, kind, since, status) VALUES ($1, $2, $3, 'peer', '2016-05-01', 'proposed')`, [
      linkId, other, p.networkId,
    ]);
    return { id: p.networkId, linkId };
  },
  /** A notification of the caller (A1) or of somebody else (A2, B): scope is the recipient. */
  notification: async (w: World, p: PlaceRecords, caller: Caller, place: Place): Promise<Target> => {
    const own = place === 'A1';
    const warning = (await adminPost(w, `${V1}/early-warnings`, bodies.earlyWarning(p))).id;
    const recipient = own && caller.userId ? caller.userId : (w.callers.find((c) => c.userId && c.userId !== caller.userId)?.userId as string);
    const id = randomUUID();
    await w.t.db.query(`INSERT INTO notifications (id, user_id, kind, early_warning_id) VALUES ($1, $2, 'critical_warning_reported', $3)`, [id, recipient, warning]);
    return { id };
  },
  country: async (w: World): Promise<Target> => {
    const code = `X${String.fromCharCode(65 + (w.unique() % 26))}`;
    await w.t.db.query(`INSERT INTO countries (code, name, region) VALUES ($1, $2, 'Test') ON CONFLICT (code) DO UPDATE SET archived_at = NULL`, [code, `Country ${code}`]);
    return { code };
  },
  user: async (w: World, p: PlaceRecords): Promise<Target> => ({ id: (await adminPost(w, `${V1}/users`, bodies.user(p))).id }),
  apiKey: async (w: World, p: PlaceRecords): Promise<Target> => ({ id: (await adminPost(w, `${V1}/api-keys`, bodies.apiKey(p))).id }),
  /** A learning-summary run of the place's country (queued: no worker runs in the security specs). */
  summaryRun: async (w: World, p: PlaceRecords): Promise<Target> => {
    const res = await w.t.http.post(`${V1}/learning-summaries/runs`).set(bearer(w.admin)).send({ period: `${2000 + (w.unique() % 20)}`, countryCodes: [p.country] });
    assert.equal(res.status, 202, JSON.stringify(res.body));
    return { id: res.body.id };
  },
};

/** One HTTP call with the caller's headers (or none), the way every security spec sends them. */
export function call(t: TestApp, method: string, path: string, headers: Record<string, string> = {}, body?: unknown) {
  const verb = method.toLowerCase() as 'get' | 'post' | 'patch' | 'delete' | 'put';
  const req = t.http[verb](path).set(headers);
  return body === undefined ? req : req.send(body as object);
}

/**
 * A digest of every row of every table, so that a test can prove a refused request wrote
 * nothing at all (not even an audit event). The world is small, so hashing whole tables is cheap.
 * api_keys.last_used_at is left out: using a key to be refused is still using it.
 */
export async function fingerprint(t: TestApp): Promise<Record<string, string>> {
  const { rows: tables } = await t.db.query<{ name: string }>(
    `SELECT table_name AS name FROM information_schema.tables
      WHERE table_schema = 'public' AND table_type = 'BASE TABLE' AND table_name <> 'migrations' ORDER BY 1`,
  );
  const out: Record<string, string> = {};
  for (const { name } of tables) {
    const { rows } = await t.db.query<{ n: number; h: string }>(
      `SELECT count(*)::int AS n, md5(coalesce(string_agg((to_jsonb(x) - 'last_used_at')::text, '|' ORDER BY (to_jsonb(x) - 'last_used_at')::text), '')) AS h FROM "${name}" x`,
    );
    out[name] = `${rows[0].n}:${rows[0].h}`;
  }
  return out;
}

/** Row counts of every table (cheaper than fingerprint; for "a 4xx wrote no row" checks). */
export async function rowCounts(t: TestApp): Promise<Record<string, number>> {
  const { rows } = await t.db.query<{ name: string; n: string }>(
    `SELECT c.relname AS name, (xpath('/row/n/text()', query_to_xml(format('SELECT count(*) AS n FROM %I', c.relname), false, true, '')))[1]::text AS n
       FROM pg_class c JOIN pg_namespace s ON s.oid = c.relnamespace
      WHERE s.nspname = 'public' AND c.relkind IN ('r', 'p') AND c.relname <> 'migrations'`,
  );
  return Object.fromEntries(rows.map((r) => [r.name, Number(r.n)]));
}

/** What must never appear in an error body: stack frames, source paths, SQL, driver and ORM names. */
const INTERNALS =
  /\bat [\w.<>]+ \(|\.(ts|js):\d+|node_modules|QueryFailedError|EntityNotFound|typeorm|TypeORM|\bpg\b|postgres|SELECT |INSERT INTO|UPDATE \w+ SET|DELETE FROM|relation "|column "|duplicate key|violates|constraint|ECONNREFUSED|stack|class-transformer|class-validator|fastify|nestjs|\/work\/|\/src\//i;

/** Error bodies scanned so far in this process (reported by the specs). */
export const scanned = { errorBodies: 0 };

/**
 * Checks an error answer: an RFC 9457 problem that says nothing internal, and never a 500.
 * Returns a failure message, or null.
 */
export function errorBodyProblem(label: string, res: { status: number; headers: Record<string, string>; text: string }): string | null {
  if (res.status >= 500) return `${label}: ${res.status} ${res.text.slice(0, 200)}`;
  if (res.status < 400) return null;
  scanned.errorBodies += 1;
  if (!/application\/problem\+json/.test(String(res.headers['content-type']))) return `${label}: a ${res.status} that is not a problem document`;
  const leak = INTERNALS.exec(res.text);
  if (leak) return `${label}: the ${res.status} body shows "${leak[0]}": ${res.text.slice(0, 300)}`;
  return null;
}
