import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { insertNetwork, insertParticipant, insertPolicePartner } from '../support/fixtures';
import { startTestApp } from '../support/test-app';
import { adminPost, buildWorld, call, Caller, World } from './world';

/**
 * Issue 19, item 7: a partner reading people of its networks saw the ids of the other networks
 * they belong to. The class: every id a response gives of another record (a person's networks, a
 * network's parent, a session's attendees and facilitator, a dispute's sessions, mediators,
 * parties and reporter, an early warning's source session, an initiative's origin sessions) is one
 * the caller may itself read. Per field and role: a partner sees only its assigned networks and
 * what lies in them, country staff their countries, admin and hq_analyst everything — but
 * hq_analyst reads no records of single people at all (test/security/person-records).
 *
 * Places: NAT (national, Nepal) above D1 (district, partners P1 and P2) and D2 (district, P2 only).
 * The partner callers are P1's user and API key.
 */
describe('related ids in responses are scoped to what the caller may read', () => {
  let w: World;
  let nat: string;
  let d1: string;
  let d2: string;
  /** In D1 and D2. */
  let shared: string;
  /** In D2 only. */
  let elsewhere: string;
  let officer: string;
  let s1: string;
  let s2: string;
  let dispute: string;
  let warning: string;
  let initiative: string;
  let p2: string;

  const sorted = (ids: string[]) => [...ids].sort();
  const get = async (caller: Caller, path: string) => {
    const res = await call(w.t, 'GET', path, caller.headers);
    assert.equal(res.status, 200, `${caller.name} GET ${path}: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body;
  };
  const partners = () => w.callers.filter((c) => c.role === 'partner');
  const seeingAll = () => w.callers.filter((c) => c.role !== 'partner');
  /** Those who read records of single people: all but hq_analyst and partners. */
  const seeingAllPeople = () => seeingAll().filter((c) => c.role !== 'hq_analyst');

  before(async () => {
    w = await buildWorld(await startTestApp());
    const p1 = w.places.A1.partnerId;
    p2 = w.places.A2.partnerId;
    nat = await insertNetwork(w.t.db, { countryCode: 'NP', level: 'national', name: 'Nepal national focal group' });
    d1 = await insertNetwork(w.t.db, { countryCode: 'NP', parentId: nat, name: 'Banke district', partnerIds: [p1, p2] });
    d2 = await insertNetwork(w.t.db, { countryCode: 'NP', parentId: nat, name: 'Dang district', partnerIds: [p2] });
    shared = await insertParticipant(w.t.db, { networkIds: [d1, d2] });
    elsewhere = await insertParticipant(w.t.db, { networkIds: [d2] });
    officer = await insertPolicePartner(w.t.db, { networkIds: [d1, d2] });
    const session = (networkId: string, extra: object = {}) =>
      adminPost(w, '/api/v1/sessions', { networkId, title: 'Monthly dialogue', kind: 'dialogue', heldOn: '2016-07-14', topics: ['crime'], ...extra });
    s1 = (await session(d1, {
      facilitatorPartnerId: p2,
      attendance: [{ participantId: shared, role: 'attendee' }, { participantId: elsewhere, role: 'attendee' }, { policePartnerId: officer, role: 'attendee' }],
    })).id;
    s2 = (await session(d2)).id;
    dispute = (await adminPost(w, '/api/v1/disputes', {
      networkId: d1, reportedByPartnerId: p2, reportedOn: '2016-08-01', category: 'land', description: 'Two families claim the plot.',
      parties: [{ label: 'Northern family', participantId: elsewhere }, { label: 'Southern family', participantId: shared }],
      severity: 'medium', violenceRisk: 'low', mediatorIds: [shared, elsewhere], sessionIds: [s1, s2],
    })).id;
    warning = (await adminPost(w, '/api/v1/early-warnings', {
      countryCode: 'NP', networkId: d1, observedOn: '2016-08-02', riskFactors: [9], description: 'Threats after the land dispute.', severity: 'low', sourceSessionId: s2,
    })).id;
    initiative = (await adminPost(w, '/api/v1/initiatives', {
      networkId: d1, title: 'Help desk', problemStatement: 'Nobody receives women.', category: 'help_desk', funder: 'Embassy',
      budget: { amount: '1000.00', currency: 'USD' }, originSessionIds: [s1],
    })).id;
  });
  after(() => w.t.close());

  it("people's networkIds: a partner sees only its assigned networks; country staff, hq and admin all of the person's", async () => {
    for (const [path, id] of [['/api/v1/participants', shared], ['/api/v1/police-partners', officer]]) {
      for (const caller of seeingAllPeople()) {
        assert.deepEqual((await get(caller, `${path}/${id}`)).networkIds, sorted([d1, d2]), `${caller.name} ${path}`);
      }
      for (const caller of partners()) {
        assert.deepEqual((await get(caller, `${path}/${id}`)).networkIds, [d1], `${caller.name} ${path}`);
        const listed = (await get(caller, `${path}?networkId=${d1}`)).data.find((p: { id: string }) => p.id === id);
        assert.deepEqual(listed.networkIds, [d1], `${caller.name} ${path} list`);
      }
    }
  });

  it("a network's parent: null for a partner user, who does not see the national network", async () => {
    for (const caller of seeingAll()) assert.equal((await get(caller, `/api/v1/networks/${d1}`)).parentId, nat, caller.name);
    for (const caller of partners()) {
      assert.equal((await get(caller, `/api/v1/networks/${d1}`)).parentId, null, caller.name);
      const listed = (await get(caller, '/api/v1/networks')).data.find((n: { id: string }) => n.id === d1);
      assert.equal(listed.parentId, null, `${caller.name} list`);
      assert.deepEqual(listed.partnerIds, [w.places.A1.partnerId], 'only its own organisation among the partners');
    }
  });

  it("a session's attendees and facilitator: only those the caller may read", async () => {
    const attendees = (s: { attendance: { participantId?: string; policePartnerId?: string }[] }) => sorted(s.attendance.map((a) => a.participantId ?? a.policePartnerId!));
    for (const caller of seeingAll()) {
      const s = await get(caller, `/api/v1/sessions/${s1}`);
      assert.deepEqual(attendees(s), caller.role === 'hq_analyst' ? [] : sorted([shared, elsewhere, officer]), caller.name);
      assert.equal(s.facilitatorPartnerId, p2, caller.name);
    }
    for (const caller of partners()) {
      const s = await get(caller, `/api/v1/sessions/${s1}`);
      assert.deepEqual(attendees(s), sorted([shared, officer]), caller.name);
      assert.equal(s.facilitatorPartnerId, null, caller.name);
      const listed = (await get(caller, `/api/v1/sessions?networkId=${d1}`)).data.find((x: { id: string }) => x.id === s1);
      assert.equal(listed.facilitatorPartnerId, null, `${caller.name} list`);
      assert.equal(listed.attendanceCounts.participants, 2, 'the counts still count everyone');
    }
    const admin = w.callers[0];
    const listed = (await get(admin, `/api/v1/sessions?networkId=${d1}`)).data.find((x: { id: string }) => x.id === s1);
    assert.equal(listed.facilitatorPartnerId, p2);
  });

  it("a dispute's sessions, mediators, parties and reporter: only those the caller may read", async () => {
    for (const caller of seeingAll()) {
      const d = await get(caller, `/api/v1/disputes/${dispute}`);
      const people = caller.role !== 'hq_analyst';
      assert.deepEqual(d.sessionIds, sorted([s1, s2]), caller.name);
      assert.deepEqual(d.mediatorIds, people ? sorted([shared, elsewhere]) : [], caller.name);
      assert.deepEqual(d.parties.map((p: { participantId: string | null }) => p.participantId), people ? [elsewhere, shared] : [null, null], caller.name);
      assert.equal(d.reportedByPartnerId, p2, caller.name);
    }
    for (const caller of partners()) {
      for (const d of [await get(caller, `/api/v1/disputes/${dispute}`), (await get(caller, `/api/v1/disputes?networkId=${d1}`)).data[0]]) {
        assert.deepEqual(d.sessionIds, [s1], caller.name);
        assert.deepEqual(d.mediatorIds, [shared], caller.name);
        assert.deepEqual(d.parties.map((p: { participantId: string | null }) => p.participantId), [null, shared], caller.name);
        assert.equal(d.reportedByPartnerId, null, caller.name);
      }
    }
  });

  it('a partner PATCHing the links it sees keeps the ones hidden from it', async () => {
    const partner = partners()[0];
    const current = await get(partner, `/api/v1/disputes/${dispute}`);
    const echo = await call(w.t, 'PATCH', `/api/v1/disputes/${dispute}`, partner.headers, {
      sessionIds: current.sessionIds,
      mediatorIds: current.mediatorIds,
      parties: current.parties.map((p: { label: string; participantId: string | null }) => ({ label: p.label, ...(p.participantId ? { participantId: p.participantId } : {}) })),
    });
    assert.equal(echo.status, 200, JSON.stringify(echo.body));
    assert.equal(echo.body.version, current.version, 'sending back what it sees changes nothing');
    const dropped = await call(w.t, 'PATCH', `/api/v1/disputes/${dispute}`, partner.headers, { sessionIds: [], mediatorIds: [] });
    assert.equal(dropped.status, 200, JSON.stringify(dropped.body));
    assert.deepEqual([dropped.body.sessionIds, dropped.body.mediatorIds], [[], []]);
    const admin = await get(w.callers[0], `/api/v1/disputes/${dispute}`);
    assert.deepEqual(admin.sessionIds, [s2], 'the session in D2 stays linked');
    assert.deepEqual(admin.mediatorIds, [elsewhere], 'the mediator from D2 stays');
    assert.deepEqual(admin.parties.map((p: { participantId: string | null }) => p.participantId), [elsewhere, shared]);
  });

  it("an early warning's source session: null for a partner user who may not read it", async () => {
    for (const caller of seeingAll()) assert.equal((await get(caller, `/api/v1/early-warnings/${warning}`)).sourceSessionId, s2, caller.name);
    for (const caller of partners()) {
      assert.equal((await get(caller, `/api/v1/early-warnings/${warning}`)).sourceSessionId, null, caller.name);
      const listed = (await get(caller, `/api/v1/early-warnings?networkId=${d1}`)).data.find((x: { id: string }) => x.id === warning);
      assert.equal(listed.sourceSessionId, null, `${caller.name} list`);
    }
  });

  it("an initiative's origin sessions: only sessions of its own network, which every reader of it may read", async () => {
    // A row the API would refuse (a session of another network), as a damaged or migrated database might hold.
    await w.t.db.query('INSERT INTO initiative_origin_sessions (initiative_id, session_id, position) VALUES ($1, $2, 5)', [initiative, s2]);
    for (const caller of w.callers) {
      assert.deepEqual((await get(caller, `/api/v1/initiatives/${initiative}`)).originSessionIds, [s1], caller.name);
      const listed = (await get(caller, `/api/v1/initiatives?networkId=${d1}`)).data.find((x: { id: string }) => x.id === initiative);
      assert.deepEqual(listed.originSessionIds, [s1], `${caller.name} list`);
    }
  });
});
