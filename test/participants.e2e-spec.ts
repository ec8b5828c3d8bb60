import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { adminToken, auditCount, createUser } from './support/auth';
import type { Response } from 'supertest';
import { insertNetwork, insertPartner } from './support/fixtures';
import { auditRows, bearer, participantBody } from './support/people';
import { startTestApp, TestApp } from './support/test-app';

describe('/participants', () => {
  let t: TestApp;
  let admin: string;
  let staffNP: string;
  let staffIQ: string;
  let analyst: string;
  let partner: string;
  let otherPartner: string;
  let netA: string; // NP, assigned to `partner`
  let netB: string; // NP, not assigned
  let netIQ: string;

  before(async () => {
    t = await startTestApp();
    admin = await adminToken(t);
    netA = await insertNetwork(t.db, { countryCode: 'NP' });
    netB = await insertNetwork(t.db, { countryCode: 'NP' });
    netIQ = await insertNetwork(t.db, { countryCode: 'IQ' });
    const partnerId = await insertPartner(t.db, { countryCode: 'NP', networkIds: [netA] });
    const otherPartnerId = await insertPartner(t.db, { countryCode: 'NP', networkIds: [] });
    staffNP = (await createUser(t, admin, { role: 'country_staff', countryCodes: ['NP'] })).token;
    staffIQ = (await createUser(t, admin, { role: 'country_staff', countryCodes: ['IQ'] })).token;
    analyst = (await createUser(t, admin, { role: 'hq_analyst' })).token;
    partner = (await createUser(t, admin, { role: 'partner', partnerId })).token;
    otherPartner = (await createUser(t, admin, { role: 'partner', partnerId: otherPartnerId })).token;
  });
  after(() => t.close());

  const create = (token: string, overrides: Record<string, unknown> = {}, query = '') =>
    t.http.post(`/api/v1/participants${query}`).set(bearer(token)).send(participantBody(overrides));

  it('lets country staff create a participant: 201, Location, ETag, generated code, one create row', async () => {
    const body = participantBody({ networkIds: [netA] });
    const res = await t.http.post('/api/v1/participants').set(bearer(staffNP)).send(body);
    assert.equal(res.status, 201, JSON.stringify(res.body));
    assert.equal(res.headers.location, `/api/v1/participants/${res.body.id}`);
    assert.equal(res.headers.etag, '"1"');
    assert.equal(res.headers['cache-control'], 'no-store');
    assert.match(res.body.code, /^NP-P-\d{6}$/);
    assert.equal(res.body.fullName, body.fullName);
    assert.equal(res.body.phone, body.phone);
    assert.deepEqual(res.body.networkIds, [netA]);
    assert.deepEqual(res.body.consent, body.consent);
    assert.equal(res.body.version, 1);
    assert.equal(res.body.erasedAt, null);
    assert.equal(res.body.archivedAt, null);
    const writes = await auditRows(t, 'participant', res.body.id, 'create');
    assert.equal(writes.length, 1);
    assert.deepEqual(writes[0].changes.fullName, { to: '[redacted]' });
    assert.deepEqual(writes[0].changes.phone, { to: '[redacted]' });
    assert.equal(writes[0].actor_role, 'country_staff');
  });

  it('records consent refused, and requires a date and scope when consent is given', async () => {
    const refused = await create(staffNP, { consent: { given: false } });
    assert.equal(refused.status, 201);
    assert.deepEqual(refused.body.consent, { given: false, recordedOn: null, scope: null });
    const undated = await create(staffNP, { consent: { given: true, scope: 'records' } });
    assert.equal(undated.status, 400);
    assert.ok(undated.body.errors.some((e: { field: string }) => e.field.includes('recordedOn')));
  });

  it('rejects malformed bodies with a validation problem and writes nothing', async () => {
    const before = await auditCount(t);
    for (const bad of [
      { gender: 'unknown' },
      { stakeholderGroup: 'spy' },
      { fullName: '' },
      { phone: null, extra: 'field' },
      { networkIds: ['not-a-uuid'] },
      { consent: { given: true, recordedOn: '2024-02-30', scope: 'x' } },
      { countryCode: 'nepal' },
    ]) {
      const res = await create(admin, bad);
      assert.equal(res.status, 400, JSON.stringify(bad));
      assert.match(res.headers['content-type'], /application\/problem\+json/);
    }
    assert.equal(await auditCount(t), before);
  });

  it('refuses writes by hq_analyst and partner (403) and by staff of another country (404)', async () => {
    const existing = (await create(admin, { networkIds: [netA] })).body;
    assert.equal((await create(analyst)).status, 403);
    assert.equal((await create(partner, { networkIds: [netA] })).status, 403);
    const before = await auditCount(t);
    const foreign = await create(staffIQ, { countryCode: 'NP' });
    assert.equal(foreign.status, 404);
    assert.equal(foreign.body.errors[0].field, 'countryCode');
    for (const token of [analyst, partner]) {
      assert.equal((await t.http.patch(`/api/v1/participants/${existing.id}`).set(bearer(token)).send({ gender: 'male' })).status, 403);
      assert.equal((await t.http.delete(`/api/v1/participants/${existing.id}`).set(bearer(token))).status, 403);
      assert.equal((await t.http.post(`/api/v1/participants/${existing.id}/erase`).set(bearer(token))).status, 403);
    }
    assert.equal((await t.http.patch(`/api/v1/participants/${existing.id}`).set(bearer(staffIQ)).send({ gender: 'male' })).status, 404);
    assert.equal((await t.http.delete(`/api/v1/participants/${existing.id}`).set(bearer(staffIQ))).status, 404);
    assert.equal((await t.http.post(`/api/v1/participants/${existing.id}/erase`).set(bearer(staffIQ))).status, 404);
    assert.equal(await auditCount(t), before);
    const row = (await t.db.query('SELECT gender, version, archived_at, erased_at FROM participants WHERE id = $1', [existing.id])).rows[0];
    assert.deepEqual(row, { gender: 'female', version: 1, archived_at: null, erased_at: null });
  });

  it('refuses a network of another country, an unknown one, or one of a country the caller does not work in: 404, nothing written', async () => {
    const before = await auditCount(t);
    const countBefore = (await t.db.query('SELECT count(*)::int AS n FROM participants')).rows[0].n;
    const crossCountry = await create(admin, { networkIds: [netIQ] });
    assert.equal(crossCountry.status, 404);
    assert.equal(crossCountry.body.errors[0].field, 'networkIds');
    assert.equal((await create(admin, { networkIds: [netA, '00000000-0000-4000-8000-00000000abcd'] })).status, 404);
    assert.equal((await create(staffIQ, { countryCode: 'IQ', networkIds: [netA] })).status, 404);
    assert.equal(await auditCount(t), before);
    assert.equal((await t.db.query('SELECT count(*)::int AS n FROM participants')).rows[0].n, countBefore);
  });

  it('reads a participant by role: identity for admin and own-country staff, 404 outside scope', async () => {
    const p = (await create(staffNP, { networkIds: [netA] })).body;
    for (const token of [admin, staffNP]) {
      const res = await t.http.get(`/api/v1/participants/${p.id}`).set(bearer(token));
      assert.equal(res.status, 200);
      assert.equal(res.headers.etag, '"1"');
      assert.equal(res.body.fullName, p.fullName);
    }
    assert.equal((await t.http.get(`/api/v1/participants/${p.id}`).set(bearer(analyst))).status, 403, 'hq_analyst reads no records of single people');
    for (const token of [partner]) {
      const res = await t.http.get(`/api/v1/participants/${p.id}`).set(bearer(token));
      assert.equal(res.status, 200);
      assert.equal(res.body.code, p.code);
      assert.ok(!('fullName' in res.body) && !('phone' in res.body));
    }
    for (const token of [staffIQ, otherPartner]) {
      const res = await t.http.get(`/api/v1/participants/${p.id}`).set(bearer(token));
      assert.equal(res.status, 404);
      assert.equal(res.body.detail, 'The participant does not exist or is not visible to you.');
    }
    assert.equal((await t.http.get('/api/v1/participants/00000000-0000-4000-8000-000000000000').set(bearer(admin))).status, 404);
    assert.equal((await t.http.get('/api/v1/participants/nope').set(bearer(admin))).status, 400);
  });

  it('lists with each filter, in a stable order, and keeps records out of scope absent', async () => {
    const lawyer = (await create(admin, { stakeholderGroup: 'lawyer', gender: 'male', ageBand: '60_plus', networkIds: [netB] })).body;
    const youth = (await create(admin, { stakeholderGroup: 'youth_group', gender: 'other', ageBand: '18_29', networkIds: [netA, netB] })).body;
    const iraqi = (await create(admin, { countryCode: 'IQ', stakeholderGroup: 'lawyer', gender: 'male', ageBand: '60_plus', networkIds: [netIQ] })).body;
    const ids = async (token: string, query: string) => {
      const res = await t.http.get(`/api/v1/participants?limit=200&${query}`).set(bearer(token));
      assert.equal(res.status, 200, JSON.stringify(res.body));
      return res.body.data.map((p: { id: string }) => p.id) as string[];
    };
    assert.deepEqual(await ids(admin, 'stakeholderGroup=lawyer'), [iraqi.id, lawyer.id]); // IQ-… sorts before NP-…
    assert.deepEqual(await ids(admin, 'stakeholderGroup=lawyer&countryCode=NP'), [lawyer.id]);
    assert.deepEqual(await ids(admin, 'gender=other'), [youth.id]);
    assert.deepEqual(await ids(admin, 'ageBand=18_29'), [youth.id]);
    assert.deepEqual(await ids(admin, `networkId=${netB}`), [lawyer.id, youth.id]);
    assert.deepEqual(await ids(staffIQ, 'stakeholderGroup=lawyer'), [iraqi.id]);
    assert.deepEqual(await ids(staffNP, 'stakeholderGroup=lawyer'), [lawyer.id]);
    assert.deepEqual(await ids(admin, 'ageBand=60_plus'), [iraqi.id, lawyer.id]);
    const partnerSees = await ids(partner, '');
    assert.ok(partnerSees.includes(youth.id));
    assert.ok(!partnerSees.includes(lawyer.id) && !partnerSees.includes(iraqi.id));
    assert.deepEqual(await ids(otherPartner, ''), []);
    assert.equal((await t.http.get('/api/v1/participants?gender=x').set(bearer(admin))).status, 400);
    assert.equal((await t.http.get('/api/v1/participants?limit=201').set(bearer(admin))).status, 400);
  });

  it('pages with a cursor without repeating or skipping rows', async () => {
    for (let i = 0; i < 3; i += 1) await create(admin, { stakeholderGroup: 'writer' });
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const res: Response = await t.http.get(`/api/v1/participants?stakeholderGroup=writer&limit=2${cursor ? `&cursor=${cursor}` : ''}`).set(bearer(admin));
      assert.equal(res.status, 200);
      seen.push(...res.body.data.map((p: { id: string }) => p.id));
      cursor = res.body.nextCursor as string | null;
    } while (cursor);
    const all = await t.http.get('/api/v1/participants?stakeholderGroup=writer&limit=200').set(bearer(admin));
    assert.equal(seen.length, 3);
    assert.deepEqual(seen, all.body.data.map((p: { id: string }) => p.id));
  });

  it('patches with If-Match: attributes, identity, network set and consent; one update row', async () => {
    const p = (await create(staffNP, { networkIds: [netA] })).body;
    const res = await t.http
      .patch(`/api/v1/participants/${p.id}`)
      .set(bearer(staffNP))
      .set('If-Match', '"1"')
      .send({ ageBand: '45_59', fullName: 'Renamed Person', phone: null, networkIds: [netB], consent: { given: false } });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.equal(res.body.version, 2);
    assert.equal(res.headers.etag, '"2"');
    assert.equal(res.body.ageBand, '45_59');
    assert.equal(res.body.fullName, 'Renamed Person');
    assert.equal(res.body.phone, null);
    assert.deepEqual(res.body.networkIds, [netB]);
    assert.deepEqual(res.body.consent, { given: false, recordedOn: null, scope: null });
    const updates = await auditRows(t, 'participant', p.id, 'update');
    assert.equal(updates.length, 1);
    assert.deepEqual(updates[0].changes.fullName, { from: '[redacted]', to: '[redacted]' });
    assert.deepEqual(updates[0].changes.ageBand, { from: '30_44', to: '45_59' });
    const row = (await t.db.query('SELECT phone_enc, identity_index FROM participants WHERE id = $1', [p.id])).rows[0];
    assert.equal(row.phone_enc, null);
    assert.match(row.identity_index, /^[0-9a-f]{64}$/);
    // The partner assigned to netA no longer sees the participant once it left netA.
    assert.equal((await t.http.get(`/api/v1/participants/${p.id}`).set(bearer(partner))).status, 404);
  });

  it('answers a stale If-Match with 412 and changes nothing', async () => {
    const p = (await create(admin)).body;
    assert.equal((await t.http.patch(`/api/v1/participants/${p.id}`).set(bearer(admin)).send({ gender: 'male' })).status, 200);
    const before = await auditCount(t);
    const stale = await t.http.patch(`/api/v1/participants/${p.id}`).set(bearer(admin)).set('If-Match', '"1"').send({ gender: 'other', fullName: 'Stale Name' });
    assert.equal(stale.status, 412);
    assert.equal(stale.body.currentVersion, 2);
    assert.equal(await auditCount(t), before);
    const now = await t.http.get(`/api/v1/participants/${p.id}`).set(bearer(admin));
    assert.equal(now.body.gender, 'male');
    assert.equal(now.body.fullName, p.fullName);
    assert.equal(now.body.version, 2);
  });

  it('refuses a PATCH naming a network of another country: 404, nothing changed', async () => {
    const p = (await create(admin, { networkIds: [netA] })).body;
    const before = await auditCount(t);
    const res = await t.http.patch(`/api/v1/participants/${p.id}`).set(bearer(admin)).send({ networkIds: [netA, netIQ], gender: 'male' });
    assert.equal(res.status, 404);
    assert.equal(res.body.errors[0].field, 'networkIds');
    assert.equal(await auditCount(t), before);
    const now = await t.http.get(`/api/v1/participants/${p.id}`).set(bearer(admin));
    assert.deepEqual([now.body.gender, now.body.networkIds, now.body.version], ['female', [netA], 1]);
  });

  it('archives with DELETE: 204, leaves lists unless includeArchived, one archive row, twice changes nothing', async () => {
    const p = (await create(staffNP, { stakeholderGroup: 'business' })).body;
    const del = await t.http.delete(`/api/v1/participants/${p.id}`).set(bearer(staffNP));
    assert.equal(del.status, 204);
    assert.equal((await t.http.delete(`/api/v1/participants/${p.id}`).set(bearer(staffNP))).status, 204);
    assert.equal((await auditRows(t, 'participant', p.id, 'archive')).length, 1);
    const listed = await t.http.get('/api/v1/participants?stakeholderGroup=business').set(bearer(admin));
    assert.ok(!listed.body.data.some((x: { id: string }) => x.id === p.id));
    const archived = await t.http.get('/api/v1/participants?stakeholderGroup=business&includeArchived=true').set(bearer(admin));
    const found = archived.body.data.find((x: { id: string }) => x.id === p.id);
    assert.ok(found.archivedAt);
    assert.equal((await t.db.query('SELECT count(*)::int AS n FROM participants WHERE id = $1', [p.id])).rows[0].n, 1);
  });

  it('creates one participant however often a POST with the same Idempotency-Key is retried', async () => {
    const body = participantBody();
    const first = await t.http.post('/api/v1/participants').set(bearer(staffNP)).set('Idempotency-Key', 'people-retry-1').send(body);
    const retry = await t.http.post('/api/v1/participants').set(bearer(staffNP)).set('Idempotency-Key', 'people-retry-1').send(body);
    assert.equal(first.status, 201);
    assert.equal(retry.status, 201);
    assert.equal(retry.body.id, first.body.id);
    assert.equal(retry.body.code, first.body.code);
    assert.equal((await t.db.query('SELECT count(*)::int AS n FROM participants WHERE id = $1', [first.body.id])).rows[0].n, 1);
    assert.equal((await auditRows(t, 'participant', first.body.id, 'create')).length, 1);
  });

  it('hands out 10 distinct consecutive codes to 10 concurrent creates', async () => {
    const results = await Promise.all(Array.from({ length: 10 }, () => create(admin, { countryCode: 'LY' })));
    for (const r of results) assert.equal(r.status, 201, JSON.stringify(r.body));
    const numbers = results.map((r) => Number(/^LY-P-(\d{6})$/.exec(r.body.code)![1])).sort((a, b) => a - b);
    assert.deepEqual(numbers, Array.from({ length: 10 }, (_, i) => numbers[0] + i));
    // A participant is never given a number a police partner of the same country has, or vice versa: kinds count separately.
    assert.equal(new Set(results.map((r) => r.body.code)).size, 10);
  });
});
