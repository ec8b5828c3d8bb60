import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { adminToken, createUser } from './support/auth';
import { insertNetwork, insertPartner } from './support/fixtures';
import { startTestApp, TestApp } from './support/test-app';

const auth = (token: string) => ({ Authorization: `Bearer ${token}` });
const ids = (body: { data: { id: string }[] }) => body.data.map((p) => p.id);
const sorted = (a: string[]) => [...a].sort();

describe('/partners', () => {
  let t: TestApp;
  let admin: string;
  let hq: string;
  let staffNP: string;
  let staffIQ: string;
  let banke: string;
  let kailali: string;
  let dang: string;
  let kirkuk: string;
  let iqPartner: string;
  let partner: string;
  let partnerUser: string;

  const audits = async (entityId: string) =>
    Number((await t.db.query(`SELECT count(*) FROM audit_events WHERE entity = 'partner' AND entity_id = $1`, [entityId])).rows[0].count);
  const totalAudits = async () => Number((await t.db.query('SELECT count(*) FROM audit_events')).rows[0].count);
  const assignments = async (partnerId: string) =>
    (await t.db.query('SELECT network_id FROM partner_networks WHERE partner_id = $1 ORDER BY network_id', [partnerId])).rows.map((r) => r.network_id as string);
  const create = (token: string, body: Record<string, unknown>) =>
    t.http.post('/api/v1/partners').set(auth(token)).send({ countryCode: 'NP', name: 'Banke Mediation Centre', kind: 'cbo', ...body });

  before(async () => {
    t = await startTestApp();
    admin = await adminToken(t);
    hq = (await createUser(t, admin, { role: 'hq_analyst' })).token;
    staffNP = (await createUser(t, admin, { role: 'country_staff', countryCodes: ['NP'] })).token;
    staffIQ = (await createUser(t, admin, { role: 'country_staff', countryCodes: ['IQ'] })).token;
    banke = await insertNetwork(t.db, { countryCode: 'NP', name: 'Banke' });
    kailali = await insertNetwork(t.db, { countryCode: 'NP', name: 'Kailali' });
    dang = await insertNetwork(t.db, { countryCode: 'NP', name: 'Dang' });
    kirkuk = await insertNetwork(t.db, { countryCode: 'IQ', name: 'Kirkuk' });
    iqPartner = await insertPartner(t.db, { countryCode: 'IQ', name: 'Kirkuk Civil Society Forum', networkIds: [kirkuk] });
  });
  after(() => t.close());

  it('creates a partner with its network assignments: 201, Location, shape, one audit row', async () => {
    const res = await create(staffNP, { networkIds: [kailali, banke, banke], impartialityCommitmentOn: '2016-02-01' });
    assert.equal(res.status, 201, JSON.stringify(res.body));
    partner = res.body.id;
    assert.equal(res.headers.location, `/api/v1/partners/${partner}`);
    assert.deepEqual(
      { ...res.body, id: undefined, createdAt: undefined, updatedAt: undefined },
      {
        id: undefined,
        countryCode: 'NP',
        name: 'Banke Mediation Centre',
        kind: 'cbo',
        impartialityCommitmentOn: '2016-02-01',
        networkIds: sorted([banke, kailali]),
        version: 1,
        createdAt: undefined,
        updatedAt: undefined,
        archivedAt: null,
      },
    );
    assert.deepEqual(await assignments(partner), sorted([banke, kailali]));
    assert.equal(await audits(partner), 1);
    const audit = await t.db.query(`SELECT changes FROM audit_events WHERE entity_id = $1`, [partner]);
    assert.deepEqual(audit.rows[0].changes.networkIds, { to: sorted([banke, kailali]) });
    partnerUser = (await createUser(t, admin, { role: 'partner', partnerId: partner })).token;
    const network = await t.http.get(`/api/v1/networks/${banke}`).set(auth(staffNP));
    assert.deepEqual(network.body.partnerIds, [partner]);
  });

  it('refuses networks outside scope (404 naming networkIds), in another country (400), and writes nothing', async () => {
    const before = await totalAudits();
    const invisible = await create(staffNP, { name: 'Cross', networkIds: [banke, kirkuk] });
    assert.equal(invisible.status, 404);
    assert.equal(invisible.body.errors[0].field, 'networkIds');
    const otherCountry = await create(admin, { name: 'Cross', networkIds: [kirkuk] });
    assert.equal(otherCountry.status, 400);
    assert.equal(otherCountry.body.errors[0].field, 'networkIds');
    const country = await create(staffNP, { countryCode: 'IQ', name: 'Cross' });
    assert.equal(country.status, 404);
    assert.equal(country.body.errors[0].field, 'countryCode');
    assert.equal(await totalAudits(), before);
    assert.equal((await t.db.query(`SELECT 1 FROM partners WHERE name = 'Cross'`)).rowCount, 0);
  });

  it('refuses writes to hq_analyst and partner users (403)', async () => {
    const before = await totalAudits();
    for (const token of [hq, partnerUser]) {
      assert.equal((await create(token, { name: 'Nope' })).status, 403);
      assert.equal((await t.http.patch(`/api/v1/partners/${partner}`).set(auth(token)).send({ networkIds: [dang] })).status, 403);
      assert.equal((await t.http.delete(`/api/v1/partners/${partner}`).set(auth(token))).status, 403);
    }
    assert.equal(await totalAudits(), before);
    assert.deepEqual(await assignments(partner), sorted([banke, kailali]));
  });

  it('hides other countries\' partners: 404 on read, update, archive; absent from lists; hq reads all', async () => {
    assert.equal((await t.http.get(`/api/v1/partners/${iqPartner}`).set(auth(staffNP))).status, 404);
    assert.equal((await t.http.patch(`/api/v1/partners/${iqPartner}`).set(auth(staffNP)).send({ name: 'Taken over' })).status, 404);
    assert.equal((await t.http.delete(`/api/v1/partners/${iqPartner}`).set(auth(staffNP))).status, 404);
    assert.deepEqual(ids((await t.http.get('/api/v1/partners').set(auth(staffNP))).body), [partner]);
    assert.deepEqual(ids((await t.http.get('/api/v1/partners').set(auth(staffIQ))).body), [iqPartner]);
    assert.deepEqual(sorted(ids((await t.http.get('/api/v1/partners').set(auth(hq))).body)), sorted([partner, iqPartner]));
    assert.equal((await t.http.get(`/api/v1/partners/${iqPartner}`).set(auth(hq))).status, 200);
  });

  it('shows a partner user its own record only', async () => {
    assert.deepEqual(ids((await t.http.get('/api/v1/partners').set(auth(partnerUser))).body), [partner]);
    const own = await t.http.get(`/api/v1/partners/${partner}`).set(auth(partnerUser));
    assert.equal(own.status, 200);
    assert.deepEqual(own.body.networkIds, sorted([banke, kailali]));
    const sibling = await insertPartner(t.db, { countryCode: 'NP', networkIds: [banke] });
    assert.equal((await t.http.get(`/api/v1/partners/${sibling}`).set(auth(partnerUser))).status, 404);
    assert.deepEqual(ids((await t.http.get(`/api/v1/partners?networkId=${banke}`).set(auth(partnerUser))).body), [partner]);
    await t.db.query('DELETE FROM partner_networks WHERE partner_id = $1', [sibling]);
    await t.db.query('DELETE FROM partners WHERE id = $1', [sibling]);
  });

  it('filters by country, kind and network', async () => {
    const ngo = await create(admin, { name: 'Aawaj Nepal', kind: 'ngo', networkIds: [dang] });
    assert.equal(ngo.status, 201);
    const q = async (query: string) => ids((await t.http.get(`/api/v1/partners?${query}`).set(auth(admin))).body);
    assert.deepEqual(await q('countryCode=IQ'), [iqPartner]);
    assert.deepEqual(await q('countryCode=NP'), [ngo.body.id, partner], 'ordered by name');
    assert.deepEqual(await q('kind=ngo'), [ngo.body.id]);
    assert.deepEqual(await q(`networkId=${banke}`), [partner]);
    assert.deepEqual(await q(`networkId=${dang}`), [ngo.body.id]);
    assert.deepEqual(await q('countryCode=NP&kind=csos'), []);
    const bad = await t.http.get('/api/v1/partners?kind=club&networkId=nope').set(auth(admin));
    assert.equal(bad.status, 400);
    const page = await t.http.get('/api/v1/partners?limit=1').set(auth(admin));
    assert.equal(page.body.data.length, 1);
    assert.ok(page.body.nextCursor);
  });

  it('replaces the assignments on PATCH with If-Match, in one audited write; stale → 412 and nothing changes', async () => {
    const get = await t.http.get(`/api/v1/partners/${partner}`).set(auth(staffNP));
    assert.equal(get.headers.etag, '"1"');
    const ok = await t.http.patch(`/api/v1/partners/${partner}`).set(auth(staffNP)).set('If-Match', '"1"').send({ networkIds: [kailali, dang], kind: 'csos' });
    assert.equal(ok.status, 200, JSON.stringify(ok.body));
    assert.equal(ok.body.version, 2);
    assert.deepEqual(ok.body.networkIds, sorted([kailali, dang]));
    assert.deepEqual(await assignments(partner), sorted([kailali, dang]));
    assert.equal(await audits(partner), 2);
    const changes = (await t.db.query(`SELECT changes FROM audit_events WHERE entity_id = $1 AND action = 'update'`, [partner])).rows[0].changes;
    assert.deepEqual(changes, { kind: { from: 'cbo', to: 'csos' }, networkIds: { from: sorted([banke, kailali]), to: sorted([kailali, dang]) } });
    // The partner user's scope follows the assignments at once.
    assert.equal((await t.http.get(`/api/v1/networks/${banke}`).set(auth(partnerUser))).status, 404);
    assert.equal((await t.http.get(`/api/v1/networks/${dang}`).set(auth(partnerUser))).status, 200);

    const stale = await t.http.patch(`/api/v1/partners/${partner}`).set(auth(staffNP)).set('If-Match', '"1"').send({ networkIds: [], name: 'Lost' });
    assert.equal(stale.status, 412);
    assert.deepEqual(await assignments(partner), sorted([kailali, dang]));
    assert.equal((await t.db.query('SELECT name, version FROM partners WHERE id = $1', [partner])).rows[0].version, 2);
    assert.equal(await audits(partner), 2);

    const invisible = await t.http.patch(`/api/v1/partners/${partner}`).set(auth(staffNP)).send({ networkIds: [kirkuk] });
    assert.equal(invisible.status, 404);
    assert.equal(invisible.body.errors[0].field, 'networkIds');
    assert.deepEqual(await assignments(partner), sorted([kailali, dang]));

    const cleared = await t.http.patch(`/api/v1/partners/${partner}`).set(auth(admin)).send({ networkIds: [], impartialityCommitmentOn: null });
    assert.equal(cleared.status, 200);
    assert.deepEqual(cleared.body.networkIds, []);
    assert.equal(cleared.body.impartialityCommitmentOn, null);
    assert.equal(await audits(partner), 3);
    const noop = await t.http.patch(`/api/v1/partners/${partner}`).set(auth(admin)).send({ networkIds: [] });
    assert.equal(noop.body.version, 3);
    assert.equal(await audits(partner), 3, 'a PATCH that changes nothing writes nothing');
  });

  it('rejects unknown fields, a country change, nulls and malformed network ids', async () => {
    const unknown = await create(admin, { name: 'Extra', website: 'x' });
    assert.equal(unknown.status, 400);
    assert.equal(unknown.body.errors[0].field, 'website');
    const patch = await t.http.patch(`/api/v1/partners/${partner}`).set(auth(admin)).send({ countryCode: 'IQ', name: null, networkIds: ['nope'] });
    assert.equal(patch.status, 400);
    assert.deepEqual([...new Set(patch.body.errors.map((e: { field: string }) => e.field))].sort(), ['countryCode', 'name', 'networkIds']);
    assert.equal((await t.http.patch(`/api/v1/partners/${partner}`).set(auth(admin)).send({ networkIds: null })).status, 400);
  });

  it('archives on DELETE: 204, one audit row, gone from lists unless includeArchived', async () => {
    assert.equal((await t.http.delete(`/api/v1/partners/${iqPartner}`).set(auth(staffIQ))).status, 204);
    assert.equal(await audits(iqPartner), 1);
    assert.deepEqual(ids((await t.http.get('/api/v1/partners?countryCode=IQ').set(auth(admin))).body), []);
    const archived = await t.http.get('/api/v1/partners?countryCode=IQ&includeArchived=true').set(auth(admin));
    assert.ok(archived.body.data[0].archivedAt);
    assert.equal((await t.http.delete(`/api/v1/partners/${iqPartner}`).set(auth(staffIQ))).status, 204);
    assert.equal(await audits(iqPartner), 1, 'archiving twice writes nothing');
  });
});
