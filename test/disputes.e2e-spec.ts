import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { adminToken, auditCount, createUser } from './support/auth';
import { auth, createDispute, disputeBody, DISPUTES, payloadFor } from './support/disputes';
import { insertNetwork, insertParticipant, insertPartner, insertSession } from './support/fixtures';
import { startTestApp, TestApp } from './support/test-app';

describe('/disputes', () => {
  let t: TestApp;
  let admin: string;
  let staffNP: string;
  let staffIQ: string;
  let analyst: string;
  let partner: string;
  let npNetwork: string;
  let npOtherNetwork: string;
  let iqNetwork: string;
  let partnerId: string;
  let otherPartnerId: string;

  before(async () => {
    t = await startTestApp();
    admin = await adminToken(t);
    npNetwork = await insertNetwork(t.db, { countryCode: 'NP' });
    npOtherNetwork = await insertNetwork(t.db, { countryCode: 'NP' });
    iqNetwork = await insertNetwork(t.db, { countryCode: 'IQ' });
    partnerId = await insertPartner(t.db, { countryCode: 'NP', networkIds: [npNetwork] });
    // Works in both NP networks: a partner user of partnerId must not report as this one.
    otherPartnerId = await insertPartner(t.db, { countryCode: 'NP', networkIds: [npNetwork, npOtherNetwork] });
    staffNP = (await createUser(t, admin, { role: 'country_staff', countryCodes: ['NP'] })).token;
    staffIQ = (await createUser(t, admin, { role: 'country_staff', countryCodes: ['IQ'] })).token;
    analyst = (await createUser(t, admin, { role: 'hq_analyst' })).token;
    partner = (await createUser(t, admin, { role: 'partner', partnerId })).token;
  });
  after(() => t.close());

  const body = (extra: Record<string, unknown> = {}) => disputeBody(npNetwork, partnerId, extra);

  it('creates a dispute: 201, Location, ETag, first history row, ciphertext at rest, one audit row without case text', async () => {
    const mediator = await insertParticipant(t.db, { countryCode: 'NP' });
    const party = await insertParticipant(t.db, { countryCode: 'NP' });
    const session = await insertSession(t.db, { networkId: npOtherNetwork });
    const audits = await auditCount(t);
    const res = await t.http
      .post(DISPUTES)
      .set(auth(staffNP))
      .send(body({ parties: [{ label: 'Amina\'s family', participantId: party }, { label: 'The miller' }], mediatorIds: [mediator], sessionIds: [session] }));
    assert.equal(res.status, 201, JSON.stringify(res.body));
    assert.equal(res.headers.location, `${DISPUTES}/${res.body.id}`);
    assert.equal(res.headers.etag, '"1"');
    assert.equal(res.headers['cache-control'], 'no-store');
    const { id, createdAt, updatedAt, history, ...rest } = res.body;
    assert.ok(id && createdAt && updatedAt);
    assert.deepEqual(rest, {
      networkId: npNetwork,
      countryCode: 'NP',
      reportedByPartnerId: partnerId,
      reportedOn: '2026-01-10',
      category: 'land',
      description: 'Two families claim the plot by the river after the flood.',
      parties: [{ label: 'Amina\'s family', participantId: party }, { label: 'The miller', participantId: null }],
      severity: 'medium',
      violenceRisk: 'low',
      status: 'reported',
      mediatorIds: [mediator],
      sessionIds: [session],
      resolution: null,
      referral: null,
      resolvedOn: null,
      version: 1,
      archivedAt: null,
    });
    assert.equal(history.length, 1);
    assert.equal(history[0].from, null);
    assert.equal(history[0].to, 'reported');
    assert.equal(await auditCount(t), audits + 1);

    const stored = await t.db.query('SELECT description_enc FROM disputes WHERE id = $1', [id]);
    assert.match(stored.rows[0].description_enc, /^v1:/);
    assert.ok(!stored.rows[0].description_enc.includes('plot'));
    const labels = await t.db.query('SELECT label_enc FROM dispute_parties WHERE dispute_id = $1', [id]);
    assert.ok(labels.rows.every((r: { label_enc: string }) => r.label_enc.startsWith('v1:') && !r.label_enc.includes('Amina')));
    const audit = await t.db.query('SELECT action, entity, changes FROM audit_events WHERE entity_id = $1', [id]);
    assert.equal(audit.rows.length, 1);
    assert.equal(audit.rows[0].entity, 'dispute');
    assert.equal(audit.rows[0].changes.description.to, '[redacted]');
    const text = JSON.stringify(audit.rows[0].changes);
    assert.ok(!text.includes('plot') && !text.includes('Amina') && !text.includes('miller'), text);
  });

  it('rejects a future reportedOn, a status, an unknown field and an empty party list (400, nothing written)', async () => {
    const audits = await auditCount(t);
    for (const [extra, field] of [
      [{ reportedOn: '2999-01-01' }, 'reportedOn'],
      [{ status: 'resolved' }, 'status'],
      [{ secret: 1 }, 'secret'],
      [{ parties: [] }, 'parties'],
      [{ parties: [{ label: '' }] }, 'parties[0].label'],
      [{ category: 'cattle' }, 'category'],
      [{ violenceRisk: 'some' }, 'violenceRisk'],
      [{ mediatorIds: ['not-a-uuid'] }, 'mediatorIds'],
    ] as [Record<string, unknown>, string][]) {
      const res = await t.http.post(DISPUTES).set(auth(staffNP)).send(body(extra));
      assert.equal(res.status, 400, `${field}: ${JSON.stringify(res.body)}`);
      assert.ok(res.body.errors.some((e: { field: string }) => e.field === field), JSON.stringify(res.body.errors));
    }
    assert.equal(await auditCount(t), audits);
  });

  it('confines partner users to their networks and their own organisation', async () => {
    const own = await createDispute(t, partner, body());
    const asOther = await t.http.post(DISPUTES).set(auth(partner)).send(body({ reportedByPartnerId: otherPartnerId }));
    assert.equal(asOther.status, 404);
    assert.equal(asOther.body.errors[0].field, 'reportedByPartnerId');
    const elsewhere = await t.http.post(DISPUTES).set(auth(partner)).send(disputeBody(npOtherNetwork, partnerId));
    assert.equal(elsewhere.status, 404);
    assert.equal(elsewhere.body.errors[0].field, 'networkId');
    const notAssigned = await t.http.post(DISPUTES).set(auth(staffNP)).send(disputeBody(npOtherNetwork, partnerId));
    assert.equal(notAssigned.status, 400);
    assert.equal(notAssigned.body.errors[0].field, 'reportedByPartnerId');

    const foreign = await createDispute(t, staffNP, disputeBody(npOtherNetwork, otherPartnerId));
    for (const res of [
      await t.http.get(`${DISPUTES}/${foreign.id}`).set(auth(partner)),
      await t.http.patch(`${DISPUTES}/${foreign.id}`).set(auth(partner)).send({ severity: 'high' }),
      await t.http.post(`${DISPUTES}/${foreign.id}/transitions`).set(auth(partner)).send({ to: 'in_mediation', note: 'x' }),
    ]) assert.equal(res.status, 404);
    const list = await t.http.get(`${DISPUTES}?limit=200`).set(auth(partner));
    assert.equal(list.status, 200);
    const ids = list.body.data.map((d: { id: string }) => d.id);
    assert.ok(ids.includes(own.id));
    assert.ok(!ids.includes(foreign.id));
    assert.ok(list.body.data.every((d: { networkId: string }) => d.networkId === npNetwork));
    assert.equal((await t.http.get(`${DISPUTES}/${own.id}`).set(auth(partner))).body.description, body().description);
    assert.equal((await t.http.delete(`${DISPUTES}/${own.id}`).set(auth(partner))).status, 403);
  });

  it('shows hq_analyst everything but the case text and the people, and lets it write nothing', async () => {
    const party = await insertParticipant(t.db, { countryCode: 'NP' });
    const d = await createDispute(t, staffNP, body({ parties: [{ label: 'Elder Bishnu', participantId: party }] }));
    await t.http.post(`${DISPUTES}/${d.id}/transitions`).set(auth(staffNP)).send({ to: 'in_mediation', note: 'Bishnu agreed to talk' });
    await t.http.post(`${DISPUTES}/${d.id}/transitions`).set(auth(staffNP)).send({ to: 'resolved', note: 'done', ...payloadFor('resolved') });
    const res = await t.http.get(`${DISPUTES}/${d.id}`).set(auth(analyst));
    assert.equal(res.status, 200);
    assert.equal(res.body.description, null);
    // Nor who the parties are: hq_analyst reads no records of single people (test/security/person-records).
    assert.deepEqual(res.body.parties, [{ label: null, participantId: null }]);
    assert.equal(res.body.resolution.terms, null);
    assert.equal(res.body.resolution.agreedOn, '2026-01-20');
    assert.ok(res.body.history.every((h: { note: string | null }) => h.note === null));
    assert.equal(res.body.category, 'land');
    assert.ok(!JSON.stringify(res.body).includes('Bishnu'));
    const list = await t.http.get(`${DISPUTES}?limit=200`).set(auth(analyst));
    assert.ok(list.body.data.length >= 1);
    assert.ok(list.body.data.every((x: { description: string | null; parties: { label: string | null }[] }) => x.description === null && x.parties.every((p) => p.label === null)));
    assert.equal((await t.http.post(DISPUTES).set(auth(analyst)).send(body())).status, 403);
    assert.equal((await t.http.patch(`${DISPUTES}/${d.id}`).set(auth(analyst)).send({ severity: 'low' })).status, 403);
    assert.equal((await t.http.delete(`${DISPUTES}/${d.id}`).set(auth(analyst))).status, 403);
  });

  it('keeps country staff to their countries: records and references in another country are 404', async () => {
    const d = await createDispute(t, staffNP, body());
    for (const res of [
      await t.http.get(`${DISPUTES}/${d.id}`).set(auth(staffIQ)),
      await t.http.patch(`${DISPUTES}/${d.id}`).set(auth(staffIQ)).send({ severity: 'high' }),
      await t.http.delete(`${DISPUTES}/${d.id}`).set(auth(staffIQ)),
      await t.http.post(`${DISPUTES}/${d.id}/transitions`).set(auth(staffIQ)).send({ to: 'in_mediation', note: 'x' }),
    ]) assert.equal(res.status, 404);
    assert.equal((await t.http.post(DISPUTES).set(auth(staffIQ)).send(body())).status, 404);
    const iqParticipant = await insertParticipant(t.db, { countryCode: 'IQ' });
    const iqSession = await insertSession(t.db, { networkId: iqNetwork });
    for (const [extra, field] of [
      [{ mediatorIds: [iqParticipant] }, 'mediatorIds'],
      [{ parties: [{ label: 'x', participantId: iqParticipant }] }, 'parties'],
      [{ sessionIds: [iqSession] }, 'sessionIds'],
    ] as [Record<string, unknown>, string][]) {
      const created = await t.http.post(DISPUTES).set(auth(staffNP)).send(body(extra));
      assert.equal(created.status, 404, JSON.stringify(created.body));
      assert.equal(created.body.errors[0].field, field);
      assert.ok(!JSON.stringify(created.body).includes('IQ'));
      const patched = await t.http.patch(`${DISPUTES}/${d.id}`).set(auth(admin)).send(extra);
      assert.equal(patched.status, 404, JSON.stringify(patched.body));
    }
  });

  it('updates with If-Match: 200 with a new ETag and one audit row; stale 412 and status 400 change nothing', async () => {
    const d = await createDispute(t, staffNP, body());
    const mediator = await insertParticipant(t.db, { countryCode: 'NP' });
    const audits = await auditCount(t);
    const res = await t.http
      .patch(`${DISPUTES}/${d.id}`)
      .set(auth(staffNP))
      .set('If-Match', '"1"')
      .send({ severity: 'high', description: 'Now the whole village is involved.', parties: [{ label: 'Village north' }], mediatorIds: [mediator] });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.equal(res.headers.etag, '"2"');
    assert.equal(res.body.severity, 'high');
    assert.equal(res.body.description, 'Now the whole village is involved.');
    assert.deepEqual(res.body.parties, [{ label: 'Village north', participantId: null }]);
    assert.deepEqual(res.body.mediatorIds, [mediator]);
    assert.equal(res.body.status, 'reported');
    assert.equal(await auditCount(t), audits + 1);
    const audit = await t.db.query(`SELECT changes FROM audit_events WHERE entity_id = $1 AND action = 'update'`, [d.id]);
    assert.deepEqual(Object.keys(audit.rows[0].changes).sort(), ['description', 'mediatorIds', 'parties', 'severity']);
    assert.ok(!JSON.stringify(audit.rows[0].changes).includes('village'));

    const stale = await t.http.patch(`${DISPUTES}/${d.id}`).set(auth(staffNP)).set('If-Match', '"1"').send({ severity: 'low' });
    assert.equal(stale.status, 412);
    const status = await t.http.patch(`${DISPUTES}/${d.id}`).set(auth(staffNP)).send({ status: 'closed' });
    assert.equal(status.status, 400);
    assert.equal(status.body.errors[0].field, 'status');
    const future = await t.http.patch(`${DISPUTES}/${d.id}`).set(auth(staffNP)).send({ reportedOn: '2999-01-01' });
    assert.equal(future.status, 400);
    const get = await t.http.get(`${DISPUTES}/${d.id}`).set(auth(staffNP));
    assert.equal(get.body.severity, 'high');
    assert.equal(get.body.version, 2);
    assert.equal(await auditCount(t), audits + 1);
    const same = await t.http.patch(`${DISPUTES}/${d.id}`).set(auth(staffNP)).send({ severity: 'high' });
    assert.equal(same.status, 200);
    assert.equal(same.body.version, 2);
    assert.equal(await auditCount(t), audits + 1);
  });

  it('refuses to move reportedOn after the agreement of a resolved dispute (400)', async () => {
    const d = await createDispute(t, staffNP, body());
    await t.http.post(`${DISPUTES}/${d.id}/transitions`).set(auth(staffNP)).send({ to: 'in_mediation', note: 'x' });
    await t.http.post(`${DISPUTES}/${d.id}/transitions`).set(auth(staffNP)).send({ to: 'resolved', note: 'x', ...payloadFor('resolved') });
    const res = await t.http.patch(`${DISPUTES}/${d.id}`).set(auth(staffNP)).send({ reportedOn: '2026-01-21' });
    assert.equal(res.status, 400);
    assert.equal(res.body.errors[0].field, 'reportedOn');
  });

  it('archives on DELETE: 204, one audit row, gone from lists unless includeArchived, then frozen', async () => {
    const d = await createDispute(t, staffNP, body());
    const audits = await auditCount(t);
    const res = await t.http.delete(`${DISPUTES}/${d.id}`).set(auth(staffNP));
    assert.equal(res.status, 204);
    assert.equal(await auditCount(t), audits + 1);
    assert.equal((await t.http.delete(`${DISPUTES}/${d.id}`).set(auth(staffNP))).status, 204);
    assert.equal(await auditCount(t), audits + 1);
    const list = await t.http.get(`${DISPUTES}?networkId=${npNetwork}&limit=200`).set(auth(staffNP));
    assert.ok(!list.body.data.some((x: { id: string }) => x.id === d.id));
    const withArchived = await t.http.get(`${DISPUTES}?networkId=${npNetwork}&includeArchived=true&limit=200`).set(auth(staffNP));
    assert.ok(withArchived.body.data.some((x: { id: string }) => x.id === d.id));
    const get = await t.http.get(`${DISPUTES}/${d.id}`).set(auth(staffNP));
    assert.equal(get.status, 200);
    assert.ok(get.body.archivedAt);
    assert.equal((await t.http.patch(`${DISPUTES}/${d.id}`).set(auth(staffNP)).send({ severity: 'low' })).status, 409);
  });

  it('filters by country, network, partner, status, category, severity, violence risk, dates and open only, and pages', async () => {
    const network = await insertNetwork(t.db, { countryCode: 'NP' });
    const p1 = await insertPartner(t.db, { countryCode: 'NP', networkIds: [network] });
    const p2 = await insertPartner(t.db, { countryCode: 'NP', networkIds: [network] });
    const a = await createDispute(t, staffNP, disputeBody(network, p1, { reportedOn: '2025-03-01', category: 'family', severity: 'high', violenceRisk: 'imminent' }));
    const b = await createDispute(t, staffNP, disputeBody(network, p2, { reportedOn: '2025-06-01', category: 'land', severity: 'low', violenceRisk: 'none' }));
    const c = await createDispute(t, staffNP, disputeBody(network, p1, { reportedOn: '2025-09-01', category: 'land', severity: 'low', violenceRisk: 'none' }));
    await t.http.post(`${DISPUTES}/${c.id}/transitions`).set(auth(staffNP)).send({ to: 'withdrawn', note: 'x' });
    const iq = await createDispute(t, admin, disputeBody(iqNetwork, await insertPartner(t.db, { countryCode: 'IQ', networkIds: [iqNetwork] })));
    const ids = async (q: string, token = staffNP) => {
      const res = await t.http.get(`${DISPUTES}?${q}`).set(auth(token));
      assert.equal(res.status, 200, JSON.stringify(res.body));
      return res.body.data.map((d: { id: string }) => d.id);
    };
    const n = `networkId=${network}`;
    assert.deepEqual(await ids(n), [c.id, b.id, a.id]);
    assert.deepEqual(await ids(`${n}&partnerId=${p1}`), [c.id, a.id]);
    assert.deepEqual(await ids(`${n}&status=withdrawn`), [c.id]);
    assert.deepEqual(await ids(`${n}&category=family`), [a.id]);
    assert.deepEqual(await ids(`${n}&severity=low`), [c.id, b.id]);
    assert.deepEqual(await ids(`${n}&violenceRisk=imminent`), [a.id]);
    assert.deepEqual(await ids(`${n}&from=2025-05-01&to=2025-08-31`), [b.id]);
    assert.deepEqual(await ids(`${n}&openOnly=true`), [b.id, a.id]);
    const iqIds = await ids('countryCode=IQ&limit=200', admin);
    assert.ok(iqIds.includes(iq.id) && !iqIds.includes(a.id));
    assert.deepEqual(await ids('countryCode=IQ'), []);
    const page1 = await t.http.get(`${DISPUTES}?${n}&limit=2`).set(auth(staffNP));
    assert.deepEqual(page1.body.data.map((d: { id: string }) => d.id), [c.id, b.id]);
    const page2 = await t.http.get(`${DISPUTES}?${n}&limit=2&cursor=${page1.body.nextCursor}`).set(auth(staffNP));
    assert.deepEqual(page2.body.data.map((d: { id: string }) => d.id), [a.id]);
    assert.equal(page2.body.nextCursor, null);
    assert.equal((await t.http.get(`${DISPUTES}?limit=201`).set(auth(staffNP))).status, 400);
    assert.equal((await t.http.get(`${DISPUTES}?status=open`).set(auth(staffNP))).status, 400);
  });
});
