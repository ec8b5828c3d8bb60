import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { startTestApp } from '../support/test-app';
import { ROUTES } from './route-matrix';
import { bodies, buildWorld, call, Caller, makers, rowCounts, Target, World } from './world';

/**
 * OWASP API3 (broken object property level authorisation).
 * - Mass assignment: every POST/PATCH route with a body gets its valid body plus one property the
 *   client must never set (server-owned fields, and the privilege fields on DTOs that do not
 *   declare them): 400 validation problem naming the field, nothing written.
 * - Excessive data exposure: with named people in the world, no response of any GET route (nor
 *   a sync answer) shows a name or phone number to hq_analyst or a partner; admin sees them, so
 *   the scan looks at the right place.
 */
const SERVER_OWNED = ['id', 'version', 'createdAt', 'updatedAt', 'archivedAt', 'createdBy', 'code', 'fullNameHash'];
const PRIVILEGE = ['role', 'countryCodes', 'partnerId', 'status', 'passwordHash', 'isAdmin'];

interface OpenApi {
  paths: Record<string, Record<string, { requestBody?: { content: Record<string, { schema: { $ref?: string } }> } }>>;
  components: { schemas: Record<string, { properties?: Record<string, unknown> }> };
}

describe('API3: object property level authorisation', () => {
  let w: World;
  let doc: OpenApi;
  let admin: Caller;
  const V1 = '/api/v1';

  before(async () => {
    w = await buildWorld(await startTestApp());
    admin = w.callers.find((c) => c.role === 'admin')!;
    doc = (await w.t.http.get('/docs/openapi.json')).body as OpenApi;
  });
  after(() => w.t.close());

  /** The properties the route's request body declares in the OpenAPI document. */
  function declared(method: string, path: string): string[] {
    const ref = doc.paths[path]?.[method.toLowerCase()]?.requestBody?.content['application/json']?.schema.$ref;
    if (!ref) return [];
    return Object.keys(doc.components.schemas[ref.split('/').pop()!].properties ?? {});
  }

  it('refuses server-owned and privilege fields on every create and update body (400, nothing written)', async () => {
    const routes = Object.entries(ROUTES).filter(([key, e]) => e.body && /^(POST|PATCH) /.test(key) && key !== 'POST /api/v1/sync');
    const failures: string[] = [];
    let n = 0;
    for (const [key, entry] of routes) {
      const [method, path] = key.split(' ');
      const own = declared(method, path);
      assert.ok(own.length > 0, `${key}: the OpenAPI document declares no body properties`);
      const target: Target = entry.target ? await makers[entry.target](w, w.places.A1, admin, 'A1') : {};
      const url = path.replace(/\{(\w+)\}/g, (_, name: string) => target[name]);
      const extras = [...SERVER_OWNED, ...PRIVILEGE].filter((f) => !own.includes(f));
      const counts = await rowCounts(w.t);
      for (const field of extras) {
        n += 1;
        const body = { ...entry.body!(w.places.A1, w), [field]: field === 'countryCodes' ? ['IQ'] : field === 'role' ? 'admin' : field === 'version' ? 99 : 'x' };
        const res = await call(w.t, method, url, admin.headers, body);
        const named = (res.body.errors ?? []).some((e: { field: string }) => e.field.endsWith(field));
        if (res.status !== 400 || !named) failures.push(`${key} + ${field}: ${res.status} ${JSON.stringify(res.body).slice(0, 200)}`);
      }
      assert.deepEqual(await rowCounts(w.t), counts, `${key}: a refused body wrote a row`);
    }
    assert.deepEqual(failures, []);
    console.log(`# API3: ${n} mass-assignment attempts over ${routes.length} create/update routes, all 400`);
  });

  it('shows no name or phone number to hq_analyst or partners on any GET route or sync answer; admin sees them', async () => {
    const place = w.places.A1;
    const person = bodies.participant(place);
    const participant = await call(w.t, 'POST', `${V1}/participants`, admin.headers, person);
    assert.equal(participant.status, 201, JSON.stringify(participant.body));
    const officer = bodies.policePartner(place);
    const police = await call(w.t, 'POST', `${V1}/police-partners`, admin.headers, officer);
    assert.equal(police.status, 201, JSON.stringify(police.body));
    const session = await call(w.t, 'POST', `${V1}/sessions`, admin.headers, {
      ...bodies.session(place),
      attendance: [
        { participantId: participant.body.id, role: 'attendee' },
        { policePartnerId: police.body.id, role: 'attendee' },
      ],
    });
    assert.equal(session.status, 201, JSON.stringify(session.body));
    const dispute = await call(w.t, 'POST', `${V1}/disputes`, admin.headers, {
      ...bodies.dispute(place),
      parties: [{ label: 'A family', participantId: participant.body.id }],
      mediatorIds: [participant.body.id],
    });
    assert.equal(dispute.status, 201, JSON.stringify(dispute.body));
    const secrets = [person.fullName, person.phone, officer.fullName];

    const targets: Record<string, Target> = {
      participant: { id: participant.body.id },
      policePartner: { id: police.body.id },
      session: { id: session.body.id, actionPointId: session.body.actionPoints[0].id },
      dispute: { id: dispute.body.id },
    };
    const gets = Object.entries(ROUTES).filter(([key, e]) => key.startsWith('GET /api/v1/') && e.roles !== 'public');
    const leaks: string[] = [];
    let shown = 0;
    let scanned = 0;
    for (const caller of w.callers.filter((c) => c.name !== 'partner P1 API key')) {
      for (const [key, entry] of gets) {
        if (entry.roles === 'public' || !entry.roles.includes(caller.role)) continue;
        const kind = entry.target;
        const target = kind ? (targets[kind] ?? (await makers[kind](w, place, caller, 'A1'))) : {};
        const url = key.slice(4).replace(/\{(\w+)\}/g, (_, name: string) => target[name]) + (entry.query?.(place) ?? '');
        const res = await call(w.t, 'GET', url, caller.headers);
        scanned += 1;
        const text = JSON.stringify(res.body);
        const found = secrets.filter((s) => text.includes(s));
        // Admin and the country staff of the person's country are meant to see identities.
        if (caller.role === 'admin' || caller.role === 'country_staff') shown += found.length;
        else if (found.length) leaks.push(`${key} as ${caller.name} shows ${found.join(', ')}`);
      }
    }
    // The partner's own sync answer for a session naming the participant.
    const partner = w.callers.find((c) => c.name === 'partner P1')!;
    const sync = await call(w.t, 'POST', `${V1}/sync`, partner.headers, {
      operations: [{ clientId: randomUUID(), resource: 'sessions', method: 'POST', body: { ...bodies.session(place), attendance: [{ participantId: participant.body.id, role: 'attendee' }] } }],
    });
    assert.equal(sync.status, 200);
    assert.equal(sync.body.results[0].status, 201, JSON.stringify(sync.body));
    if (secrets.some((s) => JSON.stringify(sync.body).includes(s))) leaks.push('sync answer to a partner shows a name');
    assert.deepEqual(leaks, []);
    assert.ok(shown >= 6, `admin and country staff should see the names and phones (saw ${shown}): the scan is looking in the wrong place`);
    console.log(`# API3: ${scanned} GET responses scanned for personal data`);
  });

  it('does not return secrets: no password or key hashes in users and API keys', async () => {
    const users = await call(w.t, 'GET', `${V1}/users`, admin.headers);
    const keys = await call(w.t, 'GET', `${V1}/api-keys`, admin.headers);
    assert.doesNotMatch(JSON.stringify(users.body) + JSON.stringify(keys.body), /password|hash|secret/i);
  });
});
