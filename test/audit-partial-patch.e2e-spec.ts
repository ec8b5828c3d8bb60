import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { startTestApp } from './support/test-app';
import { ROUTES } from './security/route-matrix';
import { bearer, buildWorld, call, makers, Target, TargetKind, World } from './security/world';

/**
 * Issue 19, item 7: a partial PATCH recorded every field it did not send as changed to null. For
 * every PATCH route the app serves (the route matrix lists them all), one field is sent, and the
 * update event that GET /audit-events shows for the record must name exactly that field.
 */
interface AuditedPatch {
  /** The `entity` of its audit events. */
  entity: string;
  /** The path parameter whose value is the audited record's id. */
  idParam: string;
}

const PATCHES: Record<string, AuditedPatch> = {
  'PATCH /api/v1/users/{id}': { entity: 'user', idParam: 'id' },
  'PATCH /api/v1/countries/{code}': { entity: 'country', idParam: 'code' },
  'PATCH /api/v1/networks/{id}': { entity: 'network', idParam: 'id' },
  'PATCH /api/v1/partners/{id}': { entity: 'partner', idParam: 'id' },
  'PATCH /api/v1/participants/{id}': { entity: 'participant', idParam: 'id' },
  'PATCH /api/v1/police-partners/{id}': { entity: 'police_partner', idParam: 'id' },
  'PATCH /api/v1/sessions/{id}': { entity: 'session', idParam: 'id' },
  'PATCH /api/v1/sessions/{id}/action-points/{actionPointId}': { entity: 'action_point', idParam: 'actionPointId' },
  'PATCH /api/v1/early-warnings/{id}': { entity: 'early_warning', idParam: 'id' },
  'PATCH /api/v1/indicator-values/{id}': { entity: 'indicator_value', idParam: 'id' },
  'PATCH /api/v1/disputes/{id}': { entity: 'dispute', idParam: 'id' },
  'PATCH /api/v1/initiatives/{id}': { entity: 'initiative', idParam: 'id' },
  'PATCH /api/v1/initiatives/{id}/milestones/{milestoneId}': { entity: 'milestone', idParam: 'milestoneId' },
};

describe('audit: a partial PATCH records only the fields it sent and changed', () => {
  let w: World;
  let admin: Record<string, string>;

  before(async () => {
    w = await buildWorld(await startTestApp());
    admin = bearer(w.admin);
  });
  after(() => w.t.close());

  const updates = async (entity: string, entityId: string) => {
    const res = await w.t.http.get(`/api/v1/audit-events?entity=${entity}&entityId=${entityId}&limit=200`).set(admin);
    assert.equal(res.status, 200, JSON.stringify(res.body));
    // The log lists newest first; oldest first reads better here.
    return (res.body.data as { action: string; changes: Record<string, unknown> }[]).filter((e) => e.action === 'update').reverse();
  };
  const fresh = async (route: string): Promise<Target> => makers[ROUTES[route].target as TargetKind](w, w.places.A1, w.callers[0], 'A1');
  const urlOf = (route: string, target: Target) => route.split(' ')[1].replace(/\{(\w+)\}/g, (_, name: string) => target[name]);

  it('covers every PATCH route the route matrix lists', () => {
    const served = Object.keys(ROUTES).filter((k) => k.startsWith('PATCH '));
    assert.deepEqual(served.filter((k) => !PATCHES[k]), [], 'add the new PATCH route to PATCHES');
    assert.deepEqual(Object.keys(PATCHES).filter((k) => !served.includes(k)), []);
  });

  for (const [route, audited] of Object.entries(PATCHES)) {
    it(`${route}: one field sent → an update event with exactly that field`, async () => {
      const target = await fresh(route);
      const body = ROUTES[route].body!(w.places.A1, w) as Record<string, unknown>;
      const [field] = Object.keys(body);
      assert.equal(Object.keys(body).length, 1, 'the matrix body of a PATCH route sends one field');
      const res = await call(w.t, 'PATCH', urlOf(route, target), admin, body);
      assert.equal(res.status, 200, JSON.stringify(res.body));
      const events = await updates(audited.entity, target[audited.idParam]);
      assert.equal(events.length, 1, JSON.stringify(events));
      assert.deepEqual(Object.keys(events[0].changes), [field], JSON.stringify(events[0].changes));
      const again = await call(w.t, 'PATCH', urlOf(route, target), admin, body);
      assert.equal(again.status, 200);
      assert.equal((await updates(audited.entity, target[audited.idParam])).length, 1, 'the same value again changes nothing and records nothing');
    });
  }

  it('records a field cleared with an explicit null, and nothing else', async () => {
    const target = await fresh('PATCH /api/v1/early-warnings/{id}');
    const url = `/api/v1/early-warnings/${target.id}`;
    assert.equal((await call(w.t, 'PATCH', url, admin, { place: 'Market square' })).status, 200);
    assert.equal((await call(w.t, 'PATCH', url, admin, { place: null })).status, 200);
    const events = await updates('early_warning', target.id);
    assert.equal(events.length, 2);
    assert.deepEqual(Object.keys(events[1].changes), ['place']);
    // The place is free text: the audit says it changed, never what it said or says.
    assert.equal((events[1].changes.place as { to: unknown }).to, '[redacted]');
  });

  it('records only the sent field of a PATCH applied through POST /sync', async () => {
    const target = await fresh('PATCH /api/v1/sessions/{id}');
    const res = await call(w.t, 'POST', '/api/v1/sync', admin, {
      operations: [
        { clientId: randomUUID(), resource: 'sessions', method: 'PATCH', id: target.id, version: 1, body: { summary: 'Met the district prosecutor.' } },
        { clientId: randomUUID(), resource: 'action-points', method: 'PATCH', id: target.actionPointId, version: 1, body: { status: 'done' } },
      ],
    });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.deepEqual(res.body.results.map((r: { status: number }) => r.status), [200, 200], JSON.stringify(res.body));
    assert.deepEqual((await updates('session', target.id)).map((e) => Object.keys(e.changes)), [['summary']]);
    assert.deepEqual((await updates('action_point', target.actionPointId)).map((e) => Object.keys(e.changes)), [['status']]);
  });
});
