import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Response } from 'supertest';
import { adminToken, auditCount, createUser } from './support/auth';
import { insertNetwork, insertPartner } from './support/fixtures';
import { startTestApp, TestApp } from './support/test-app';

const auth = (token: string) => ({ Authorization: `Bearer ${token}` });

describe('action points', () => {
  let t: TestApp;
  let admin: string;
  let staffNp: string;
  let staffIq: string;
  let analyst: string;
  let outsider: string;
  let network: string;
  let otherNetwork: string;
  let sessionId: string;
  let points: { id: string }[];

  const session = async (networkId: string, heldOn: string, descriptions: string[]) => {
    const res = await t.http.post('/api/v1/sessions').set(auth(staffNp)).send({
      networkId, title: `Dialogue ${heldOn}`, kind: 'dialogue', heldOn, actionPoints: descriptions.map((description) => ({ description })),
    });
    assert.equal(res.status, 201, JSON.stringify(res.body));
    return res.body;
  };

  before(async () => {
    t = await startTestApp();
    admin = await adminToken(t);
    network = await insertNetwork(t.db, { countryCode: 'NP' });
    otherNetwork = await insertNetwork(t.db, { countryCode: 'NP' });
    const unrelated = await insertNetwork(t.db, { countryCode: 'NP' });
    const outsiderPartner = await insertPartner(t.db, { countryCode: 'NP', networkIds: [unrelated] });
    staffNp = (await createUser(t, admin, { role: 'country_staff', countryCodes: ['NP'] })).token;
    staffIq = (await createUser(t, admin, { role: 'country_staff', countryCodes: ['IQ'] })).token;
    analyst = (await createUser(t, admin, { role: 'hq_analyst' })).token;
    outsider = (await createUser(t, admin, { role: 'partner', partnerId: outsiderPartner })).token;
    const first = await session(network, '2016-03-01', ['Meet the station chief', 'Map disputed land']);
    await session(network, '2016-05-01', ['Report back on the help desk']);
    await session(otherNetwork, '2016-04-01', ['Elsewhere']);
    sessionId = first.id;
    points = first.actionPoints;
  });
  after(() => t.close());

  const patch = (token: string, apId: string, ifMatch: string | null, body: object, sid = sessionId) => {
    const req = t.http.patch(`/api/v1/sessions/${sid}/action-points/${apId}`).set(auth(token));
    if (ifMatch) req.set('If-Match', ifMatch);
    return req.send(body);
  };

  it('follows one up with If-Match on its own version: one audit row; stale → 412, nothing changes', async () => {
    const audits = await auditCount(t);
    const ok = await patch(staffNp, points[0].id, '"1"', { status: 'done', description: 'Met the station chief' });
    assert.equal(ok.status, 200, JSON.stringify(ok.body));
    assert.equal(ok.body.status, 'done');
    assert.equal(ok.body.version, 2);
    assert.equal(ok.headers.etag, '"2"');
    assert.equal(await auditCount(t), audits + 1);
    const audit = await t.db.query('SELECT entity, entity_id FROM audit_events ORDER BY seq DESC LIMIT 1');
    assert.deepEqual(audit.rows[0], { entity: 'action_point', entity_id: points[0].id });

    const stale = await patch(staffNp, points[0].id, '"1"', { status: 'dropped' });
    assert.equal(stale.status, 412);
    const row = await t.db.query('SELECT status, version FROM action_points WHERE id = $1', [points[0].id]);
    assert.deepEqual(row.rows[0], { status: 'done', version: 2 });
    assert.equal(await auditCount(t), audits + 1);
    // The session's own version is untouched: the action point has its own.
    assert.equal((await t.db.query('SELECT version FROM sessions WHERE id = $1', [sessionId])).rows[0].version, 1);
  });

  it('validates the body and the path', async () => {
    const bad = await patch(staffNp, points[1].id, null, { status: 'finished', dueOn: '2016-13-01', owner: 'x' });
    assert.equal(bad.status, 400);
    assert.deepEqual([...new Set(bad.body.errors.map((e: { field: string }) => e.field))].sort(), ['dueOn', 'owner', 'status']);
    const wrongSession = await patch(staffNp, points[1].id, null, { status: 'done' }, '00000000-0000-4000-8000-000000000001');
    assert.equal(wrongSession.status, 404);
    const notUuid = await patch(staffNp, 'nope', null, { status: 'done' });
    assert.equal(notUuid.status, 400);
  });

  it('refuses hq_analyst (403) and callers outside the scope (404), changing nothing', async () => {
    assert.equal((await patch(analyst, points[1].id, null, { status: 'done' })).status, 403);
    assert.equal((await patch(staffIq, points[1].id, null, { status: 'done' })).status, 404);
    assert.equal((await patch(outsider, points[1].id, null, { status: 'done' })).status, 404);
    assert.equal((await t.db.query('SELECT status FROM action_points WHERE id = $1', [points[1].id])).rows[0].status, 'open');
  });

  it('lists a network\'s action points in the order they were agreed, filtered by status, with sessionId and heldOn', async () => {
    const all = await t.http.get(`/api/v1/action-points?networkId=${network}`).set(auth(staffNp));
    assert.equal(all.status, 200, JSON.stringify(all.body));
    assert.deepEqual(all.body.data.map((a: { description: string; heldOn: string; sessionTitle: string }) => [a.description, a.heldOn, a.sessionTitle]), [
      ['Met the station chief', '2016-03-01', 'Dialogue 2016-03-01'],
      ['Map disputed land', '2016-03-01', 'Dialogue 2016-03-01'],
      ['Report back on the help desk', '2016-05-01', 'Dialogue 2016-05-01'],
    ]);
    assert.equal(all.body.data[0].sessionId, sessionId);
    // hq_analyst reads the same list without the free text, which may name people.
    const hq = await t.http.get(`/api/v1/action-points?networkId=${network}`).set(auth(analyst));
    assert.equal(hq.status, 200, JSON.stringify(hq.body));
    assert.deepEqual(hq.body.data.map((a: { id: string; description: string | null; sessionTitle: string | null }) => [a.id, a.description, a.sessionTitle]),
      all.body.data.map((a: { id: string }) => [a.id, null, null]));
    const open = await t.http.get(`/api/v1/action-points?networkId=${network}&status=open`).set(auth(staffNp));
    assert.deepEqual(open.body.data.map((a: { description: string }) => a.description), ['Map disputed land', 'Report back on the help desk']);

    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const res: Response = await t.http.get(`/api/v1/action-points?networkId=${network}&limit=1${cursor ? `&cursor=${cursor}` : ''}`).set(auth(staffNp));
      assert.equal(res.status, 200);
      seen.push(...res.body.data.map((a: { id: string }) => a.id));
      cursor = res.body.nextCursor;
    } while (cursor);
    assert.deepEqual(seen, all.body.data.map((a: { id: string }) => a.id));
  });

  it('lists nothing outside the caller\'s scope and requires a networkId', async () => {
    for (const token of [staffIq, outsider]) {
      const res = await t.http.get(`/api/v1/action-points?networkId=${network}`).set(auth(token));
      assert.equal(res.status, 200);
      assert.deepEqual(res.body.data, []);
    }
    const missing = await t.http.get('/api/v1/action-points').set(auth(admin));
    assert.equal(missing.status, 400);
    assert.equal(missing.body.errors[0].field, 'networkId');
  });

  it('leaves action points of archived sessions out of the list', async () => {
    assert.equal((await t.http.delete(`/api/v1/sessions/${sessionId}`).set(auth(staffNp))).status, 204);
    const res = await t.http.get(`/api/v1/action-points?networkId=${network}`).set(auth(admin));
    assert.deepEqual(res.body.data.map((a: { description: string }) => a.description), ['Report back on the help desk']);
  });
});
