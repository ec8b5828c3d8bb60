import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { DataSource } from 'typeorm';
import { RequestContext } from '../src/common/context/request-context';
import { ProblemException } from '../src/common/problem/problem';
import { NetworksService } from '../src/programme/networks.service';
import { adminToken, createUser } from './support/auth';
import { insertNetwork, insertPartner } from './support/fixtures';
import { startTestApp, TestApp } from './support/test-app';

const auth = (token: string) => ({ Authorization: `Bearer ${token}` });
const ids = (body: { data: { id: string }[] }) => body.data.map((n) => n.id);

describe('/networks', () => {
  let t: TestApp;
  let admin: string;
  let hq: string;
  let staffNP: string;
  let staffIQ: string;
  let partnerUser: string;
  let partnerId: string;
  let assignedNetwork: string;
  let iqNetwork: string;

  const audits = async (entityId: string) =>
    Number((await t.db.query(`SELECT count(*) FROM audit_events WHERE entity = 'network' AND entity_id = $1`, [entityId])).rows[0].count);
  const totalAudits = async () => Number((await t.db.query('SELECT count(*) FROM audit_events')).rows[0].count);
  const create = (token: string, body: Record<string, unknown>) =>
    t.http.post('/api/v1/networks').set(auth(token)).send({ countryCode: 'NP', adminArea: 'Banke', establishedOn: '2015-03-01', ...body });

  before(async () => {
    t = await startTestApp();
    admin = await adminToken(t);
    hq = (await createUser(t, admin, { role: 'hq_analyst' })).token;
    staffNP = (await createUser(t, admin, { role: 'country_staff', countryCodes: ['NP'] })).token;
    staffIQ = (await createUser(t, admin, { role: 'country_staff', countryCodes: ['IQ'] })).token;
    assignedNetwork = await insertNetwork(t.db, { countryCode: 'NP', name: 'Assigned community', level: 'community' });
    partnerId = await insertPartner(t.db, { countryCode: 'NP', networkIds: [assignedNetwork] });
    await insertPartner(t.db, { countryCode: 'NP', networkIds: [assignedNetwork] }); // a second partner on the same network
    partnerUser = (await createUser(t, admin, { role: 'partner', partnerId })).token;
    iqNetwork = await insertNetwork(t.db, { countryCode: 'IQ', name: 'Kirkuk district', level: 'district' });
  });
  after(() => t.close());

  let national: string;
  let regional: string;
  let district: string;

  it('creates networks down the hierarchy: 201, Location, the documented shape, one audit row each', async () => {
    const n = await create(admin, { name: 'Nepal national focal group', level: 'national', adminArea: 'Nepal' });
    assert.equal(n.status, 201, JSON.stringify(n.body));
    national = n.body.id;
    assert.equal(n.headers.location, `/api/v1/networks/${national}`);
    assert.equal(n.body.parentId, null);
    assert.equal(n.body.location, null);
    assert.equal(n.body.status, 'active');

    const r = await create(staffNP, { name: 'Lumbini regional network', level: 'regional', parentId: national, location: { lat: 27.5, lon: 83.45 } });
    assert.equal(r.status, 201, JSON.stringify(r.body));
    regional = r.body.id;
    assert.deepEqual(
      { ...r.body, id: undefined, createdAt: undefined, updatedAt: undefined },
      {
        id: undefined,
        countryCode: 'NP',
        name: 'Lumbini regional network',
        level: 'regional',
        parentId: national,
        adminArea: 'Banke',
        location: { lat: 27.5, lon: 83.45 },
        establishedOn: '2015-03-01',
        status: 'active',
        partnerIds: [],
        version: 1,
        createdAt: undefined,
        updatedAt: undefined,
        archivedAt: null,
      },
    );
    const d = await create(staffNP, { name: 'Banke district network', level: 'district', parentId: regional, status: 'dormant' });
    assert.equal(d.status, 201);
    district = d.body.id;
    for (const id of [national, regional, district]) assert.equal(await audits(id), 1);
    const row = await t.db.query(`SELECT action, actor_role, changes FROM audit_events WHERE entity_id = $1`, [regional]);
    assert.equal(row.rows[0].action, 'create');
    assert.equal(row.rows[0].actor_role, 'country_staff');
    assert.deepEqual(row.rows[0].changes.location, { to: { lat: 27.5, lon: 83.45 } });
  });

  it('refuses writes to hq_analyst and partner users (403) and writes nothing', async () => {
    const before = await totalAudits();
    for (const token of [hq, partnerUser]) {
      assert.equal((await create(token, { name: 'Nope', level: 'district' })).status, 403);
      assert.equal((await t.http.patch(`/api/v1/networks/${assignedNetwork}`).set(auth(token)).send({ name: 'Renamed' })).status, 403);
      assert.equal((await t.http.delete(`/api/v1/networks/${assignedNetwork}`).set(auth(token))).status, 403);
    }
    assert.equal(await totalAudits(), before);
    assert.equal((await t.db.query(`SELECT 1 FROM networks WHERE name IN ('Nope', 'Renamed')`)).rowCount, 0);
  });

  it('answers a country outside the caller\'s scope, or unknown, with 404 naming countryCode', async () => {
    const before = await totalAudits();
    for (const [token, code] of [[staffNP, 'IQ'], [admin, 'ZZ']] as const) {
      const res = await create(token, { countryCode: code, name: 'Elsewhere', level: 'district' });
      assert.equal(res.status, 404);
      assert.deepEqual(res.body.errors.map((e: { field: string }) => e.field), ['countryCode']);
    }
    assert.equal(await totalAudits(), before);
  });

  it('refuses a parent in another country: 404 when invisible, 400 when visible, the field named', async () => {
    const invisible = await create(staffNP, { name: 'Cross parent', level: 'community', parentId: iqNetwork });
    assert.equal(invisible.status, 404);
    assert.equal(invisible.body.errors[0].field, 'parentId');
    assert.doesNotMatch(invisible.body.detail, /Iraq|IQ|Kirkuk/);
    const visible = await create(admin, { name: 'Cross parent', level: 'community', parentId: iqNetwork });
    assert.equal(visible.status, 400);
    assert.equal(visible.body.errors[0].field, 'parentId');
    const unknown = await create(admin, { name: 'Orphan', level: 'community', parentId: '00000000-0000-4000-8000-00000000abcd' });
    assert.equal(unknown.status, 404);
    assert.equal((await t.db.query(`SELECT 1 FROM networks WHERE name IN ('Cross parent', 'Orphan')`)).rowCount, 0);
  });

  it('keeps the hierarchy sensible: a parent must be of a higher level', async () => {
    for (const [level, parentId] of [['regional', district], ['district', district], ['national', national]] as const) {
      const res = await create(staffNP, { name: 'Upside down', level, parentId });
      assert.equal(res.status, 400, `${level} under ${parentId}`);
      assert.equal(res.body.errors[0].field, 'parentId');
    }
  });

  it('prevents cycles and level changes that would put a child at or above its parent', async () => {
    const before = await totalAudits();
    const cycle = await t.http.patch(`/api/v1/networks/${regional}`).set(auth(staffNP)).send({ parentId: district });
    assert.equal(cycle.status, 409);
    assert.equal(cycle.body.errors[0].field, 'parentId');
    const self = await t.http.patch(`/api/v1/networks/${national}`).set(auth(admin)).send({ parentId: national });
    assert.equal(self.status, 409);
    const levelBelowChild = await t.http.patch(`/api/v1/networks/${regional}`).set(auth(staffNP)).send({ level: 'community' });
    assert.equal(levelBelowChild.status, 409);
    assert.equal(levelBelowChild.body.errors[0].field, 'level');
    const levelAboveParent = await t.http.patch(`/api/v1/networks/${district}`).set(auth(staffNP)).send({ level: 'national' });
    assert.equal(levelAboveParent.status, 400);
    assert.equal(levelAboveParent.body.errors[0].field, 'parentId');
    assert.equal(await totalAudits(), before);
    const rows = await t.db.query('SELECT id, parent_id, level FROM networks WHERE id = ANY($1) ORDER BY level', [[national, regional, district]]);
    assert.deepEqual(rows.rows.map((r) => r.parent_id), [regional, null, national]);
  });

  it('hides other countries\' networks: 404 on read, update and archive, absent from lists', async () => {
    assert.equal((await t.http.get(`/api/v1/networks/${regional}`).set(auth(staffIQ))).status, 404);
    assert.equal((await t.http.patch(`/api/v1/networks/${regional}`).set(auth(staffIQ)).send({ name: 'Taken over' })).status, 404);
    assert.equal((await t.http.delete(`/api/v1/networks/${regional}`).set(auth(staffIQ))).status, 404);
    const list = await t.http.get('/api/v1/networks?limit=200').set(auth(staffIQ));
    assert.deepEqual(ids(list.body), [iqNetwork]);
    const filtered = await t.http.get('/api/v1/networks?countryCode=NP').set(auth(staffIQ));
    assert.deepEqual(filtered.body.data, []);
    const npList = await t.http.get('/api/v1/networks?limit=200').set(auth(staffNP));
    assert.ok(!ids(npList.body).includes(iqNetwork));
    assert.equal(npList.body.data.length, 4);
  });

  it('lets hq_analyst read every network', async () => {
    const list = await t.http.get('/api/v1/networks?limit=200').set(auth(hq));
    assert.equal(list.status, 200);
    assert.equal(list.body.data.length, 5);
    assert.equal((await t.http.get(`/api/v1/networks/${iqNetwork}`).set(auth(hq))).status, 200);
  });

  it('shows a partner user only its assigned networks, and only its own partner id', async () => {
    const list = await t.http.get('/api/v1/networks?limit=200').set(auth(partnerUser));
    assert.deepEqual(ids(list.body), [assignedNetwork]);
    assert.deepEqual(list.body.data[0].partnerIds, [partnerId]);
    assert.equal((await t.http.get(`/api/v1/networks/${regional}`).set(auth(partnerUser))).status, 404);
    const one = await t.http.get(`/api/v1/networks/${assignedNetwork}`).set(auth(partnerUser));
    assert.equal(one.status, 200);
    const asAdmin = await t.http.get(`/api/v1/networks/${assignedNetwork}`).set(auth(admin));
    assert.equal(asAdmin.body.partnerIds.length, 2);
  });

  it('filters by country, level, status, partner and parent, ordered by name', async () => {
    const q = async (query: string) => ids((await t.http.get(`/api/v1/networks?limit=200&${query}`).set(auth(admin))).body);
    assert.deepEqual(await q('countryCode=IQ'), [iqNetwork]);
    assert.deepEqual(await q('level=regional'), [regional]);
    assert.deepEqual(await q('status=dormant'), [district]);
    assert.deepEqual(await q(`partnerId=${partnerId}`), [assignedNetwork]);
    assert.deepEqual(await q(`parentId=${national}`), [regional]);
    const all = (await t.http.get('/api/v1/networks?limit=200').set(auth(admin))).body.data.map((n: { name: string }) => n.name);
    assert.deepEqual(all, [...all].sort());
    const bad = await t.http.get('/api/v1/networks?level=province&partnerId=x').set(auth(admin));
    assert.equal(bad.status, 400);
    assert.deepEqual(bad.body.errors.map((e: { field: string }) => e.field).sort(), ['level', 'partnerId']);
  });

  it('pages with a cursor without repeating or skipping', async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const res = await t.http.get(`/api/v1/networks?limit=2${cursor ? `&cursor=${cursor}` : ''}`).set(auth(admin));
      seen.push(...ids(res.body));
      cursor = res.body.nextCursor as string | null;
    } while (cursor);
    assert.deepEqual(seen, ids((await t.http.get('/api/v1/networks?limit=200').set(auth(admin))).body));
  });

  it('updates with If-Match: stale → 412 and nothing changes; one audit row per change', async () => {
    const get = await t.http.get(`/api/v1/networks/${district}`).set(auth(staffNP));
    assert.equal(get.headers.etag, '"1"');
    const ok = await t.http
      .patch(`/api/v1/networks/${district}`)
      .set(auth(staffNP))
      .set('If-Match', '"1"')
      .send({ name: 'Banke district dialogue network', status: 'active', location: { lat: 28.05, lon: 81.6 } });
    assert.equal(ok.status, 200, JSON.stringify(ok.body));
    assert.equal(ok.body.version, 2);
    assert.equal(ok.headers.etag, '"2"');
    assert.deepEqual(ok.body.location, { lat: 28.05, lon: 81.6 });
    assert.equal(await audits(district), 2);
    const changes = (await t.db.query(`SELECT changes FROM audit_events WHERE entity_id = $1 AND action = 'update'`, [district])).rows[0].changes;
    assert.deepEqual(Object.keys(changes).sort(), ['location', 'name', 'status']);

    const stale = await t.http.patch(`/api/v1/networks/${district}`).set(auth(staffNP)).set('If-Match', '"1"').send({ name: 'Lost update' });
    assert.equal(stale.status, 412);
    const row = await t.db.query('SELECT name, version FROM networks WHERE id = $1', [district]);
    assert.deepEqual(row.rows[0], { name: 'Banke district dialogue network', version: 2 });
    assert.equal(await audits(district), 2);

    const cleared = await t.http.patch(`/api/v1/networks/${district}`).set(auth(staffNP)).send({ location: null });
    assert.equal(cleared.body.location, null);
    const noop = await t.http.patch(`/api/v1/networks/${district}`).set(auth(staffNP)).send({ location: null });
    assert.equal(noop.body.version, 3);
    assert.equal(await audits(district), 3, 'a PATCH that changes nothing writes nothing');
  });

  it('rejects unknown fields, a country change, nulls for required fields and malformed ids', async () => {
    const unknown = await create(admin, { name: 'Extra', level: 'district', partnerIds: [], colour: 'blue' });
    assert.equal(unknown.status, 400);
    assert.deepEqual(unknown.body.errors.map((e: { field: string }) => e.field).sort(), ['colour', 'partnerIds']);
    const move = await t.http.patch(`/api/v1/networks/${district}`).set(auth(admin)).send({ countryCode: 'IQ' });
    assert.equal(move.status, 400);
    assert.equal(move.body.errors[0].field, 'countryCode');
    const nullName = await t.http.patch(`/api/v1/networks/${district}`).set(auth(admin)).send({ name: null, location: { lat: 91 } });
    assert.equal(nullName.status, 400);
    assert.deepEqual([...new Set(nullName.body.errors.map((e: { field: string }) => e.field))].sort(), ['location.lat', 'location.lon', 'name']);
    assert.equal((await t.http.get('/api/v1/networks/not-a-uuid').set(auth(admin))).status, 400);
  });

  it('archives on DELETE: 409 while it has active children, then 204, gone from lists unless includeArchived', async () => {
    const busy = await t.http.delete(`/api/v1/networks/${regional}`).set(auth(staffNP));
    assert.equal(busy.status, 409);
    assert.equal((await t.http.delete(`/api/v1/networks/${district}`).set(auth(staffNP))).status, 204);
    assert.equal((await t.http.delete(`/api/v1/networks/${regional}`).set(auth(staffNP))).status, 204);
    assert.equal(await audits(regional), 2);
    const list = await t.http.get('/api/v1/networks?limit=200').set(auth(staffNP));
    assert.ok(!ids(list.body).includes(regional));
    const withArchived = await t.http.get('/api/v1/networks?limit=200&includeArchived=true').set(auth(staffNP));
    assert.ok(withArchived.body.data.find((n: { id: string }) => n.id === regional).archivedAt);
    assert.equal((await t.http.delete(`/api/v1/networks/${regional}`).set(auth(staffNP))).status, 204);
    assert.equal(await audits(regional), 2, 'archiving twice writes nothing');
    const underArchived = await create(staffNP, { name: 'Under archived', level: 'district', parentId: regional });
    assert.equal(underArchived.status, 409);
  });
  it('offers other domains requireVisible: read scope, one 404 naming the field for missing and invisible', async () => {
    const service = t.app.get(NetworksService);
    const manager = t.app.get(DataSource).manager;
    const ctx = (principal: Partial<RequestContext['principal']>): RequestContext => ({
      principal: { kind: 'user', id: '00000000-0000-4000-8000-000000000009', role: 'partner', countryCodes: [], partnerId: null, ...principal },
      requestId: 'test',
      idempotent: false,
    });
    const asPartner = ctx({ role: 'partner', partnerId });
    const [ref] = await service.requireVisible(manager, asPartner, [assignedNetwork], 'networkId');
    assert.deepEqual({ id: ref.id, countryCode: ref.countryCode, level: ref.level }, { id: assignedNetwork, countryCode: 'NP', level: 'community' });
    for (const [principal, id] of [[asPartner, iqNetwork], [ctx({ role: 'country_staff', countryCodes: ['NP'] }), iqNetwork]] as const) {
      await assert.rejects(service.requireVisible(manager, principal, [assignedNetwork, id], 'attendance[0].networkId'), (error: ProblemException) => {
        assert.equal(error.problem.status, 404);
        assert.equal(error.problem.errors?.[0].field, 'attendance[0].networkId');
        return true;
      });
    }
  });
});
