import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { adminToken, auditCount, createUser } from './support/auth';
import { insertNetwork, insertPartner } from './support/fixtures';
import { auditRows, bearer, policePartnerBody } from './support/people';
import { startTestApp, TestApp } from './support/test-app';

describe('/police-partners', () => {
  let t: TestApp;
  let admin: string;
  let staffNP: string;
  let staffIQ: string;
  let analyst: string;
  let partner: string;
  let netA: string;
  let netB: string;
  let netIQ: string;

  before(async () => {
    t = await startTestApp();
    admin = await adminToken(t);
    netA = await insertNetwork(t.db, { countryCode: 'NP' });
    netB = await insertNetwork(t.db, { countryCode: 'NP' });
    netIQ = await insertNetwork(t.db, { countryCode: 'IQ' });
    const partnerId = await insertPartner(t.db, { countryCode: 'NP', networkIds: [netA] });
    staffNP = (await createUser(t, admin, { role: 'country_staff', countryCodes: ['NP'] })).token;
    staffIQ = (await createUser(t, admin, { role: 'country_staff', countryCodes: ['IQ'] })).token;
    analyst = (await createUser(t, admin, { role: 'hq_analyst' })).token;
    partner = (await createUser(t, admin, { role: 'partner', partnerId })).token;
  });
  after(() => t.close());

  const create = (token: string, overrides: Record<string, unknown> = {}, query = '') =>
    t.http.post(`/api/v1/police-partners${query}`).set(bearer(token)).send(policePartnerBody(overrides));

  it('creates with a generated NP-S code, encrypted name and one create row', async () => {
    const body = policePartnerBody({ networkIds: [netA] });
    const res = await t.http.post('/api/v1/police-partners').set(bearer(staffNP)).send(body);
    assert.equal(res.status, 201, JSON.stringify(res.body));
    assert.equal(res.headers.location, `/api/v1/police-partners/${res.body.id}`);
    assert.match(res.body.code, /^NP-S-\d{6}$/);
    assert.equal(res.body.fullName, body.fullName);
    assert.deepEqual([res.body.institution, res.body.rank, res.body.networkIds], ['police', 'Inspector', [netA]]);
    const row = (await t.db.query('SELECT full_name_enc FROM police_partners WHERE id = $1', [res.body.id])).rows[0];
    assert.match(row.full_name_enc, /^v1:/);
    assert.ok(!row.full_name_enc.includes(body.fullName as string));
    const writes = await auditRows(t, 'police_partner', res.body.id, 'create');
    assert.equal(writes.length, 1);
    assert.deepEqual(writes[0].changes.fullName, { to: '[redacted]' });
  });

  it('shows the name only to admin and own-country staff; 404 outside scope; refuses writes by other roles', async () => {
    const p = (await create(admin, { networkIds: [netA] })).body;
    for (const token of [admin, staffNP]) assert.equal((await t.http.get(`/api/v1/police-partners/${p.id}`).set(bearer(token))).body.fullName, p.fullName);
    assert.equal((await t.http.get(`/api/v1/police-partners/${p.id}`).set(bearer(analyst))).status, 403, 'hq_analyst reads no records of single people');
    for (const token of [partner]) {
      const res = await t.http.get(`/api/v1/police-partners/${p.id}`).set(bearer(token));
      assert.equal(res.status, 200);
      assert.ok(!('fullName' in res.body));
      const list = await t.http.get('/api/v1/police-partners').set(bearer(token));
      assert.ok(list.body.data.every((x: object) => !('fullName' in x)));
    }
    assert.equal((await t.http.get(`/api/v1/police-partners/${p.id}`).set(bearer(staffIQ))).status, 404);
    const before = await auditCount(t);
    assert.equal((await create(analyst)).status, 403);
    assert.equal((await create(partner)).status, 403);
    assert.equal((await create(staffIQ)).status, 404);
    assert.equal((await create(admin, { networkIds: [netIQ] })).status, 404);
    assert.equal((await t.http.patch(`/api/v1/police-partners/${p.id}`).set(bearer(staffIQ)).send({ rank: 'x' })).status, 404);
    assert.equal((await t.http.patch(`/api/v1/police-partners/${p.id}`).set(bearer(partner)).send({ rank: 'x' })).status, 403);
    assert.equal(await auditCount(t), before);
  });

  it('lists with each filter and keeps other countries and unassigned networks absent', async () => {
    const judge = (await create(admin, { institution: 'judiciary', networkIds: [netB] })).body;
    const prosecutor = (await create(admin, { institution: 'prosecution', networkIds: [netA] })).body;
    const iraqi = (await create(admin, { countryCode: 'IQ', institution: 'judiciary', networkIds: [netIQ] })).body;
    const ids = async (token: string, query: string) =>
      (await t.http.get(`/api/v1/police-partners?limit=200&${query}`).set(bearer(token))).body.data.map((p: { id: string }) => p.id) as string[];
    assert.deepEqual(await ids(admin, 'institution=judiciary'), [iraqi.id, judge.id]);
    assert.deepEqual(await ids(admin, 'institution=judiciary&countryCode=NP'), [judge.id]);
    assert.deepEqual(await ids(admin, `networkId=${netB}`), [judge.id]);
    assert.deepEqual(await ids(staffNP, 'institution=judiciary'), [judge.id]);
    const partnerSees = await ids(partner, '');
    assert.ok(partnerSees.includes(prosecutor.id) && !partnerSees.includes(judge.id) && !partnerSees.includes(iraqi.id));
  });

  it('patches with If-Match (stale → 412, nothing changed) and archives', async () => {
    const p = (await create(staffNP)).body;
    const ok = await t.http.patch(`/api/v1/police-partners/${p.id}`).set(bearer(staffNP)).set('If-Match', '"1"').send({ rank: 'Superintendent', unit: null, networkIds: [netB] });
    assert.equal(ok.status, 200);
    assert.deepEqual([ok.body.rank, ok.body.unit, ok.body.networkIds, ok.body.version], ['Superintendent', null, [netB], 2]);
    const before = await auditCount(t);
    const stale = await t.http.patch(`/api/v1/police-partners/${p.id}`).set(bearer(staffNP)).set('If-Match', '"1"').send({ rank: 'Constable' });
    assert.equal(stale.status, 412);
    assert.equal(await auditCount(t), before);
    assert.equal((await t.db.query('SELECT rank FROM police_partners WHERE id = $1', [p.id])).rows[0].rank, 'Superintendent');
    assert.equal((await t.http.delete(`/api/v1/police-partners/${p.id}`).set(bearer(staffNP))).status, 204);
    assert.equal((await auditRows(t, 'police_partner', p.id, 'archive')).length, 1);
    const listed = await t.http.get('/api/v1/police-partners?limit=200').set(bearer(admin));
    assert.ok(!listed.body.data.some((x: { id: string }) => x.id === p.id));
    const all = await t.http.get('/api/v1/police-partners?limit=200&includeArchived=true').set(bearer(admin));
    assert.ok(all.body.data.some((x: { id: string }) => x.id === p.id));
  });

  it('detects a duplicate by normalised name within country and institution', async () => {
    const first = (await create(admin, { fullName: 'Hari Prasad Adhikari', institution: 'police' })).body;
    const dup = await create(admin, { fullName: '  hari  prasad ADHIKARI ', institution: 'police' });
    assert.equal(dup.status, 409);
    assert.equal(dup.body.existingId, first.id);
    assert.equal((await create(admin, { fullName: 'Hari Prasad Adhikari', institution: 'judiciary' })).status, 201);
    assert.equal((await create(admin, { fullName: 'Hari Prasad Adhikari', countryCode: 'IQ' })).status, 201);
    assert.equal((await create(admin, { fullName: 'Hari Prasad Adhikari' }, '?allowDuplicate=true')).status, 201);
  });

  it('erases the name for good, keeps the code, is idempotent and audited once', async () => {
    const p = (await create(staffNP, { networkIds: [netA] })).body;
    const erased = await t.http.post(`/api/v1/police-partners/${p.id}/erase`).set(bearer(staffNP));
    assert.equal(erased.status, 200);
    assert.ok(erased.body.erasedAt);
    assert.ok(!('fullName' in erased.body));
    assert.equal((await t.http.post(`/api/v1/police-partners/${p.id}/erase`).set(bearer(admin))).status, 200);
    assert.equal((await auditRows(t, 'police_partner', p.id, 'erase')).length, 1);
    const row = (await t.db.query('SELECT code, full_name_enc, identity_index FROM police_partners WHERE id = $1', [p.id])).rows[0];
    assert.deepEqual(row, { code: p.code, full_name_enc: null, identity_index: null });
    const read = await t.http.get(`/api/v1/police-partners/${p.id}`).set(bearer(admin));
    assert.ok(!('fullName' in read.body));
    assert.equal(read.body.code, p.code);
  });
});
