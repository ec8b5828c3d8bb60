import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { adminToken, createUser } from '../support/auth';
import { createDispute, disputeBody } from '../support/disputes';
import { insertNetwork, insertParticipant, insertPartner, insertPolicePartner } from '../support/fixtures';
import { startTestApp, TestApp } from '../support/test-app';

const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });

/**
 * Issue 19, a variant of break 1: the metrics publish counts of people with disclosure control,
 * and none of it would matter if hq_analyst could read the records of single people and count
 * the cell themselves — "tribal elders of Iraq in May" from GET /participants and the sessions'
 * attendance. Headquarters reads aggregates only: no participant or police-partner record, no
 * attendee or party ids, no per-session counts of who attended. Country staff still see all of it.
 */
describe('records of single people are not for hq_analyst', () => {
  let t: TestApp;
  let hq: string;
  let staff: string;
  let sessionId: string;
  let disputeId: string;
  let participantId: string;
  let policePartnerId: string;

  before(async () => {
    t = await startTestApp();
    const admin = await adminToken(t);
    hq = (await createUser(t, admin, { role: 'hq_analyst' })).token;
    staff = (await createUser(t, admin, { role: 'country_staff', countryCodes: ['IQ'] })).token;
    const networkId = await insertNetwork(t.db, { countryCode: 'IQ' });
    const partnerId = await insertPartner(t.db, { countryCode: 'IQ', networkIds: [networkId] });
    participantId = await insertParticipant(t.db, { countryCode: 'IQ', stakeholderGroup: 'tribal_elder', networkIds: [networkId] });
    policePartnerId = await insertPolicePartner(t.db, { countryCode: 'IQ', networkIds: [networkId] });
    const session = await t.http.post('/api/v1/sessions').set(bearer(staff)).send({
      networkId, title: 'Elders and police', kind: 'dialogue', heldOn: '2016-05-03',
      attendance: [{ participantId, role: 'attendee' }, { policePartnerId, role: 'attendee' }],
      unnamedAttendance: { women: 2, men: 1, youth: 0 },
    });
    assert.equal(session.status, 201, JSON.stringify(session.body));
    sessionId = session.body.id;
    disputeId = (await createDispute(t, staff, disputeBody(networkId, partnerId, { parties: [{ label: 'Her family', participantId }, { label: 'The others' }], mediatorIds: [participantId] }))).id;
  });
  after(() => t.close());

  it('refuses hq_analyst every participant and police-partner route, which country staff read', async () => {
    for (const url of ['/api/v1/participants', `/api/v1/participants/${participantId}`, '/api/v1/police-partners', `/api/v1/police-partners/${policePartnerId}`]) {
      assert.equal((await t.http.get(url).set(bearer(hq))).status, 403, url);
      assert.equal((await t.http.get(url).set(bearer(staff))).status, 200, url);
    }
  });

  it('shows hq_analyst a session without who attended or how many', async () => {
    const one = (await t.http.get(`/api/v1/sessions/${sessionId}`).set(bearer(hq))).body;
    assert.deepEqual(one.attendance, []);
    assert.deepEqual(one.unnamedAttendance, { women: null, men: null, youth: null });
    const listed = (await t.http.get('/api/v1/sessions').set(bearer(hq))).body.data.find((s: { id: string }) => s.id === sessionId);
    assert.deepEqual(listed.unnamedAttendance, { women: null, men: null, youth: null });
    assert.deepEqual(listed.attendanceCounts, { participants: null, policePartners: null });
    assert.equal(listed.kind, 'dialogue', 'the rest of the session is there');

    const own = (await t.http.get(`/api/v1/sessions/${sessionId}`).set(bearer(staff))).body;
    assert.equal(own.attendance.length, 2);
    assert.deepEqual(own.unnamedAttendance, { women: 2, men: 1, youth: 0 });
    const ownListed = (await t.http.get('/api/v1/sessions').set(bearer(staff))).body.data.find((s: { id: string }) => s.id === sessionId);
    assert.deepEqual(ownListed.attendanceCounts, { participants: 1, policePartners: 1 });
  });

  it('shows hq_analyst a dispute without the people party to it or mediating it', async () => {
    const seen = (await t.http.get(`/api/v1/disputes/${disputeId}`).set(bearer(hq))).body;
    assert.deepEqual(seen.mediatorIds, []);
    assert.ok(seen.parties.every((p: { participantId: string | null }) => p.participantId === null), JSON.stringify(seen.parties));
    const own = (await t.http.get(`/api/v1/disputes/${disputeId}`).set(bearer(staff))).body;
    assert.deepEqual(own.mediatorIds, [participantId]);
    assert.ok(own.parties.some((p: { participantId: string | null }) => p.participantId === participantId));
  });
});
