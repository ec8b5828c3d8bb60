import assert from 'node:assert/strict';
import { randomBytes, randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { DataSource } from 'typeorm';
import { PersonalDataCipher } from '../../src/common/crypto/personal-data-cipher';
import { CIPHER as DISPUTE_CIPHER } from '../../src/disputes/dispute-mapper';
import { CriticalWarningNotifier } from '../../src/early-warning/critical-warning.notifier';
import { EARLY_WARNING_CIPHER } from '../../src/early-warning/early-warning-text';
import { FIELD_WORK_CIPHER } from '../../src/field-work/session-text';
import { INITIATIVE_CIPHER } from '../../src/initiatives/initiative-text';
import { adminToken, createUser } from '../support/auth';
import { insertNetwork, insertPartner } from '../support/fixtures';
import { cipherOf } from '../support/free-text';
import { startTestApp, TestApp } from '../support/test-app';

/**
 * Erasure is complete (issue 19): a participant and a police partner are referenced from every
 * place that can hold them — attendance, dispute parties and mediators, free text of every kind
 * naming them, stored Idempotency-Key responses that showed them, outbox messages, sync records,
 * notifications, the audit log — then erased through the API. Afterwards every column of every
 * table is read, every ciphertext decrypted (and the JSON inside it read too), and neither name
 * nor phone number may be found anywhere.
 */
const V1 = '/api/v1';
const auth = (token: string) => ({ Authorization: `Bearer ${token}` });

/** A JSON object or array held as text (session text, stored responses), else undefined. */
function parsed(text: string): unknown {
  if (!/^[[{]/.test(text)) return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/** Every context the app encrypts with: a stored value none of them opens fails the scan, so nothing hides in it. */
const CONTEXTS = [
  'participant.fullName', 'participant.phone', 'police_partner.fullName', 'idempotency.responseBody',
  ...Object.values(FIELD_WORK_CIPHER), ...Object.values(EARLY_WARNING_CIPHER), ...Object.values(INITIATIVE_CIPHER), ...Object.values(DISPUTE_CIPHER),
];
const CIPHERTEXT = /^v1:[\w-]+:[\w-]+:[\w-]+:[\w-]*$/;

describe('erasure is complete', () => {
  let t: TestApp;
  let admin: string;
  let staff: string;
  let partnerUser: string;
  let network: string;
  let otherNetwork: string;
  let partner: string;
  let cipher: PersonalDataCipher;
  const tag = randomBytes(4).toString('hex');
  // Names no other text of the test could contain; the phone as she gave it, and as people type it elsewhere.
  const digits8 = String(parseInt(tag, 16) % 1e8).padStart(8, '0');
  const her = { given: `Amina${tag}`, family: `Qasimi${tag}`, phone: `+977 98${digits8.slice(0, 4)} ${digits8.slice(4)}` };
  const herName = `${her.given} ${her.family}`;
  const herPhoneTyped = `098-${digits8.slice(0, 4)}-${digits8.slice(4)}`;
  const him = { name: `Officer Zephyr${tag} Brandt${tag}` };
  const ids: Record<string, string> = {};

  const post = async (token: string, path: string, body: object, key?: string) => {
    const req = t.http.post(`${V1}${path}`).set(auth(token));
    if (key) req.set('Idempotency-Key', key);
    const res = await req.send(body);
    assert.ok(res.status === 201 || res.status === 200, `${path}: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body;
  };

  before(async () => {
    t = await startTestApp();
    cipher = cipherOf(t);
    admin = await adminToken(t);
    partner = await insertPartner(t.db, { countryCode: 'NP' });
    network = await insertNetwork(t.db, { countryCode: 'NP', partnerIds: [partner] });
    otherNetwork = await insertNetwork(t.db, { countryCode: 'NP' });
    staff = (await createUser(t, admin, { role: 'country_staff', countryCodes: ['NP'] })).token;
    partnerUser = (await createUser(t, admin, { role: 'partner', partnerId: partner })).token;

    // The two people, each created with an Idempotency-Key (their stored answers show them) and looked at.
    ids.participant = (await post(staff, '/participants', {
      countryCode: 'NP', fullName: herName, phone: her.phone, gender: 'female', ageBand: '30_44', stakeholderGroup: 'womens_group',
      affiliation: `Women's group of ${her.family}`, networkIds: [network], consent: { given: true, recordedOn: '2024-03-01', scope: 'programme records' },
    }, `erase-${tag}-participant`)).id;
    ids.police = (await post(staff, '/police-partners', {
      countryCode: 'NP', fullName: him.name, institution: 'police', rank: 'Inspector', unit: `Unit of ${him.name}`, station: 'Ward 4', networkIds: [network],
    }, `erase-${tag}-police`)).id;
    assert.equal((await t.http.get(`${V1}/participants/${ids.participant}`).set(auth(staff))).body.fullName, herName);

    // Another person whose record names her.
    await post(staff, '/participants', {
      countryCode: 'NP', fullName: `Sister ${tag}`, gender: 'female', ageBand: '18_29', stakeholderGroup: 'youth_group', affiliation: `Sister of ${herName}`,
      networkIds: [network], consent: { given: true, recordedOn: '2024-03-01', scope: `Consent taken in the presence of ${herName}` },
    });

    // A session both attended, naming them in every free-text field, with a stored answer.
    const session = await post(staff, '/sessions', {
      networkId: network, title: `Dialogue with ${herName}`, kind: 'dialogue', heldOn: '2016-07-14', place: `House of ${him.name}`,
      summary: `${her.given} spoke about the threats; call her on ${herPhoneTyped}. ${him.name} promised patrols.`,
      attendance: [{ participantId: ids.participant, role: 'speaker' }, { policePartnerId: ids.police, role: 'attendee' }],
      actionPoints: [{ description: `${her.family} to report back (${her.phone})` }],
    }, `erase-${tag}-session`);
    ids.session = session.id;
    await t.http.patch(`${V1}/sessions/${session.id}/action-points/${session.actionPoints[0].id}`).set(auth(staff)).send({ status: 'done' }).expect(200);
    // A session she did not attend, naming her in full: found in every record of the country.
    ids.unlinkedSession = (await post(staff, '/sessions', {
      networkId: otherNetwork, title: 'Market-day dialogue', kind: 'dialogue', heldOn: '2016-08-01', summary: `Neighbours asked after ${herName.toUpperCase()}.`,
    })).id;
    // A session recorded offline by the partner, naming her: a sync operation record.
    const sync = await t.http.post(`${V1}/sync`).set(auth(partnerUser)).send({ operations: [{ clientId: randomUUID(), resource: 'sessions', method: 'POST', body: {
      networkId: network, title: 'Offline dialogue', kind: 'dialogue', heldOn: '2016-08-02', summary: `Met ${herName} at the market`,
      attendance: [{ participantId: ids.participant, role: 'attendee' }],
    } }] }).expect(200);
    assert.equal(sync.body.results[0].status, 201, JSON.stringify(sync.body));

    // A dispute with her as a party and a mediator, through its workflow; each answer stored.
    const dispute = await post(partnerUser, '/disputes', {
      networkId: network, reportedByPartnerId: partner, reportedOn: '2016-01-10', category: 'land',
      description: `${her.given} claims the plot; ${him.name} witnessed the boundary stones moved.`,
      parties: [{ label: herName, participantId: ids.participant }, { label: 'The northern family' }], mediatorIds: [ids.participant],
      severity: 'high', violenceRisk: 'medium', sessionIds: [ids.session],
    }, `erase-${tag}-dispute`);
    ids.dispute = dispute.id;
    await post(partnerUser, `/disputes/${dispute.id}/transitions`, { to: 'in_mediation', note: `${her.given} agreed to meet the elders` }, `erase-${tag}-mediation`);
    await post(partnerUser, `/disputes/${dispute.id}/transitions`, {
      to: 'resolved', note: 'Settled', resolution: { terms: `The plot goes to ${her.family}; payment by phone ${her.phone}.`, agreedOn: '2016-02-01' },
    });
    // A dispute she has no part in, referred with a reference naming her in full.
    const referred = await post(staff, '/disputes', {
      networkId: network, reportedByPartnerId: partner, reportedOn: '2016-03-01', category: 'family', description: 'A family quarrel.',
      parties: [{ label: 'Husband' }, { label: 'Wife' }], severity: 'low', violenceRisk: 'low',
    });
    await post(staff, `/disputes/${referred.id}/transitions`, { to: 'referred', note: 'Referred', referral: { to: 'court', reference: `Case of ${herName}` } });

    // A critical early warning naming them: an outbox message, and notifications (the worker's job, run here).
    const warning = await post(staff, '/early-warnings', {
      countryCode: 'NP', networkId: network, observedOn: '2016-05-01', riskFactors: [9, 13], severity: 'critical', place: `Near the house of ${him.name}`,
      description: `Threats against ${herName}, phone ${her.phone}.`, sourceSessionId: ids.session,
    }, `erase-${tag}-warning`);
    await post(staff, `/early-warnings/${warning.id}/transitions`, { to: 'verified', note: `${him.name} confirmed the threats` });
    const notified = await new CriticalWarningNotifier(t.app.get(DataSource)).notify({ earlyWarningId: warning.id, trigger: 'reported' });
    assert.ok(notified.notified >= 1);

    // Initiatives, their history, milestones and disbursements; an indicator value citing him.
    const initiative = await post(staff, '/initiatives', {
      networkId: network, title: `Help desk proposed by ${herName}`, problemStatement: `Women like ${her.given} ${her.family} cannot report.`,
      category: 'help_desk', funder: 'Embassy', budget: { amount: '1000.00', currency: 'USD' }, originSessionIds: [ids.session],
    }, `erase-${tag}-initiative`);
    await post(staff, `/initiatives/${initiative.id}/transitions`, { to: 'approved', note: `Approved after ${him.name} vouched` });
    await post(staff, `/initiatives/${initiative.id}/milestones`, { description: `${herName} trains the desk officers` });
    await post(staff, `/initiatives/${initiative.id}/disbursements`, { amount: { amount: '10.00', currency: 'USD' }, disbursedOn: '2016-03-01', reference: `Paid to ${herPhoneTyped}` });
    await post(staff, '/indicator-values', { networkId: network, indicator: 'reported_crimes', period: '2016-03', value: 12, source: `Figures from ${him.name}` });
  });
  after(() => t?.close());

  /** Every string in the database, with the ciphertexts opened: `[where, text]`. */
  async function everyText(): Promise<[string, string][]> {
    const { rows: tables } = await t.db.query<{ name: string }>(
      `SELECT table_name AS name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY 1`,
    );
    const out: [string, string][] = [];
    const unreadable: string[] = [];
    const walk = (where: string, value: unknown): void => {
      if (typeof value === 'string') {
        out.push([where, value]);
        if (!CIPHERTEXT.test(value)) return;
        const context = CONTEXTS.find((c) => {
          try {
            cipher.decrypt(value, c);
            return true;
          } catch {
            return false;
          }
        });
        if (!context) return void unreadable.push(where);
        const clear = cipher.decrypt(value, context);
        out.push([`${where} (${context})`, clear]);
        const json = parsed(clear);
        if (json !== undefined) walk(`${where} (${context}) JSON`, json);
      } else if (Array.isArray(value)) value.forEach((v, i) => walk(`${where}[${i}]`, v));
      else if (value && typeof value === 'object') for (const [k, v] of Object.entries(value)) walk(`${where}.${k}`, v);
    };
    for (const { name } of tables) {
      const { rows } = await t.db.query<{ row: Record<string, unknown> }>(`SELECT to_jsonb(x) AS row FROM "${name}" x`);
      rows.forEach((r, i) => walk(`${name}#${i}`, r.row));
    }
    assert.deepEqual(unreadable, [], 'values no known context decrypts: the scan could not look inside them');
    return out;
  }

  /** Where the database still shows one of them. */
  const mentions = (texts: [string, string][]) =>
    texts.flatMap(([where, text]) => {
      const lower = text.toLowerCase();
      const found = [herName, her.given, her.family, him.name, `Zephyr${tag}`, `Brandt${tag}`].filter((s) => lower.includes(s.toLowerCase()));
      // Digits only where a phone can be typed: not in ciphertexts and hashes, whose digits can line up by chance.
      if (!CIPHERTEXT.test(text) && !/^[0-9a-f-]{32,}$/i.test(text) && text.replace(/\D/g, '').includes(digits8)) found.push('her phone');
      return found.map((f) => `${where}: ${f}`);
    });

  it('finds both people in many places before the erasure (the scan sees them)', async () => {
    const found = mentions(await everyText());
    const tables = new Set(found.map((f) => f.split('#')[0]));
    for (const table of ['participants', 'police_partners', 'sessions', 'action_points', 'disputes', 'dispute_parties', 'dispute_history', 'early_warnings',
      'early_warning_history', 'initiatives', 'initiative_history', 'milestones', 'disbursements', 'indicator_values', 'idempotency_keys']) {
      assert.ok(tables.has(table), `the planted names should be found in ${table} before the erasure`);
    }
    for (const table of ['outbox_messages', 'sync_operations', 'notifications', 'session_attendance', 'dispute_mediators']) {
      const { rows } = await t.db.query(`SELECT count(*)::int AS n FROM ${table}`);
      assert.ok(rows[0].n > 0, `${table} should hold a row about them`);
    }
  });

  it('leaves neither name nor phone anywhere in the database once both are erased, the audit log included', async () => {
    const erased = await t.http.post(`${V1}/participants/${ids.participant}/erase`).set(auth(staff)).expect(200);
    assert.equal(erased.body.fullName, undefined);
    assert.equal(erased.body.affiliation, null);
    await t.http.post(`${V1}/police-partners/${ids.police}/erase`).set(auth(staff)).expect(200);

    const texts = await everyText();
    assert.deepEqual(mentions(texts), []);

    // The records are still there, with the mentions replaced and the links kept for statistics.
    const dispute = (await t.http.get(`${V1}/disputes/${ids.dispute}`).set(auth(staff))).body;
    assert.deepEqual(dispute.parties, [{ label: '[erased]', participantId: ids.participant }, { label: 'The northern family', participantId: null }]);
    assert.deepEqual(dispute.mediatorIds, [ids.participant]);
    assert.match(dispute.description, /^\[erased\] claims the plot; \[erased\] witnessed/);
    assert.equal(dispute.history[1].note, '[erased] agreed to meet the elders');
    const session = (await t.http.get(`${V1}/sessions/${ids.session}`).set(auth(staff))).body;
    assert.equal(session.title, 'Dialogue with [erased]');
    assert.equal(session.summary, '[erased] spoke about the threats; call her on [erased]. [erased] promised patrols.');
    assert.equal(session.attendance.length, 2);
    assert.equal((await t.http.get(`${V1}/sessions/${ids.unlinkedSession}`).set(auth(staff))).body.summary, 'Neighbours asked after [erased].');

    // Each record changed is audited by field name, and its version moved on.
    const { rows: redactions } = await t.db.query(`SELECT changes FROM audit_events WHERE action = 'redact' AND entity = 'session' AND entity_id = $1 ORDER BY seq`, [ids.session]);
    assert.deepEqual(redactions.map((r) => r.changes), [
      { summary: { from: '[redacted]', to: '[redacted]' }, title: { from: '[redacted]', to: '[redacted]' }, erasureOf: { to: `participant/${ids.participant}` } },
      { place: { from: '[redacted]', to: '[redacted]' }, summary: { from: '[redacted]', to: '[redacted]' }, erasureOf: { to: `police_partner/${ids.police}` } },
    ]);
    assert.ok(session.version > 1);
  });

  it('answers a retried request whose stored answer showed the person with 409, never with the answer and never with a duplicate', async () => {
    const retry = await t.http.post(`${V1}/disputes`).set(auth(partnerUser)).set('Idempotency-Key', `erase-${tag}-dispute`).send({
      networkId: network, reportedByPartnerId: partner, reportedOn: '2016-01-10', category: 'land',
      description: `${her.given} claims the plot; ${him.name} witnessed the boundary stones moved.`,
      parties: [{ label: herName, participantId: ids.participant }, { label: 'The northern family' }], mediatorIds: [ids.participant],
      severity: 'high', violenceRisk: 'medium', sessionIds: [ids.session],
    });
    assert.equal(retry.status, 409, JSON.stringify(retry.body));
    assert.equal(retry.body.type, 'urn:jsd:problem:idempotency-response-lost');
    const { rows } = await t.db.query(`SELECT count(*)::int AS n FROM disputes WHERE network_id = $1 AND category = 'land'`, [network]);
    assert.equal(rows[0].n, 1);
  });
});
