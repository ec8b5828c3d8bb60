import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Response } from 'supertest';
import { jsonColumns } from '../src/common/sql/json-object-sql';
import { SESSION_ITEM_FIELDS } from '../src/field-work/session-list';
import { adminToken, auditCount, createUser } from './support/auth';
import { insertNetwork, insertPartner, insertParticipant, insertPolicePartner } from './support/fixtures';
import { storedSessionText } from './support/free-text';
import { startTestApp, TestApp } from './support/test-app';

const auth = (token: string) => ({ Authorization: `Bearer ${token}` });

describe('/sessions', () => {
  let t: TestApp;
  let admin: string;
  let staffNp: string;
  let staffIq: string;
  let analyst: string;
  let partnerUser: string;
  let otherPartnerUser: string;
  let np: string; // network in NP, assigned to `partner`
  let npOther: string; // network in NP, not assigned
  let iq: string;
  let partner: string;
  let people: { p1: string; p2: string; p3: string; noConsent: string; iqParticipant: string; police: string; partnerParticipant: string };

  const count = async (table: string) => Number((await t.db.query(`SELECT count(*) FROM ${table}`)).rows[0].count);
  const body = (extra: Record<string, unknown> = {}) => ({ networkId: np, title: 'Monthly dialogue', kind: 'dialogue', heldOn: '2016-07-14', ...extra });

  before(async () => {
    t = await startTestApp();
    admin = await adminToken(t);
    np = await insertNetwork(t.db, { countryCode: 'NP' });
    npOther = await insertNetwork(t.db, { countryCode: 'NP' });
    iq = await insertNetwork(t.db, { countryCode: 'IQ' });
    partner = await insertPartner(t.db, { countryCode: 'NP', networkIds: [np] });
    const otherPartner = await insertPartner(t.db, { countryCode: 'NP', networkIds: [npOther] });
    staffNp = (await createUser(t, admin, { role: 'country_staff', countryCodes: ['NP'] })).token;
    staffIq = (await createUser(t, admin, { role: 'country_staff', countryCodes: ['IQ'] })).token;
    analyst = (await createUser(t, admin, { role: 'hq_analyst' })).token;
    partnerUser = (await createUser(t, admin, { role: 'partner', partnerId: partner })).token;
    otherPartnerUser = (await createUser(t, admin, { role: 'partner', partnerId: otherPartner })).token;
    people = {
      p1: await insertParticipant(t.db, { countryCode: 'NP' }),
      p2: await insertParticipant(t.db, { countryCode: 'NP' }),
      p3: await insertParticipant(t.db, { countryCode: 'NP' }),
      noConsent: await insertParticipant(t.db, { countryCode: 'NP', consentGiven: false }),
      iqParticipant: await insertParticipant(t.db, { countryCode: 'IQ' }),
      police: await insertPolicePartner(t.db, { countryCode: 'NP', networkIds: [np] }),
      partnerParticipant: await insertParticipant(t.db, { countryCode: 'NP', networkIds: [np] }),
    };
  });
  after(() => t.close());

  let sessionId: string;

  it('creates a session with attendance and action points in one write: 201, Location, one audit row', async () => {
    const audits = await auditCount(t);
    const res = await t.http.post('/api/v1/sessions').set(auth(staffNp)).send(body({
      durationMinutes: 120,
      place: 'Community hall',
      facilitatorPartnerId: partner,
      topics: ['idp_host_relations', 'police_conduct'],
      summary: 'Displaced families and the district police discussed night patrols.',
      attendance: [
        { participantId: people.p1, role: 'attendee' },
        { participantId: people.p2, role: 'speaker' },
        { policePartnerId: people.police, role: 'attendee' },
      ],
      unnamedAttendance: { women: 12, men: 8, youth: 5 },
      actionPoints: [{ description: 'Ask for a women\'s help desk at the station', dueOn: '2016-09-01' }, { description: 'Invite the prosecutor' }],
    }));
    assert.equal(res.status, 201, JSON.stringify(res.body));
    sessionId = res.body.id;
    assert.equal(res.headers.location, `/api/v1/sessions/${sessionId}`);
    assert.equal(res.body.countryCode, 'NP');
    assert.equal(res.body.version, 1);
    assert.deepEqual(res.body.attendance, [
      { participantId: people.p1, role: 'attendee' },
      { participantId: people.p2, role: 'speaker' },
      { policePartnerId: people.police, role: 'attendee' },
    ]);
    assert.deepEqual(res.body.unnamedAttendance, { women: 12, men: 8, youth: 5 });
    assert.deepEqual(res.body.actionPoints.map((a: { description: string; status: string; dueOn: string | null }) => [a.description, a.status, a.dueOn]), [
      ['Ask for a women\'s help desk at the station', 'open', '2016-09-01'],
      ['Invite the prosecutor', 'open', null],
    ]);
    assert.equal(await auditCount(t), audits + 1);
    const audit = await t.db.query(`SELECT action, entity, entity_id FROM audit_events ORDER BY seq DESC LIMIT 1`);
    assert.deepEqual(audit.rows[0], { action: 'create', entity: 'session', entity_id: sessionId });
    assert.equal(await count('session_attendance'), 3);
    assert.equal(await count('action_points'), 2);
    // The answer is built from what was written (no read-back): it must be exactly what a read shows.
    const read = await t.http.get(res.headers.location).set(auth(staffNp));
    assert.deepEqual(res.body, read.body);
    assert.equal(res.headers.etag, read.headers.etag);
  });

  it('reads the full record with an ETag, ids only for people', async () => {
    const res = await t.http.get(`/api/v1/sessions/${sessionId}`).set(auth(analyst));
    assert.equal(res.status, 200);
    assert.equal(res.headers.etag, '"1"');
    assert.equal(res.headers['cache-control'], 'no-store');
    assert.deepEqual(res.body.attendance, [], 'hq_analyst reads no one who attended (test/security/person-records)');
    assert.ok(!JSON.stringify(res.body).includes('fullName'));
    const staff = await t.http.get(`/api/v1/sessions/${sessionId}`).set(auth(admin));
    assert.equal(staff.body.attendance.length, 3);
    assert.ok(!JSON.stringify(staff.body.attendance).includes('fullName'));
    assert.deepEqual(res.body.topics, ['idp_host_relations', 'police_conduct']);
  });

  it('lets a partner write only in its own networks, and hq_analyst not at all', async () => {
    const own = await t.http.post('/api/v1/sessions').set(auth(partnerUser)).send(body({ facilitatorPartnerId: partner, attendance: [{ participantId: people.partnerParticipant, role: 'attendee' }] }));
    assert.equal(own.status, 201, JSON.stringify(own.body));
    const before = await count('sessions');
    const other = await t.http.post('/api/v1/sessions').set(auth(partnerUser)).send(body({ networkId: npOther }));
    assert.equal(other.status, 404);
    assert.equal(other.body.errors[0].field, 'networkId');
    // A partner sees only people of its networks: p3 is in none.
    const invisible = await t.http.post('/api/v1/sessions').set(auth(partnerUser)).send(body({ attendance: [{ participantId: people.p3, role: 'attendee' }] }));
    assert.equal(invisible.status, 404);
    assert.equal(invisible.body.errors[0].field, 'attendance[0].participantId');
    const hq = await t.http.post('/api/v1/sessions').set(auth(analyst)).send(body());
    assert.equal(hq.status, 403);
    const hqPatch = await t.http.patch(`/api/v1/sessions/${sessionId}`).set(auth(analyst)).send({ title: 'x' });
    assert.equal(hqPatch.status, 403);
    const hqDelete = await t.http.delete(`/api/v1/sessions/${sessionId}`).set(auth(analyst));
    assert.equal(hqDelete.status, 403);
    const staff = await t.http.post('/api/v1/sessions').set(auth(staffIq)).send(body());
    assert.equal(staff.status, 404);
    assert.equal(await count('sessions'), before);
  });

  it('hides sessions outside the caller\'s scope: read, update, archive and list are 404 / absent', async () => {
    for (const token of [staffIq, otherPartnerUser]) {
      assert.equal((await t.http.get(`/api/v1/sessions/${sessionId}`).set(auth(token))).status, 404);
      assert.equal((await t.http.patch(`/api/v1/sessions/${sessionId}`).set(auth(token)).send({ title: 'Taken over' })).status, 404);
      assert.equal((await t.http.delete(`/api/v1/sessions/${sessionId}`).set(auth(token))).status, 404);
      const list = await t.http.get('/api/v1/sessions').set(auth(token));
      assert.equal(list.status, 200);
      assert.equal(list.body.data.length, 0);
    }
    const mine = await t.http.get('/api/v1/sessions').set(auth(partnerUser));
    assert.equal(mine.body.data.length, 2);
    const row = await t.db.query('SELECT version, archived_at FROM sessions WHERE id = $1', [sessionId]);
    assert.deepEqual(row.rows[0], { version: 1, archived_at: null });
    assert.equal((await storedSessionText(t, sessionId)).title, 'Monthly dialogue');
  });

  it('refuses an attendee from another country and writes nothing', async () => {
    const before = [await count('sessions'), await count('session_attendance'), await count('action_points'), await auditCount(t)];
    // Country staff of NP cannot see the Iraqi participant: 404, like a missing one.
    const hidden = await t.http.post('/api/v1/sessions').set(auth(staffNp)).send(body({
      attendance: [{ participantId: people.p1, role: 'attendee' }, { participantId: people.iqParticipant, role: 'attendee' }],
      actionPoints: [{ description: 'Never stored' }],
    }));
    assert.equal(hidden.status, 404);
    assert.equal(hidden.body.errors[0].field, 'attendance[1].participantId');
    // An admin can see it, so is told plainly that it is in the wrong country.
    const visible = await t.http.post('/api/v1/sessions').set(auth(admin)).send(body({ attendance: [{ participantId: people.iqParticipant, role: 'attendee' }] }));
    assert.equal(visible.status, 400);
    assert.equal(visible.body.errors[0].field, 'attendance[0].participantId');
    const facilitator = await t.http.post('/api/v1/sessions').set(auth(admin)).send(body({ networkId: iq, facilitatorPartnerId: partner }));
    assert.equal(facilitator.status, 400);
    assert.equal(facilitator.body.errors[0].field, 'facilitatorPartnerId');
    assert.deepEqual([await count('sessions'), await count('session_attendance'), await count('action_points'), await auditCount(t)], before);
  });

  it('refuses a duplicated attendee (400), a missing one (404) and one without consent (409)', async () => {
    const before = await count('sessions');
    const dup = await t.http.post('/api/v1/sessions').set(auth(staffNp)).send(body({ attendance: [{ participantId: people.p1, role: 'attendee' }, { participantId: people.p1, role: 'speaker' }] }));
    assert.equal(dup.status, 400);
    assert.equal(dup.body.errors[0].field, 'attendance[1].participantId');
    const both = await t.http.post('/api/v1/sessions').set(auth(staffNp)).send(body({ attendance: [{ participantId: people.p1, policePartnerId: people.police, role: 'attendee' }] }));
    assert.equal(both.status, 400);
    const missing = await t.http.post('/api/v1/sessions').set(auth(staffNp)).send(body({ attendance: [{ policePartnerId: '00000000-0000-4000-8000-000000000009', role: 'attendee' }] }));
    assert.equal(missing.status, 404);
    assert.equal(missing.body.errors[0].field, 'attendance[0].policePartnerId');
    const noConsent = await t.http.post('/api/v1/sessions').set(auth(staffNp)).send(body({ attendance: [{ participantId: people.noConsent, role: 'attendee' }] }));
    assert.equal(noConsent.status, 409);
    assert.match(noConsent.body.detail, /consent/);
    assert.equal(noConsent.body.errors[0].field, 'attendance[0].participantId');
    assert.equal(await count('sessions'), before);
  });

  it('validates the body: future date, unknown topic, unknown field, oversize attendance', async () => {
    const future = new Date(Date.now() + 3 * 86_400_000).toISOString().slice(0, 10);
    const res = await t.http.post('/api/v1/sessions').set(auth(staffNp)).send(body({ heldOn: future, topics: ['weather'], colour: 'blue' }));
    assert.equal(res.status, 400);
    assert.deepEqual([...new Set(res.body.errors.map((e: { field: string }) => e.field))].sort(), ['colour', 'heldOn', 'topics']);
    const big = await t.http.post('/api/v1/sessions').set(auth(staffNp)).send(body({ attendance: Array.from({ length: 501 }, () => ({ participantId: people.p1, role: 'attendee' })) }));
    assert.equal(big.status, 400);
    assert.equal(big.body.errors[0].field, 'attendance');
    const badAp = await t.http.post('/api/v1/sessions').set(auth(staffNp)).send(body({ actionPoints: [{ description: 'x', dueOn: '2016-02-30' }] }));
    assert.equal(badAp.status, 400);
    assert.equal(badAp.body.errors[0].field, 'actionPoints[0].dueOn');
  });

  it('creates one session when a POST is retried with the same Idempotency-Key', async () => {
    const before = await count('sessions');
    const send = () => t.http.post('/api/v1/sessions').set(auth(staffNp)).set('Idempotency-Key', 'session-retry-1').send(body({ title: 'Retried over a bad line' }));
    const first = await send();
    const second = await send();
    const third = await send();
    assert.equal(first.status, 201);
    assert.deepEqual([second.status, third.status], [201, 201]);
    assert.equal(second.body.id, first.body.id);
    assert.equal(third.headers['idempotent-replayed'], 'true');
    assert.equal(await count('sessions'), before + 1);
    const audits = await t.db.query(`SELECT count(*) FROM audit_events WHERE entity = 'session' AND entity_id = $1`, [first.body.id]);
    assert.equal(Number(audits.rows[0].count), 1);
  });

  it('stores the answer to a POST with an Idempotency-Key in the write\'s own transaction, and replays it exactly', async () => {
    const send = () => t.http.post('/api/v1/sessions').set(auth(staffNp)).set('Idempotency-Key', 'session-stored-1').send(body({
      title: 'Stored with its write',
      attendance: [{ participantId: people.p1, role: 'attendee' }, { participantId: people.p2, role: 'facilitator' }],
      actionPoints: [{ description: 'Write to the district office', dueOn: '2016-08-01' }],
    }));
    const first = await send();
    assert.equal(first.status, 201, JSON.stringify(first.body));
    const key = await t.db.query(
      `SELECT k.state, k.response_status, k.response_location, k.xmin::text = s.xmin::text AS "withTheWrite"
         FROM idempotency_keys k, sessions s WHERE k.key = 'session-stored-1' AND s.id = $1`,
      [first.body.id],
    );
    // The same transaction id: the response was stored by the write's commit, not by a second one.
    assert.deepEqual(key.rows[0], { state: 'completed', response_status: 201, response_location: first.headers.location, withTheWrite: true });
    const replay = await send();
    assert.equal(replay.status, 201);
    assert.equal(replay.headers['idempotent-replayed'], 'true');
    assert.deepEqual(replay.body, first.body);
    assert.equal(replay.headers.location, first.headers.location);
    assert.equal(replay.headers.etag, first.headers.etag);
    assert.deepEqual((await t.http.get(first.headers.location).set(auth(staffNp))).body, first.body);
  });

  it('leaves no stored answer and no key behind when the write fails at commit, so a corrected retry with the key works', async () => {
    await t.db.query(`CREATE FUNCTION test_fail_at_commit() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'failing at commit on purpose'; END $$`);
    await t.db.query(
      `CREATE CONSTRAINT TRIGGER test_fail_at_commit AFTER INSERT ON sessions DEFERRABLE INITIALLY DEFERRED
         FOR EACH ROW WHEN (NEW.duration_minutes = 7) EXECUTE FUNCTION test_fail_at_commit()`,
    );
    try {
      const send = (title: string, durationMinutes: number) =>
        t.http.post('/api/v1/sessions').set(auth(staffNp)).set('Idempotency-Key', 'session-commit-fails').send(body({ title, durationMinutes }));
      const failed = await send('Fails at commit', 7);
      assert.ok(failed.status >= 500, `${failed.status} ${JSON.stringify(failed.body)}`);
      const keys = await t.db.query(`SELECT state FROM idempotency_keys WHERE key = 'session-commit-fails'`);
      assert.deepEqual(keys.rows, [], 'the key is released, not left completed with an answer that never committed');
      assert.equal(Number((await t.db.query(`SELECT count(*) FROM sessions WHERE duration_minutes = 7`)).rows[0].count), 0);
      const retry = await send('Committed on retry', 8);
      assert.equal(retry.status, 201, JSON.stringify(retry.body));
      assert.equal(retry.headers['idempotent-replayed'], undefined);
    } finally {
      await t.db.query('DROP TRIGGER test_fail_at_commit ON sessions');
      await t.db.query('DROP FUNCTION test_fail_at_commit()');
    }
  });

  it('patches with If-Match: stale → 412 and nothing changes; one audit row per change', async () => {
    const ok = await t.http.patch(`/api/v1/sessions/${sessionId}`).set(auth(staffNp)).set('If-Match', '"1"').send({ title: 'Monthly dialogue (July)', topics: ['crime'], unnamedAttendance: { women: 14, men: 8, youth: 5 } });
    assert.equal(ok.status, 200, JSON.stringify(ok.body));
    assert.equal(ok.body.version, 2);
    assert.equal(ok.headers.etag, '"2"');
    assert.deepEqual(ok.body.unnamedAttendance, { women: 14, men: 8, youth: 5 });
    const audits = await auditCount(t);
    const stale = await t.http.patch(`/api/v1/sessions/${sessionId}`).set(auth(staffNp)).set('If-Match', '"1"').send({ title: 'Lost update' });
    assert.equal(stale.status, 412);
    const row = await t.db.query('SELECT version, topics FROM sessions WHERE id = $1', [sessionId]);
    assert.deepEqual(row.rows[0], { version: 2, topics: ['crime'] });
    assert.equal((await storedSessionText(t, sessionId)).title, 'Monthly dialogue (July)');
    assert.equal(await auditCount(t), audits);
    const nullTitle = await t.http.patch(`/api/v1/sessions/${sessionId}`).set(auth(staffNp)).send({ title: null });
    assert.equal(nullTitle.status, 400);
    const moveNetwork = await t.http.patch(`/api/v1/sessions/${sessionId}`).set(auth(staffNp)).send({ networkId: npOther });
    assert.equal(moveNetwork.status, 400);
  });

  it('checks a changed facilitating partner like on create: missing 404, other country 400, nothing changed', async () => {
    const iqPartner = await insertPartner(t.db, { countryCode: 'IQ' });
    const missing = await t.http.patch(`/api/v1/sessions/${sessionId}`).set(auth(admin)).send({ facilitatorPartnerId: '00000000-0000-4000-8000-000000000007' });
    assert.equal(missing.status, 404);
    assert.equal(missing.body.errors[0].field, 'facilitatorPartnerId');
    const abroad = await t.http.patch(`/api/v1/sessions/${sessionId}`).set(auth(admin)).send({ facilitatorPartnerId: iqPartner });
    assert.equal(abroad.status, 400);
    const row = await t.db.query('SELECT facilitator_partner_id, version FROM sessions WHERE id = $1', [sessionId]);
    assert.deepEqual(row.rows[0], { facilitator_partner_id: partner, version: 2 });
  });

  it('lists with each filter', async () => {
    const make = async (extra: Record<string, unknown>) => {
      const res = await t.http.post('/api/v1/sessions').set(auth(admin)).send(body(extra));
      assert.equal(res.status, 201, JSON.stringify(res.body));
      return res.body.id as string;
    };
    const iqSession = await make({ networkId: iq, heldOn: '2015-03-02', kind: 'analysis_workshop', topics: ['sectarian_tension'] });
    const otherNp = await make({ networkId: npOther, heldOn: '2017-01-10', kind: 'community_outreach', topics: ['land'] });
    const ids = async (query: string) => {
      const res = await t.http.get(`/api/v1/sessions?${query}`).set(auth(admin));
      assert.equal(res.status, 200, JSON.stringify(res.body));
      return res.body.data.map((s: { id: string }) => s.id) as string[];
    };
    assert.deepEqual(await ids('countryCode=IQ'), [iqSession]);
    assert.deepEqual(await ids(`networkId=${npOther}`), [otherNp]);
    assert.deepEqual(await ids('from=2017-01-01'), [otherNp]);
    assert.deepEqual(await ids('to=2015-12-31'), [iqSession]);
    assert.deepEqual(await ids('kind=analysis_workshop'), [iqSession]);
    assert.deepEqual(await ids('topic=land'), [otherNp]);
    assert.deepEqual(await ids('topic=crime'), [sessionId]);
    assert.deepEqual(await ids(`partnerId=${partner}`).then((l) => l.includes(sessionId) && !l.includes(iqSession)), true);
    assert.deepEqual(await ids('hasStatePartner=true'), [sessionId]);
    assert.ok(!(await ids('hasStatePartner=false')).includes(sessionId));
    const list = await t.http.get(`/api/v1/sessions?networkId=${np}&topic=crime`).set(auth(staffNp));
    assert.deepEqual(list.body.data[0].attendanceCounts, { participants: 2, policePartners: 1 });
    assert.deepEqual(list.body.data[0].actionPointCounts, { open: 2, done: 0, dropped: 0 });
    assert.equal(list.body.data[0].attendance, undefined);
    const bad = await t.http.get('/api/v1/sessions?topic=weather&hasStatePartner=maybe').set(auth(admin));
    assert.equal(bad.status, 400);
  });

  it('shows in a list item exactly the fields of the full record, with counts instead of the people and action points', async () => {
    const list = await t.http.get(`/api/v1/sessions?networkId=${np}&topic=crime`).set(auth(staffNp));
    const item = list.body.data.find((s: { id: string }) => s.id === sessionId);
    const full = await t.http.get(`/api/v1/sessions/${sessionId}`).set(auth(staffNp));
    const { attendance, actionPoints, ...fields } = full.body;
    assert.ok(attendance.length && actionPoints.length);
    const { attendanceCounts, actionPointCounts, ...listed } = item;
    assert.deepEqual(listed, fields);
    assert.ok(attendanceCounts && actionPointCounts);
  });

  it('writes list JSON (built by PostgreSQL) exactly as JSON.stringify writes the full record: escapes, nulls, key order', async () => {
    const awkward = 'Quote " backslash \\ slash / newline \n tab \t bell \u0001 del \u007f Arabic حوار emoji 🕊️ </script> \u2028';
    const created = await t.http.post('/api/v1/sessions').set(auth(admin)).send(body({ networkId: npOther, heldOn: '2014-02-03', title: awkward, summary: awkward, place: 'é"\\' }));
    assert.equal(created.status, 201, JSON.stringify(created.body));
    const bare = await t.http.post('/api/v1/sessions').set(auth(admin)).send(body({ networkId: npOther, heldOn: '2014-02-02' }));
    assert.equal(bare.status, 201, JSON.stringify(bare.body));
    // Archived with a sub-millisecond instant: the list writes milliseconds, truncated, like Date.
    await t.db.query(`UPDATE sessions SET archived_at = '2014-03-04T05:06:07.089999Z' WHERE id = $1`, [bare.body.id]);

    const list = await t.http.get(`/api/v1/sessions?networkId=${npOther}&to=2014-12-31&includeArchived=true`).set(auth(admin));
    assert.equal(list.status, 200);
    assert.equal(list.headers['content-type'], 'application/json; charset=utf-8');
    assert.equal(list.text, JSON.stringify(list.body), 'compact, in the order JSON.stringify writes');
    assert.deepEqual(list.body.data.map((s: { id: string }) => s.id), [created.body.id, bare.body.id]);
    for (const item of list.body.data) {
      const full = await t.http.get(`/api/v1/sessions/${item.id}`).set(auth(admin));
      const { attendance: _attendance, actionPoints: _actionPoints, ...fields } = full.body;
      assert.equal(JSON.stringify(item), JSON.stringify({ ...fields, attendanceCounts: { participants: 0, policePartners: 0 }, actionPointCounts: { open: 0, done: 0, dropped: 0 } }));
    }
    const [withText, withNulls] = list.body.data;
    assert.equal(withText.title, awkward);
    assert.equal(withText.place, 'é"\\');
    assert.deepEqual([withNulls.place, withNulls.summary, withNulls.durationMinutes, withNulls.facilitatorPartnerId, withNulls.topics], [null, null, null, null, []]);
    assert.equal(withNulls.archivedAt, '2014-03-04T05:06:07.089Z');
  });

  it('declares NULL in the list item\'s JSON kinds exactly where the schema allows it (a NOT NULL kind writes NULL as broken JSON)', async () => {
    const { rows } = await t.db.query<{ column_name: string; is_nullable: string }>(
      `SELECT column_name, is_nullable FROM information_schema.columns WHERE table_schema = 'public' AND table_name = 'sessions'`);
    const schema = new Map(rows.map((r) => [r.column_name, r.is_nullable === 'YES']));
    // facilitatorPartnerId is read through the caller's scope (alias f), still from sessions. The title
    // slot holds the sealed text (read by a subquery), place and summary are written null: Node fills in all three.
    const declared = [...jsonColumns(SESSION_ITEM_FIELDS, 's'), ...jsonColumns(SESSION_ITEM_FIELDS, 'f')];
    assert.equal(declared.length, 15);
    for (const { column, nullable } of declared) assert.equal(nullable, schema.get(column), `sessions.${column}`);
  });

  it('pages most recent first without repeating or skipping', async () => {
    const all = await t.http.get('/api/v1/sessions?limit=200').set(auth(admin));
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const res: Response = await t.http.get(`/api/v1/sessions?limit=2${cursor ? `&cursor=${cursor}` : ''}`).set(auth(admin));
      seen.push(...res.body.data.map((s: { id: string }) => s.id));
      cursor = res.body.nextCursor;
    } while (cursor);
    assert.deepEqual(seen, all.body.data.map((s: { id: string }) => s.id));
    const dates = all.body.data.map((s: { heldOn: string }) => s.heldOn);
    assert.deepEqual(dates, [...dates].sort().reverse());
  });

  it('archives (204, one audit row); archived sessions leave the list unless asked for', async () => {
    const audits = await auditCount(t);
    const res = await t.http.delete(`/api/v1/sessions/${sessionId}`).set(auth(staffNp));
    assert.equal(res.status, 204);
    assert.equal(await auditCount(t), audits + 1);
    const again = await t.http.delete(`/api/v1/sessions/${sessionId}`).set(auth(staffNp));
    assert.equal(again.status, 204);
    assert.equal(await auditCount(t), audits + 1);
    const list = await t.http.get('/api/v1/sessions?topic=crime').set(auth(admin));
    assert.equal(list.body.data.length, 0);
    const withArchived = await t.http.get('/api/v1/sessions?topic=crime&includeArchived=true').set(auth(admin));
    assert.equal(withArchived.body.data.length, 1);
    assert.ok(withArchived.body.data[0].archivedAt);
    const full = await t.http.get(`/api/v1/sessions/${sessionId}`).set(auth(admin));
    assert.equal(withArchived.body.data[0].archivedAt, full.body.archivedAt);
    assert.equal((await t.db.query('SELECT count(*) FROM sessions WHERE id = $1', [sessionId])).rows[0].count, '1');
  });
});
