import assert from 'node:assert/strict';
import { randomBytes, randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { getMetadataStorage } from 'class-validator';
import { PersonalDataCipher } from '../../src/common/crypto/personal-data-cipher';
import { CIPHER as DISPUTE_CIPHER } from '../../src/disputes/dispute-mapper';
import { EARLY_WARNING_CIPHER } from '../../src/early-warning/early-warning-text';
import { FIELD_WORK_CIPHER } from '../../src/field-work/session-text';
import { INITIATIVE_CIPHER } from '../../src/initiatives/initiative-text';
import { createUser } from '../support/auth';
import { cipherOf } from '../support/free-text';
import { startTestApp } from '../support/test-app';
import { ROUTES } from './route-matrix';
import { bearer, buildWorld, call, Caller, Target, World } from './world';

/**
 * Free text is personal data (issue 19, break 2): an early warning gave a woman's full name and
 * phone number as the person threatened, and hq_analyst read it; titles, summaries, places,
 * descriptions and notes were stored in clear and copied into the audit log. Every free-text
 * field of every request body gets a marker here (through the API, on create, update and
 * transition), and then:
 * - no table holds a marker in clear, the audit log and the stored responses included, and the
 *   columns hold ciphertext that opens to it;
 * - no GET answer shows a marker to hq_analyst or to the partner of another network, while admin,
 *   the country's staff and the network's partner see every one of them;
 * - hq_analyst gets each field as null, not absent;
 * - the audit log says each field changed, with "[redacted]" for its values;
 * - every string field of every request DTO is either one of these or listed below with the
 *   reason it is not free text about people: a new free-text field fails here until it is handled.
 */
const V1 = '/api/v1';
const CIPHERTEXT = /^v1:[\w-]+:[\w-]+:[\w-]+:[\w-]*$/;

/** String fields of request bodies that are not free text about people, and why. */
const NOT_FREE_TEXT: Record<string, string> = {
  'LoginDto.email': 'credentials', 'LoginDto.password': 'credentials', 'RefreshTokenDto.refreshToken': 'credentials',
  'CreateUserDto.password': 'credentials', 'UpdateUserDto.password': 'credentials',
  'CreateUserDto.displayName': 'a staff account, not a person at risk', 'UpdateUserDto.displayName': 'a staff account, not a person at risk',
  'CreateApiKeyDto.name': 'a machine client',
  'CreateCountryDto.name': 'programme structure', 'CreateCountryDto.region': 'programme structure', 'UpdateCountryDto.name': 'programme structure',
  'UpdateCountryDto.region': 'programme structure', 'CreateNetworkDto.name': 'programme structure', 'CreateNetworkDto.adminArea': 'programme structure',
  'UpdateNetworkDto.name': 'programme structure', 'UpdateNetworkDto.adminArea': 'programme structure', 'CreatePartnerDto.name': 'an organisation',
  'UpdatePartnerDto.name': 'an organisation', 'CreateInitiativeDto.funder': 'an organisation (exact-match filter)', 'UpdateInitiativeDto.funder': 'an organisation',
  'CreateParticipantDto.fullName': 'identity: encrypted by the people module', 'CreateParticipantDto.phone': 'identity: encrypted by the people module',
  'UpdateParticipantDto.fullName': 'identity', 'UpdateParticipantDto.phone': 'identity', 'CreatePolicePartnerDto.fullName': 'identity',
  'UpdatePolicePartnerDto.fullName': 'identity',
  // The person's own attributes (people module): audited by name only and wiped on erasure; held in clear for now (see docs/security.md).
  'CreateParticipantDto.affiliation': 'people module', 'UpdateParticipantDto.affiliation': 'people module', 'ConsentDto.scope': 'people module',
  'CreatePolicePartnerDto.rank': 'people module', 'CreatePolicePartnerDto.unit': 'people module', 'CreatePolicePartnerDto.station': 'people module',
  'UpdatePolicePartnerDto.rank': 'people module', 'UpdatePolicePartnerDto.unit': 'people module', 'UpdatePolicePartnerDto.station': 'people module',
  'SyncOperationDto.resource': 'a code', 'MoneyDto.amount': 'a decimal', 'CreateLearningSummaryRunDto.period': 'a code',
};

describe('free text is personal data', () => {
  let w: World;
  let cipher: PersonalDataCipher;
  let admin: Caller;
  let otherPartner: Caller;
  const tag = randomBytes(4).toString('hex');
  /** Field → the marker planted in it: a made-up name, unique per field. */
  const markers = new Map<string, string>();
  const mark = (field: string) => {
    const marker = `Witness${field.replace(/\W/g, '')}${tag}`;
    markers.set(field, marker);
    return `Threat against ${marker}, phone +977 98${tag.slice(0, 4)}`;
  };
  const targets: Record<string, Target> = {};
  const raw: { table: string; column: string; id: string; context: string; field: string }[] = [];

  const send = async (method: string, path: string, body: object, caller: Caller = admin, key = true) => {
    const headers = { ...caller.headers, ...(key && method === 'POST' ? { 'Idempotency-Key': randomUUID() } : {}) };
    const res = await call(w.t, method, `${V1}${path}`, headers, body);
    assert.ok(res.status < 300, `${method} ${path}: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body;
  };

  before(async () => {
    w = await buildWorld(await startTestApp());
    cipher = cipherOf(w.t);
    admin = w.callers.find((c) => c.role === 'admin')!;
    const p2 = await createUser(w.t, w.admin, { role: 'partner', partnerId: w.places.A2.partnerId });
    otherPartner = { name: 'partner P2 (another network)', role: 'partner', kind: 'user', headers: bearer(p2.token) };
    const a1 = w.places.A1;

    const session = await send('POST', '/sessions', {
      networkId: a1.networkId, title: mark('session.title'), kind: 'dialogue', heldOn: '2016-07-14', place: mark('session.place'), summary: mark('session.summary'),
      actionPoints: [{ description: mark('actionPoint.description') }],
    });
    const pointId = session.actionPoints[0].id;
    targets.session = { id: session.id, actionPointId: pointId };
    await send('PATCH', `/sessions/${session.id}`, { summary: mark('session.summary.patched') });
    await send('PATCH', `/sessions/${session.id}/action-points/${pointId}`, { description: mark('actionPoint.description.patched') });
    const partnerP1 = w.callers.find((c) => c.name === 'partner P1')!;
    const sync = await send('POST', '/sync', { operations: [{ clientId: randomUUID(), resource: 'sessions', method: 'POST', body: {
      networkId: a1.networkId, title: mark('sync.title'), kind: 'dialogue', heldOn: '2016-07-15',
    } }] }, partnerP1);
    assert.equal(sync.results[0].status, 201, JSON.stringify(sync));
    raw.push({ table: 'sessions', column: 'text_enc', id: session.id, context: FIELD_WORK_CIPHER.sessionText, field: 'session.title' },
      { table: 'action_points', column: 'description_enc', id: pointId, context: FIELD_WORK_CIPHER.actionPointDescription, field: 'actionPoint.description.patched' });

    const warning = await send('POST', '/early-warnings', {
      countryCode: a1.country, networkId: a1.networkId, observedOn: '2016-05-01', riskFactors: [13], severity: 'critical',
      place: mark('earlyWarning.place'), description: mark('earlyWarning.description'),
    });
    targets.earlyWarning = { id: warning.id };
    await send('PATCH', `/early-warnings/${warning.id}`, { description: mark('earlyWarning.description.patched') });
    await send('POST', `/early-warnings/${warning.id}/transitions`, { to: 'verified', note: mark('earlyWarning.note') });
    raw.push({ table: 'early_warnings', column: 'place_enc', id: warning.id, context: EARLY_WARNING_CIPHER.place, field: 'earlyWarning.place' },
      { table: 'early_warnings', column: 'description_enc', id: warning.id, context: EARLY_WARNING_CIPHER.description, field: 'earlyWarning.description.patched' });

    const value = await send('POST', '/indicator-values', { networkId: a1.networkId, indicator: 'reported_crimes', period: '2016-04', value: 3, source: mark('indicatorValue.source') });
    targets.indicatorValue = { id: value.id };
    await send('PATCH', `/indicator-values/${value.id}`, { source: mark('indicatorValue.source.patched') });
    raw.push({ table: 'indicator_values', column: 'source_enc', id: value.id, context: EARLY_WARNING_CIPHER.indicatorSource, field: 'indicatorValue.source.patched' });

    const initiative = await send('POST', '/initiatives', {
      networkId: a1.networkId, title: mark('initiative.title'), problemStatement: mark('initiative.problemStatement'), category: 'help_desk', funder: 'Embassy',
      budget: { amount: '1000.00', currency: 'USD' },
    });
    await send('PATCH', `/initiatives/${initiative.id}`, { title: mark('initiative.title.patched') });
    await send('POST', `/initiatives/${initiative.id}/transitions`, { to: 'approved', note: mark('initiative.note') });
    const milestone = await send('POST', `/initiatives/${initiative.id}/milestones`, { description: mark('milestone.description') });
    await send('PATCH', `/initiatives/${initiative.id}/milestones/${milestone.id}`, { description: mark('milestone.description.patched') });
    const disbursement = await send('POST', `/initiatives/${initiative.id}/disbursements`, {
      amount: { amount: '10.00', currency: 'USD' }, disbursedOn: '2016-03-01', reference: mark('disbursement.reference'),
    });
    targets.initiative = { id: initiative.id, milestoneId: milestone.id, disbursementId: disbursement.id };
    raw.push({ table: 'initiatives', column: 'title_enc', id: initiative.id, context: INITIATIVE_CIPHER.title, field: 'initiative.title.patched' },
      { table: 'initiatives', column: 'problem_statement_enc', id: initiative.id, context: INITIATIVE_CIPHER.problemStatement, field: 'initiative.problemStatement' },
      { table: 'milestones', column: 'description_enc', id: milestone.id, context: INITIATIVE_CIPHER.milestoneDescription, field: 'milestone.description.patched' },
      { table: 'disbursements', column: 'reference_enc', id: disbursement.id, context: INITIATIVE_CIPHER.disbursementReference, field: 'disbursement.reference' });

    const dispute = await send('POST', '/disputes', {
      networkId: a1.networkId, reportedByPartnerId: a1.partnerId, reportedOn: '2016-01-10', category: 'land', description: mark('dispute.description'),
      parties: [{ label: mark('dispute.party') }, { label: 'Other family' }], severity: 'medium', violenceRisk: 'low',
    });
    targets.dispute = { id: dispute.id };
    await send('PATCH', `/disputes/${dispute.id}`, { description: mark('dispute.description.patched') });
    await send('POST', `/disputes/${dispute.id}/transitions`, { to: 'referred', note: mark('dispute.note'), referral: { to: 'court', reference: mark('dispute.referral') } });
    raw.push({ table: 'disputes', column: 'referral_reference_enc', id: dispute.id, context: DISPUTE_CIPHER.referralReference, field: 'dispute.referral' });
  });
  after(() => w?.t.close());

  it('stores every free-text field only encrypted, and copies none into the audit log or anywhere else', async () => {
    const { rows: tables } = await w.t.db.query<{ name: string }>(
      `SELECT table_name AS name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY 1`,
    );
    const found: string[] = [];
    for (const { name } of tables) {
      const { rows } = await w.t.db.query<{ row: string }>(`SELECT to_jsonb(x)::text AS row FROM "${name}" x`);
      for (const { row } of rows) for (const [field, marker] of markers) if (row.includes(marker)) found.push(`${name}: ${field}`);
    }
    assert.deepEqual(found, []);
    for (const r of raw) {
      const { rows } = await w.t.db.query(`SELECT ${r.column} AS value FROM ${r.table} WHERE id = $1`, [r.id]);
      assert.match(rows[0].value, CIPHERTEXT, `${r.table}.${r.column}`);
      assert.ok(cipher.decrypt(rows[0].value, r.context).includes(markers.get(r.field)!), `${r.table}.${r.column} opens to what was written`);
    }
  });

  it('shows free text to admin, the country\'s staff and the network\'s partner, never to hq_analyst or another network\'s partner', async () => {
    const callers = [...w.callers, otherPartner];
    const seen = new Map<string, Set<string>>(callers.map((c) => [c.name, new Set<string>()]));
    let scanned = 0;
    for (const caller of callers) {
      for (const [key, entry] of Object.entries(ROUTES)) {
        if (!key.startsWith('GET /api/v1/') || entry.roles === 'public' || !entry.roles.includes(caller.role)) continue;
        if (entry.target && !targets[entry.target]) continue;
        const target = entry.target ? targets[entry.target] : {};
        const url = key.slice(4).replace(/\{(\w+)\}/g, (_, name: string) => target[name]) + (entry.query?.(w.places.A1) ?? '');
        const res = await call(w.t, 'GET', url, caller.headers);
        scanned += 1;
        const text = JSON.stringify(res.body);
        for (const [field, marker] of markers) if (text.includes(marker)) seen.get(caller.name)!.add(field);
      }
    }
    // Fields overwritten by a PATCH are gone; the others must all be shown.
    const current = [...markers.keys()].filter((f) => ![...markers.keys()].includes(`${f}.patched`));
    assert.deepEqual([...seen.get('hq_analyst')!], [], 'hq_analyst reads free text');
    assert.deepEqual([...seen.get(otherPartner.name)!], [], 'the partner of another network reads free text');
    for (const name of ['admin', 'country_staff NP', 'partner P1']) assert.deepEqual([...seen.get(name)!].sort(), current.sort(), `${name} sees every field`);
    console.log(`# free text: ${markers.size} fields, ${scanned} GET answers scanned`);
  });

  it('gives hq_analyst every free-text field as null, not absent', async () => {
    const hq = w.callers.find((c) => c.role === 'hq_analyst')!;
    const get = async (path: string) => (await call(w.t, 'GET', `${V1}${path}`, hq.headers)).body;
    const session = await get(`/sessions/${targets.session.id}`);
    assert.deepEqual([session.title, session.place, session.summary, session.actionPoints[0].description], [null, null, null, null]);
    const list = await get(`/sessions?networkId=${w.places.A1.networkId}`);
    assert.ok(list.data.length >= 2);
    for (const item of list.data) assert.deepEqual([item.title, item.place, item.summary], [null, null, null]);
    const points = await get(`/action-points?networkId=${w.places.A1.networkId}`);
    assert.deepEqual([points.data[0].description, points.data[0].sessionTitle], [null, null]);
    const warning = await get(`/early-warnings/${targets.earlyWarning.id}`);
    assert.deepEqual([warning.place, warning.description, warning.history[0].note], [null, null, null]);
    assert.equal((await get(`/indicator-values/${targets.indicatorValue.id}`)).source, null);
    const initiative = await get(`/initiatives/${targets.initiative.id}`);
    assert.deepEqual([initiative.title, initiative.problemStatement, initiative.history[0].note, initiative.milestones[0].description, initiative.disbursements[0].reference],
      [null, null, null, null, null]);
    assert.equal((await get(`/initiatives/${targets.initiative.id}/milestones/${targets.initiative.milestoneId}`)).description, null);
    assert.equal((await get(`/initiatives/${targets.initiative.id}/disbursements/${targets.initiative.disbursementId}`)).reference, null);
    const dispute = await get(`/disputes/${targets.dispute.id}`);
    assert.deepEqual([dispute.description, dispute.parties[0].label, dispute.referral.reference, dispute.history[1].note], [null, null, null, null]);
    assert.equal(dispute.referral.to, 'court', 'the rest of the record is there');
  });

  it('audits that free text was set or changed, with [redacted] for what it says', async () => {
    const changes = async (entity: string, id: string) =>
      (await w.t.db.query(`SELECT action, changes FROM audit_events WHERE entity = $1 AND entity_id = $2 ORDER BY seq`, [entity, id])).rows as { action: string; changes: Record<string, { from?: unknown; to?: unknown }> }[];
    const redacted = (events: { changes: Record<string, { from?: unknown; to?: unknown }> }[], field: string) =>
      events.filter((e) => e.changes[field]).map((e) => e.changes[field]);
    const session = await changes('session', targets.session.id);
    assert.deepEqual(redacted(session, 'title'), [{ to: '[redacted]' }]);
    assert.deepEqual(redacted(session, 'summary'), [{ to: '[redacted]' }, { from: '[redacted]', to: '[redacted]' }]);
    assert.deepEqual(redacted(await changes('action_point', targets.session.actionPointId), 'description'), [{ from: '[redacted]', to: '[redacted]' }]);
    const warning = await changes('early_warning', targets.earlyWarning.id);
    assert.deepEqual(redacted(warning, 'place'), [{ to: '[redacted]' }]);
    assert.deepEqual(redacted(warning, 'note'), [{ to: '[redacted]' }]);
    assert.deepEqual(redacted(await changes('indicator_value', targets.indicatorValue.id), 'source'), [{ to: '[redacted]' }, { from: '[redacted]', to: '[redacted]' }]);
    const initiative = await changes('initiative', targets.initiative.id);
    assert.deepEqual(redacted(initiative, 'title'), [{ to: '[redacted]' }, { from: '[redacted]', to: '[redacted]' }]);
    assert.deepEqual(redacted(initiative, 'problemStatement'), [{ to: '[redacted]' }]);
    assert.deepEqual(redacted(await changes('milestone', targets.initiative.milestoneId), 'description'), [{ to: '[redacted]' }, { from: '[redacted]', to: '[redacted]' }]);
    assert.deepEqual(redacted(await changes('disbursement', targets.initiative.disbursementId), 'reference'), [{ to: '[redacted]' }]);
    const dispute = await changes('dispute', targets.dispute.id);
    assert.deepEqual(redacted(dispute, 'description'), [{ to: '[redacted]' }, { from: '[redacted]', to: '[redacted]' }]);
    assert.deepEqual(redacted(dispute, 'referral'), [{ to: { to: 'court', reference: '[redacted]' } }]);
  });

  it('knows every string field of every request body: free text is handled, anything else is listed with its reason', () => {
    const handled = new Set([
      'CreateSessionDto.title', 'CreateSessionDto.place', 'CreateSessionDto.summary', 'UpdateSessionDto.title', 'UpdateSessionDto.place', 'UpdateSessionDto.summary',
      'CreateActionPointDto.description', 'UpdateActionPointDto.description',
      'CreateEarlyWarningDto.place', 'CreateEarlyWarningDto.description', 'UpdateEarlyWarningDto.place', 'UpdateEarlyWarningDto.description', 'EarlyWarningTransitionDto.note',
      'CreateIndicatorValueDto.source', 'UpdateIndicatorValueDto.source',
      'CreateInitiativeDto.title', 'CreateInitiativeDto.problemStatement', 'UpdateInitiativeDto.title', 'UpdateInitiativeDto.problemStatement', 'InitiativeTransitionDto.note',
      'CreateMilestoneDto.description', 'UpdateMilestoneDto.description', 'CreateDisbursementDto.reference',
      'DisputeDescriptionFields.description', 'UpdateDisputeDto.description', 'DisputePartyDto.label', 'DisputeTransitionDto.note', 'ResolutionDto.terms', 'ReferralDto.reference',
    ]);
    const strings: string[] = [];
    // Every class class-validator knows (all DTOs are loaded with the app), by the validators on each property.
    const storage = getMetadataStorage() as unknown as { validationMetadatas: Map<{ name: string }, { propertyName: string; name?: string }[]> };
    for (const [target, metas] of storage.validationMetadatas) {
      if (/QueryDto$/.test(target.name)) continue; // filters, not stored
      for (const m of metas) if (m.name === 'isString') strings.push(`${target.name}.${m.propertyName}`);
    }
    assert.ok(strings.length > 40, 'the DTO classes are loaded');
    assert.deepEqual(strings.filter((s) => !handled.has(s) && !NOT_FREE_TEXT[s]), [], 'a string field that is neither encrypted free text nor listed as something else');
  });
});
