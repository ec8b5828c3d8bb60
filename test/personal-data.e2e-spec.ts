import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { DataSource } from 'typeorm';
import { RequestContext } from '../src/common/context/request-context';
import { PeopleService } from '../src/people/people.service';
import { adminToken, auditCount, createUser } from './support/auth';
import { insertNetwork, insertParticipant, insertPartner, insertPolicePartner } from './support/fixtures';
import { auditRows, bearer, participantBody } from './support/people';
import { startTestApp, TestApp } from './support/test-app';

describe('personal data of participants', () => {
  let t: TestApp;
  let admin: string;
  let staffNP: string;
  let staffIQ: string;
  let analyst: string;
  let partner: string;
  let netA: string;

  before(async () => {
    t = await startTestApp();
    admin = await adminToken(t);
    netA = await insertNetwork(t.db, { countryCode: 'NP' });
    const partnerId = await insertPartner(t.db, { countryCode: 'NP', networkIds: [netA] });
    staffNP = (await createUser(t, admin, { role: 'country_staff', countryCodes: ['NP'] })).token;
    staffIQ = (await createUser(t, admin, { role: 'country_staff', countryCodes: ['IQ'] })).token;
    analyst = (await createUser(t, admin, { role: 'hq_analyst' })).token;
    partner = (await createUser(t, admin, { role: 'partner', partnerId })).token;
  });
  after(() => t.close());

  const create = (token: string, overrides: Record<string, unknown> = {}, query = '') =>
    t.http.post(`/api/v1/participants${query}`).set(bearer(token)).send(participantBody(overrides));

  it('stores name and phone only as ciphertext', async () => {
    const p = (await create(admin, { fullName: 'Amina Yusuf', phone: '+977-9800000001' })).body;
    const row = (await t.db.query('SELECT full_name_enc, phone_enc, identity_index FROM participants WHERE id = $1', [p.id])).rows[0];
    assert.match(row.full_name_enc, /^v1:/);
    assert.match(row.phone_enc, /^v1:/);
    assert.ok(!row.full_name_enc.includes('Amina') && !row.phone_enc.includes('9800000001'));
    assert.ok(!row.identity_index.includes('amina'));
    // Nor does the audit log keep a second copy.
    const audit = JSON.stringify((await t.db.query('SELECT changes FROM audit_events WHERE entity_id = $1', [p.id])).rows);
    assert.ok(!audit.includes('Amina') && !audit.includes('9800000001'));
  });

  it('keeps the copy of a response stored for retries encrypted, and erasure deletes it', async () => {
    const body = participantBody({ fullName: 'Layla Retry-Copy', phone: '+977-9811112222' });
    const first = await t.http.post('/api/v1/participants').set(bearer(admin)).set('Idempotency-Key', 'pd-retry-1').send(body);
    assert.equal(first.status, 201);
    const stored = JSON.stringify((await t.db.query(`SELECT response_body FROM idempotency_keys WHERE key = 'pd-retry-1'`)).rows);
    assert.ok(!stored.includes('Layla') && !stored.includes('9811112222'), 'no clear text in the idempotency store');
    const replay = await t.http.post('/api/v1/participants').set(bearer(admin)).set('Idempotency-Key', 'pd-retry-1').send(body);
    assert.equal(replay.status, 201);
    assert.equal(replay.body.fullName, 'Layla Retry-Copy');
    assert.equal(replay.body.id, first.body.id);

    assert.equal((await t.http.post(`/api/v1/participants/${first.body.id}/erase`).set(bearer(admin))).status, 200);
    const left = await t.db.query(`SELECT count(*)::int AS n FROM idempotency_keys WHERE key = 'pd-retry-1'`);
    assert.equal(left.rows[0].n, 0, 'the retry copy of an erased person is gone');
  });

  it('leaves fullName and phone out entirely for partners, in reads and lists; hq_analyst reads no one', async () => {
    const p = (await create(staffNP, { networkIds: [netA] })).body;
    assert.equal((await t.http.get(`/api/v1/participants/${p.id}`).set(bearer(analyst))).status, 403);
    assert.equal((await t.http.get('/api/v1/participants').set(bearer(analyst))).status, 403);
    for (const token of [partner]) {
      const one = await t.http.get(`/api/v1/participants/${p.id}`).set(bearer(token));
      assert.equal(one.status, 200);
      assert.ok(!('fullName' in one.body) && !('phone' in one.body));
      const list = await t.http.get('/api/v1/participants?limit=200').set(bearer(token));
      assert.ok(list.body.data.some((x: { id: string }) => x.id === p.id));
      for (const item of list.body.data) assert.ok(!('fullName' in item) && !('phone' in item));
    }
  });

  it('audits every response that shows an identity, and none that does not', async () => {
    const p = (await create(staffNP, { networkIds: [netA] })).body;
    assert.equal((await auditRows(t, 'participant', p.id, 'view_personal_data')).length, 1); // the create response
    await t.http.get(`/api/v1/participants/${p.id}`).set(bearer(admin));
    const views = await auditRows(t, 'participant', p.id, 'view_personal_data');
    assert.equal(views.length, 2);
    assert.equal(views[1].actor_role, 'admin');

    const before = await auditCount(t);
    const page = await t.http.get('/api/v1/participants?limit=200').set(bearer(staffNP));
    assert.equal(await auditCount(t), before + 1);
    const listRow = (await t.db.query(`SELECT entity_id, changes FROM audit_events WHERE action = 'view_personal_data' ORDER BY seq DESC LIMIT 1`)).rows[0];
    assert.equal(listRow.entity_id, 'list');
    // Erased people show no identity, so the disclosure lists only those shown with a name.
    assert.deepEqual(listRow.changes.ids, page.body.data.filter((x: object) => 'fullName' in x).map((x: { id: string }) => x.id));

    const quiet = await auditCount(t);
    await t.http.get(`/api/v1/participants/${p.id}`).set(bearer(partner));
    await t.http.get('/api/v1/participants?countryCode=IQ').set(bearer(staffIQ)); // an empty page shows no one
    assert.equal(await auditCount(t), quiet);
  });

  it('detects duplicates by normalised name and phone within a country, without clear text', async () => {
    const first = (await create(admin, { fullName: 'José Álvarez', phone: '+977 980-1234567' })).body;
    const dup = await create(staffNP, { fullName: '  jose  ALVAREZ ', phone: '+977-980 1234567' });
    assert.equal(dup.status, 409);
    assert.equal(dup.body.existingId, first.id);
    assert.match(dup.body.type, /duplicate/);
    assert.ok(!JSON.stringify(dup.body).includes('Álvarez'));
    const allowed = await create(staffNP, { fullName: 'José Álvarez', phone: '+977 980-1234567' }, '?allowDuplicate=true');
    assert.equal(allowed.status, 201);
    assert.equal((await create(admin, { countryCode: 'IQ', fullName: 'José Álvarez', phone: '+977 980-1234567' })).status, 201);
    assert.equal((await create(admin, { fullName: 'José Álvarez', phone: '+977 980-7654321' })).status, 201);
    // Renaming someone else into the same identity is caught too.
    const other = (await create(admin, { fullName: 'Someone Else', phone: '+977 980-1234567' })).body;
    const rename = await t.http.patch(`/api/v1/participants/${other.id}`).set(bearer(admin)).send({ fullName: 'Jose Alvarez' });
    assert.equal(rename.status, 409);
  });

  it('erases the identity for good: nulls in SQL, no name for anyone, code kept, idempotent, audited once', async () => {
    const p = (await create(staffNP, { fullName: 'Erase Me', phone: '+977-9811111111', networkIds: [netA] })).body;
    assert.equal((await t.http.post(`/api/v1/participants/${p.id}/erase`).set(bearer(analyst))).status, 403);
    assert.equal((await t.http.post(`/api/v1/participants/${p.id}/erase`).set(bearer(staffIQ))).status, 404);
    const erased = await t.http.post(`/api/v1/participants/${p.id}/erase`).set(bearer(staffNP));
    assert.equal(erased.status, 200);
    assert.ok(erased.body.erasedAt);
    assert.ok(!('fullName' in erased.body) && !('phone' in erased.body));
    const again = await t.http.post(`/api/v1/participants/${p.id}/erase`).set(bearer(admin));
    assert.equal(again.status, 200);
    assert.equal(again.body.erasedAt, erased.body.erasedAt);
    const eraseRows = await auditRows(t, 'participant', p.id, 'erase');
    assert.equal(eraseRows.length, 1);
    const row = (await t.db.query('SELECT code, full_name_enc, phone_enc, identity_index, erased_at, stakeholder_group FROM participants WHERE id = $1', [p.id])).rows[0];
    assert.deepEqual([row.code, row.full_name_enc, row.phone_enc, row.identity_index, row.stakeholder_group], [p.code, null, null, null, 'journalist']);
    assert.ok(row.erased_at);
    const viewsBefore = (await auditRows(t, 'participant', p.id, 'view_personal_data')).length;
    for (const token of [admin, staffNP, partner]) {
      const read = await t.http.get(`/api/v1/participants/${p.id}`).set(bearer(token));
      assert.equal(read.status, 200);
      assert.ok(!('fullName' in read.body) && !('phone' in read.body));
      assert.equal(read.body.code, p.code);
      assert.ok(read.body.erasedAt);
    }
    assert.equal((await auditRows(t, 'participant', p.id, 'view_personal_data')).length, viewsBefore);
    const refill = await t.http.patch(`/api/v1/participants/${p.id}`).set(bearer(admin)).send({ fullName: 'Erase Me' });
    assert.equal(refill.status, 409);
    // The erased person no longer blocks a new record with the same identity.
    assert.equal((await create(staffNP, { fullName: 'Erase Me', phone: '+977-9811111111' })).status, 201);
  });

  describe('PeopleService.requireAttendable (for sessions)', () => {
    const ctxOf = (principal: Partial<RequestContext['principal']>): RequestContext => ({
      principal: { kind: 'user', id: '00000000-0000-4000-8000-000000000009', role: 'admin', countryCodes: [], partnerId: null, ...principal },
      requestId: 'test',
      idempotent: false,
    });
    const check = (ctx: RequestContext, refs: { participantIds?: string[]; policePartnerIds?: string[]; countryCode: string }) =>
      t.app.get(DataSource).transaction((manager) => t.app.get(PeopleService).requireAttendable(manager, ctx, refs));

    const is404 = (e: { problem?: { status: number } }) => e.problem?.status === 404;

    it('accepts consenting, visible people of the country and names the field or code otherwise', async () => {
      const ok = await insertParticipant(t.db, { countryCode: 'NP', networkIds: [netA] });
      const noConsent = await insertParticipant(t.db, { countryCode: 'NP', consentGiven: false });
      const iraqi = await insertParticipant(t.db, { countryCode: 'IQ' });
      const police = await insertPolicePartner(t.db, { countryCode: 'NP', networkIds: [netA] });
      const iraqiPolice = await insertPolicePartner(t.db, { countryCode: 'IQ' });
      const admin = ctxOf({});
      await check(admin, { participantIds: [ok], policePartnerIds: [police], countryCode: 'NP' });
      await assert.rejects(check(admin, { participantIds: [ok, iraqi], countryCode: 'NP' }), (e: { problem: { status: number; errors: { field: string }[] } }) => {
        assert.equal(e.problem.status, 404);
        assert.equal(e.problem.errors[0].field, 'participantIds');
        return true;
      });
      await assert.rejects(check(admin, { policePartnerIds: [iraqiPolice], countryCode: 'NP' }), (e: { problem: { errors: { field: string }[] } }) => {
        assert.equal(e.problem.errors[0].field, 'policePartnerIds');
        return true;
      });
      const code = (await t.db.query('SELECT code FROM participants WHERE id = $1', [noConsent])).rows[0].code;
      await assert.rejects(check(admin, { participantIds: [noConsent], countryCode: 'NP' }), (e: { problem: { status: number; detail: string } }) => {
        assert.equal(e.problem.status, 409);
        assert.ok(e.problem.detail.includes(code));
        return true;
      });
      // Visibility follows the caller: IQ staff and a partner without the network see none of them.
      await assert.rejects(check(ctxOf({ role: 'country_staff', countryCodes: ['IQ'] }), { participantIds: [ok], countryCode: 'NP' }), is404);
      const otherPartner = await insertPartner(t.db, { countryCode: 'NP' });
      await assert.rejects(check(ctxOf({ role: 'partner', partnerId: otherPartner }), { policePartnerIds: [police], countryCode: 'NP' }), is404);
      const assigned = (await t.db.query('SELECT partner_id FROM partner_networks WHERE network_id = $1', [netA])).rows[0].partner_id;
      await check(ctxOf({ role: 'partner', partnerId: assigned }), { participantIds: [ok], policePartnerIds: [police], countryCode: 'NP' });
    });
  });
});
