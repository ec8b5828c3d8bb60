import { Client } from 'pg';
import { PersonalDataCipher } from '../../src/common/crypto/personal-data-cipher';
import { SeededRandom } from '../../src/demo/random';
import { CIPHER as DISPUTE_CIPHER } from '../../src/disputes/dispute-mapper';
import { copyRows, CopyValue } from './copy-rows';
import { COUNTRY_COUNT, DatasetSize } from './dataset-sizes';

/**
 * Tables with personal data: names, phones, dispute descriptions and party labels are encrypted
 * in Node with the project's cipher (the same key and AAD contexts as the API, so the API can
 * read them) and loaded with COPY into a temporary table, row index first; one INSERT … SELECT
 * then computes every other column in SQL from the row index, like the bulk tables.
 */

const GIVEN = ['Amina', 'Bishnu', 'Hassan', 'Fatima', 'Omar', 'Sita', 'Ibrahim', 'Aisha', 'Ram', 'Layla', 'Yusuf', 'Maryam', 'Khalid', 'Gita', 'Abdullahi', 'Nour'];
const FAMILY = ['Al-Jabouri', 'Shrestha', 'Abdi', 'Traoré', 'Hassan', 'Gurung', 'Mohamed', 'Ali', 'Okafor', 'Rai', 'Ahmed', 'Diallo', 'Karimi', 'Thapa', 'Yousef', 'Bello'];

function personName(rng: SeededRandom): string {
  return `${rng.pick(GIVEN)} ${rng.pick(GIVEN)} ${rng.pick(FAMILY)}`;
}

/** COPYs `rows` into the temporary table `stage` (`columns`: name and type), runs `inserts` that read it, and drops it. */
async function viaStage(client: Client, stage: string, columns: [string, string][], rows: Iterable<CopyValue[]>, inserts: string[]): Promise<void> {
  await client.query(`CREATE TEMP TABLE ${stage} (${columns.map(([name, type]) => `${name} ${type}`).join(', ')})`);
  try {
    await copyRows(client, stage, columns.map(([name]) => name), rows);
    for (const sql of inserts) await client.query(sql);
  } finally {
    await client.query(`DROP TABLE IF EXISTS ${stage}`);
  }
}

function* participantRows(cipher: PersonalDataCipher, size: DatasetSize, seed: number): Generator<CopyValue[]> {
  for (let j = 0; j < size.participants; j++) {
    const rng = new SeededRandom(seed * 7_919 + j);
    const name = personName(rng);
    const phone = rng.next() < 0.6 ? `+${String(rng.int(200, 999))}${String(rng.int(1_000_000, 9_999_999))}` : null;
    yield [j, cipher.encrypt(name, 'participant.fullName'), phone ? cipher.encrypt(phone, 'participant.phone') : null, cipher.blindIndex(name, phone ?? '')];
  }
}

export async function loadParticipants(client: Client, cipher: PersonalDataCipher, size: DatasetSize, seed: number): Promise<void> {
  await viaStage(client, 'stage_participants', [['j', 'bigint'], ['name', 'text'], ['phone', 'text'], ['idx', 'text']], participantRows(cipher, size, seed), [
    `INSERT INTO participants (id, code, country_code, full_name_enc, phone_enc, identity_index, gender, age_band, stakeholder_group, affiliation,
                               consent_given, consent_recorded_on, consent_scope)
     SELECT pg_temp.u('pp', j), pg_temp.cc((j % 11)::int) || '-P-' || lpad((j / 11 + 1)::text, 6, '0'), pg_temp.cc((j % 11)::int), e.name, e.phone, e.idx,
            (ARRAY['female','female','female','female','male','male','male','male','male','other','undisclosed'])[1 + floor(pg_temp.r(j, 70) * 11)::int],
            (ARRAY['under_18','18_29','18_29','30_44','30_44','45_59','60_plus','undisclosed'])[1 + floor(pg_temp.r(j, 71) * 8)::int],
            (ARRAY['tribal_elder','religious_leader','lawyer','journalist','political_party','business','writer','minority_group','womens_group',
                   'youth_group','former_combatant','vigilante_group','idp_representative','academic','civil_society','other'])[1 + floor(pg_temp.r(j, 72) ^ 1.3 * 16)::int],
            NULL, pg_temp.r(j, 73) < 0.96, CASE WHEN pg_temp.r(j, 73) < 0.96 THEN DATE '2015-01-01' + floor(pg_temp.r(j, 74) * 1500)::int END,
            CASE WHEN pg_temp.r(j, 73) < 0.96 THEN 'programme records and statistics' END
       FROM stage_participants e`,
  ]);
}

const INSTITUTIONS = ['police', 'police', 'police', 'prosecution', 'judiciary', 'local_government', 'military', 'other'];

function* policePartnerRows(cipher: PersonalDataCipher, size: DatasetSize, seed: number): Generator<CopyValue[]> {
  for (let j = 0; j < size.policePartners; j++) {
    const rng = new SeededRandom(seed * 104_729 + j);
    const name = personName(rng);
    const institution = rng.pick(INSTITUTIONS);
    yield [j, cipher.encrypt(name, 'police_partner.fullName'), institution, cipher.blindIndex(institution, name)];
  }
}

export async function loadPolicePartners(client: Client, cipher: PersonalDataCipher, size: DatasetSize, seed: number): Promise<void> {
  await viaStage(client, 'stage_police_partners', [['j', 'bigint'], ['name', 'text'], ['inst', 'text'], ['idx', 'text']], policePartnerRows(cipher, size, seed), [
    `INSERT INTO police_partners (id, code, country_code, full_name_enc, identity_index, institution, rank, unit, station)
     SELECT pg_temp.u('pol', j), pg_temp.cc((j % 11)::int) || '-S-' || lpad((j / 11 + 1)::text, 6, '0'), pg_temp.cc((j % 11)::int), e.name, e.idx, e.inst,
            CASE WHEN e.inst = 'police' THEN 'Inspector' END, NULL, CASE WHEN e.inst = 'police' THEN 'Station ' || (j / 11) END
       FROM stage_police_partners e`,
  ]);
  // The API hands out the next codes from these counters: they must start after the generated ones.
  await client.query(`INSERT INTO pseudonym_counters (country_code, kind, last_value)
    SELECT country_code, 'P', count(*) FROM participants GROUP BY country_code
    UNION ALL SELECT country_code, 'S', count(*) FROM police_partners GROUP BY country_code`);
}

/** Disputes are reported over the whole span of the data (125 months from 2015-01-01), like the sessions. */
const DISPUTE_DAYS = 3_770;

const STATUS_WEIGHTS = [['reported', 10], ['in_mediation', 15], ['escalated', 5], ['resolved', 35], ['closed', 20], ['referred', 10], ['withdrawn', 5]] as const;
const CATEGORIES = ['land', 'family', 'tribal', 'sectarian', 'religious', 'natural_resources', 'property', 'police_community', 'idp_host', 'commercial', 'other'];

function* disputeRows(cipher: PersonalDataCipher, size: DatasetSize, seed: number): Generator<CopyValue[]> {
  const networksPer = Math.floor(size.networks / COUNTRY_COUNT);
  for (let d = 0; d < size.disputes; d++) {
    const rng = new SeededRandom(seed * 15_485_863 + d);
    const network = Math.floor(size.networks * rng.next() ** 2) * 7919 % size.networks;
    const status = rng.weighted(STATUS_WEIGHTS);
    const normal = Math.sqrt(-2 * Math.log(1 - rng.next())) * Math.cos(2 * Math.PI * rng.next());
    const days = Math.max(1, Math.min(700, Math.round(Math.exp(2.5 + normal))));
    const category = rng.pick(CATEGORIES);
    const n = network % 11 + 11 * (Math.floor(network / 11) % networksPer);
    const offset = rng.int(0, DISPUTE_DAYS);
    const description = cipher.encrypt(`A ${category.replace('_', ' ')} dispute between two families (case ${d}).`, DISPUTE_CIPHER.description);
    const claimant = cipher.encrypt(`Family ${rng.pick(FAMILY)} (claimant)`, DISPUTE_CIPHER.partyLabel);
    const respondent = cipher.encrypt(`Family ${rng.pick(FAMILY)} (respondent)`, DISPUTE_CIPHER.partyLabel);
    const terms = status === 'resolved' || status === 'closed' ? cipher.encrypt('Settlement agreed before the elders; compensation in two instalments.', DISPUTE_CIPHER.resolutionTerms) : null;
    yield [d, n, offset, status, days, category, description, terms, claimant, respondent];
  }
}

/**
 * Disputes with their parties; resolution times are log-normal (median ≈ 12 days, a long tail of
 * months), the way mediated disputes behave. Histories follow from the status (see loadDisputeHistory).
 */
export async function loadDisputes(client: Client, cipher: PersonalDataCipher, size: DatasetSize, seed: number): Promise<void> {
  const partnersPer = Math.max(1, Math.floor(size.partners / COUNTRY_COUNT));
  const columns: [string, string][] = [['j', 'bigint'], ['n', 'int'], ['off', 'int'], ['status', 'text'], ['days', 'int'], ['category', 'text'],
    ['descr', 'text'], ['terms', 'text'], ['l0', 'text'], ['l1', 'text']];
  await viaStage(client, 'stage_disputes', columns, disputeRows(cipher, size, seed), [
    `INSERT INTO disputes (id, network_id, country_code, reported_by_partner_id, reported_on, category, description_enc, severity, violence_risk, status,
                           resolution_terms_enc, resolution_agreed_on, resolved_on, referral_to, created_at, updated_at)
     SELECT pg_temp.u('d', j), pg_temp.u('n', e.n), pg_temp.cc(e.n % 11), pg_temp.u('partner', e.n % 11 + 11 * ((e.n / 11) % ${partnersPer})),
            reported, e.category, e.descr,
            (ARRAY['low','low','medium','medium','high','critical'])[1 + floor(pg_temp.r(j, 80) * 6)::int],
            (ARRAY['none','low','low','medium','high','imminent'])[1 + floor(pg_temp.r(j, 81) * 6)::int], e.status, e.terms,
            CASE WHEN e.terms IS NOT NULL THEN reported + e.days END, CASE WHEN e.terms IS NOT NULL THEN reported + e.days END,
            CASE WHEN e.status = 'referred' THEN (ARRAY['police','court','prosecution','local_government','other'])[1 + floor(pg_temp.r(j, 82) * 5)::int] END,
            reported + time '09:00', reported + e.days + time '09:00'
       FROM stage_disputes e, LATERAL (SELECT DATE '2015-01-01' + e.off AS reported) z`,
    `INSERT INTO dispute_parties (dispute_id, position, label_enc)
     SELECT pg_temp.u('d', e.j), p.position, CASE p.position WHEN 0 THEN e.l0 ELSE e.l1 END
       FROM stage_disputes e, (VALUES (0), (1)) AS p(position)`,
  ]);
}

/** Every dispute's path through the workflow to its current status, spread over its resolution time. */
export async function loadDisputeHistory(client: Client): Promise<void> {
  await client.query(`
    INSERT INTO dispute_history (id, dispute_id, from_status, to_status, note_enc, actor_kind, actor_id, occurred_at)
    SELECT pg_temp.u('dh' || d.id, h.o), d.id, NULLIF(h.pair[1], ''), h.pair[2], NULL, 'system', NULL,
           d.created_at + (h.o - 1) * (d.updated_at - d.created_at) / greatest(1, cardinality(h.path) - 1)
      FROM disputes d,
           LATERAL (SELECT CASE d.status
               WHEN 'reported' THEN ARRAY['>reported']
               WHEN 'in_mediation' THEN ARRAY['>reported', 'reported>in_mediation']
               WHEN 'escalated' THEN ARRAY['>reported', 'reported>in_mediation', 'in_mediation>escalated']
               WHEN 'resolved' THEN ARRAY['>reported', 'reported>in_mediation', 'in_mediation>resolved']
               WHEN 'closed' THEN ARRAY['>reported', 'reported>in_mediation', 'in_mediation>resolved', 'resolved>closed']
               WHEN 'referred' THEN ARRAY['>reported', 'reported>referred']
               ELSE ARRAY['>reported', 'reported>withdrawn'] END AS path) p,
           LATERAL (SELECT o, string_to_array(s, '>') AS pair, p.path FROM unnest(p.path) WITH ORDINALITY AS x(s, o)) h`);
}

/**
 * The sessions each dispute is linked to (its `sessionIds`): seven in ten disputes name one to
 * three sessions of their network held in the month they were reported (the mediation or the
 * dialogue that took it up). Learning summaries rank topics and session kinds through these
 * links, so without them a summary run would have nothing to associate. One hash join of bare
 * tables (no index is needed); deterministic: the choice hangs on the dispute's id only.
 */
export async function loadDisputeSessions(client: Client): Promise<void> {
  await client.query(`
    INSERT INTO dispute_sessions (dispute_id, session_id)
    SELECT dispute_id, session_id FROM (
      SELECT d.id AS dispute_id, s.id AS session_id, d.wanted,
             row_number() OVER (PARTITION BY d.id ORDER BY s.held_on, s.id) AS k
        FROM (SELECT id, network_id, date_trunc('month', reported_on) AS month, 1 + floor(pg_temp.r(hashtext(id::text), 91) * 3)::int AS wanted
                FROM disputes WHERE pg_temp.r(hashtext(id::text), 90) < 0.7) d
        JOIN sessions s ON s.network_id = d.network_id AND date_trunc('month', s.held_on) = d.month) x
     WHERE k <= wanted`);
}
