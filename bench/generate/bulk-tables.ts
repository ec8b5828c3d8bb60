import { PersonalDataCipher } from '../../src/common/crypto/personal-data-cipher';
import { EARLY_WARNING_CIPHER } from '../../src/early-warning/early-warning-text';
import { FIELD_WORK_CIPHER, sealSessionText } from '../../src/field-work/session-text';
import { INITIATIVE_CIPHER } from '../../src/initiatives/initiative-text';
import { COUNTRIES, COUNTRY_COUNT, DatasetSize, FIRST_DAY, MONTHS } from './dataset-sizes';

/**
 * The tables without names or phones, each one `INSERT … SELECT generate_series` computed inside
 * PostgreSQL (measured faster than streaming rows from Node, and needs no COPY client). Row i of
 * a table is a pure function of (seed, i): see sql-functions.ts. A record's country is its index
 * modulo 11, so references within one country are plain arithmetic. Free text is stored only
 * encrypted, and PostgreSQL cannot encrypt: each distinct text a step writes is encrypted once in
 * Node and passed in an array parameter (`params`), which the SQL indexes.
 */
export interface BulkStep {
  table: string;
  sql: string;
  params?: unknown[];
}

const seal = (cipher: PersonalDataCipher, values: readonly string[], context: string) => values.map((v) => cipher.encrypt(v, context));
const titleCase = (text: string) => text.replace(/_/g, ' ').replace(/\b\w/g, (c) => c.toUpperCase());

const per = (count: number) => Math.max(1, Math.floor(count / COUNTRY_COUNT));

/** Network index of session/dispute/initiative i: skewed (a few networks are very active), scattered over levels. */
const skewedNetwork = (i: string, salt: number, size: DatasetSize) =>
  `((floor(${size.networks} * pg_temp.r(${i}, ${salt}) ^ 2)::bigint * 7919) % ${size.networks})::int`;

const partnerOf = (n: string, size: DatasetSize) => `pg_temp.u('partner', ${n} % 11 + 11 * ((${n} / 11) % ${per(size.partners)}))`;

export function programmeSteps(size: DatasetSize): BulkStep[] {
  const regionalPerCountry = Math.max(1, Math.round((size.networks * 0.05) / COUNTRY_COUNT));
  const countries = COUNTRIES.map(([code, name, region]) => `('${code}', '${name.replace(/'/g, "''")}', '${region}', DATE '2014-06-01')`).join(',');
  return [
    {
      // The migrations seed some programme countries already; add the others.
      table: 'countries',
      sql: `INSERT INTO countries (code, name, region, programme_started_on)
        SELECT * FROM (VALUES ${countries}) v(code, name, region, started) WHERE NOT EXISTS (SELECT 1 FROM countries c WHERE c.code = v.code)`,
    },
    {
      table: 'networks',
      sql: `INSERT INTO networks (id, country_code, name, level, parent_id, admin_area, lat, lon, established_on, status)
        SELECT pg_temp.u('n', n), pg_temp.cc(n % 11),
               CASE WHEN n < 11 THEN 'National focal group' ELSE 'Network ' || n END,
               lvl,
               CASE WHEN lvl = 'national' THEN NULL
                    WHEN lvl = 'regional' THEN pg_temp.u('n', n % 11)
                    ELSE pg_temp.u('n', 11 + n % 11 + 11 * floor(pg_temp.r(n, 1) * ${regionalPerCountry})::int) END,
               'Area ' || (n / 11), round((pg_temp.r(n, 2) * 60 - 10)::numeric, 6), round((pg_temp.r(n, 3) * 100 - 20)::numeric, 6),
               DATE '2014-06-01' + floor(pg_temp.r(n, 4) * 200)::int,
               CASE WHEN pg_temp.r(n, 5) < 0.9 THEN 'active' WHEN pg_temp.r(n, 5) < 0.97 THEN 'dormant' ELSE 'closed' END
          FROM (SELECT n, CASE WHEN n < 11 THEN 'national' WHEN n < ${11 + 11 * regionalPerCountry} THEN 'regional'
                               WHEN pg_temp.r(n, 0) < 0.4 THEN 'district' ELSE 'community' END AS lvl
                  FROM generate_series(0, ${size.networks - 1}) n) x`,
    },
    {
      table: 'network_links',
      sql: `INSERT INTO network_links (id, from_network_id, to_network_id, kind, since, status)
        SELECT pg_temp.u('link', n), pg_temp.u('n', n), pg_temp.u('n', (n + 1 + floor(pg_temp.r(n, 6) * ${size.networks - 1})::int) % ${size.networks}),
               (ARRAY['peer','mentoring','exchange'])[1 + floor(pg_temp.r(n, 7) * 3)::int], DATE '2015-01-01' + floor(pg_temp.r(n, 8) * 3000)::int, 'confirmed'
          FROM generate_series(0, ${size.networks - 1}) n`,
    },
    {
      table: 'partners',
      sql: `INSERT INTO partners (id, country_code, name, kind, impartiality_commitment_on)
        SELECT pg_temp.u('partner', p), pg_temp.cc(p % 11), 'Partner organisation ' || p,
               (ARRAY['csos','cbo','ngo','faith_based','media','academic','other'])[1 + floor(pg_temp.r(p, 9) * 7)::int], DATE '2014-09-01'
          FROM generate_series(0, ${size.partners - 1}) p`,
    },
    {
      table: 'partner_networks',
      sql: `INSERT INTO partner_networks (partner_id, network_id) SELECT ${partnerOf('n', size)}, pg_temp.u('n', n) FROM generate_series(0, ${size.networks - 1}) n`,
    },
    {
      table: 'participant_networks',
      sql: `INSERT INTO participant_networks (participant_id, network_id)
        SELECT pg_temp.u('pp', j), pg_temp.u('n', j % 11 + 11 * floor(pg_temp.r(j, 10) * ${per(size.networks)})::int) FROM generate_series(0, ${size.participants - 1}) j`,
    },
    {
      table: 'police_partner_networks',
      sql: `INSERT INTO police_partner_networks (police_partner_id, network_id)
        SELECT pg_temp.u('pol', j), pg_temp.u('n', j % 11 + 11 * floor(pg_temp.r(j, 11) * ${per(size.networks)})::int) FROM generate_series(0, ${size.policePartners - 1}) j`,
    },
  ];
}

const TOPICS = ['ethnic_tension', 'religious_tension', 'sectarian_tension', 'idp_host_relations', 'crime', 'drug_trafficking', 'land', 'militia_activity', 'police_conduct', 'access_to_justice', 'gender_based_violence', 'youth', 'elections', 'natural_resources', 'other'];
const KINDS = ['dialogue', 'dialogue', 'dialogue', 'consensus_building', 'mediation_training', 'analysis_workshop', 'community_outreach', 'other'];
const arr = (items: string[]) => `ARRAY[${items.map((t) => `'${t}'`).join(',')}]`;

/**
 * Sessions in chunks, so progress shows and no single statement holds hundreds of MB of WAL. The
 * title is "<Kind> on <topic>" and half the sessions have a place ("Community hall <n / 11>"):
 * every combination is sealed once (sessions.text_enc) and picked by its index, $1[1 + (kind × 15
 * + topic) × places + place].
 */
export function sessionSteps(size: DatasetSize, cipher: PersonalDataCipher, chunk = 250_000): BulkStep[] {
  const places = Math.floor((size.networks - 1) / 11) + 2;
  const texts: string[] = [];
  for (const kind of KINDS) {
    for (const topic of TOPICS) {
      for (let p = 0; p < places; p++) {
        texts.push(sealSessionText(cipher, { title: `${titleCase(kind)} on ${topic.replace(/_/g, ' ')}`, place: p === 0 ? null : `Community hall ${p - 1}`, summary: null }));
      }
    }
  }
  const steps: BulkStep[] = [];
  for (let from = 0; from < size.sessions; from += chunk) {
    const to = Math.min(size.sessions, from + chunk) - 1;
    steps.push({
      table: 'sessions',
      sql: `INSERT INTO sessions (id, network_id, country_code, text_enc, kind, held_on, duration_minutes, facilitator_partner_id, topics,
                                  unnamed_women, unnamed_men, unnamed_youth, created_at, updated_at)
        SELECT pg_temp.u('s', s), pg_temp.u('n', n), pg_temp.cc(n % 11),
               ($1::text[])[1 + (k * 15 + t) * ${places} + CASE WHEN pg_temp.r(s, 24) < 0.5 THEN 1 + n / 11 ELSE 0 END],
               (${arr(KINDS)})[1 + k], held,
               60 + 30 * floor(pg_temp.r(s, 23) * 5)::int,
               CASE WHEN pg_temp.r(s, 25) < 0.7 THEN ${partnerOf('n', size)} END,
               CASE WHEN pg_temp.r(s, 26) < 0.4 THEN ARRAY[t1, t2] ELSE ARRAY[t1] END,
               floor(pg_temp.r(s, 27) * 12)::int, floor(pg_temp.r(s, 28) * 12)::int, floor(pg_temp.r(s, 29) * 6)::int,
               held + time '10:00', held + time '18:00'
          FROM (SELECT s, n, t, pg_temp.day_in(pg_temp.month_at(floor(pg_temp.r(s, 12) * 1000)::int), pg_temp.r(s, 13)) AS held,
                       floor(pg_temp.r(s, 14) * ${KINDS.length})::int AS k,
                       (${arr(TOPICS)})[1 + t] AS t1, (${arr(TOPICS)})[1 + (t + 1 + floor(pg_temp.r(s, 16) * 14)::int) % 15] AS t2
                  FROM (SELECT s, ${skewedNetwork('s', 15, size)} AS n, floor(pg_temp.r(s, 17) * 15)::int AS t
                          FROM generate_series(${from}, ${to}) s) a) x`,
      params: [texts],
    });
  }
  return steps;
}

/**
 * About eight named attendees per session (3–13), drawn from the session's country with a skew
 * towards regulars; a third of sessions has a police or other state partner at position 0.
 */
export function attendanceSteps(size: DatasetSize, cipher: PersonalDataCipher, chunk = 125_000): BulkStep[] {
  const points = seal(cipher, ['Follow up point 1', 'Follow up point 2', 'Follow up point 3'], FIELD_WORK_CIPHER.actionPointDescription);
  const participantsPer = per(size.participants);
  const policePer = per(size.policePartners);
  const steps: BulkStep[] = [];
  for (let from = 0; from < size.sessions; from += chunk) {
    const to = Math.min(size.sessions, from + chunk) - 1;
    steps.push({
      table: 'session_attendance',
      sql: `INSERT INTO session_attendance (id, session_id, participant_id, police_partner_id, role, position)
        SELECT pg_temp.u('a', s * 16 + t), pg_temp.u('s', s),
               CASE WHEN t = 0 AND pol THEN NULL ELSE pg_temp.u('pp', c + 11 * ((b + t) % ${participantsPer})) END,
               CASE WHEN t = 0 AND pol THEN pg_temp.u('pol', c + 11 * (b % ${policePer})) END,
               CASE WHEN t = 1 THEN 'facilitator' WHEN t = 2 THEN 'speaker' WHEN t = 3 AND pol THEN 'observer' ELSE 'attendee' END, t
          FROM (SELECT s, ${skewedNetwork('s', 15, size)} % 11 AS c, 3 + floor(pg_temp.r(s, 20) * 11)::int AS k,
                       floor(${participantsPer} * pg_temp.r(s, 21) ^ 1.5)::int AS b, pg_temp.r(s, 22) < 0.35 AS pol
                  FROM generate_series(${from}, ${to}) s) x,
               LATERAL generate_series(0, k - 1) t`,
    });
    steps.push({
      table: 'action_points',
      sql: `INSERT INTO action_points (id, session_id, description_enc, due_on, status, position)
        SELECT pg_temp.u('ap', s * 4 + t), pg_temp.u('s', s), ($1::text[])[t + 1], NULL,
               CASE WHEN pg_temp.r(s * 4 + t, 31) < 0.6 THEN 'done' WHEN pg_temp.r(s * 4 + t, 31) < 0.8 THEN 'open' ELSE 'dropped' END, t
          FROM generate_series(${from}, ${to}) s, LATERAL generate_series(0, floor(pg_temp.r(s, 30) * 3)::int - 1) t`,
      params: [points],
    });
  }
  return steps;
}

export function otherSteps(size: DatasetSize, cipher: PersonalDataCipher): BulkStep[] {
  const range = (n: number) => Array.from({ length: n }, (_, i) => i);
  const titles = seal(cipher, range(size.initiatives).map((i) => `Initiative ${i}`), INITIATIVE_CIPHER.title);
  const problems = seal(cipher, range(size.networks).map((n) => `Problem raised in dialogue sessions of network ${n}`), INITIATIVE_CIPHER.problemStatement);
  const tranches = seal(cipher, range(4).map((k) => `TRANCHE-${k + 1}`), INITIATIVE_CIPHER.disbursementReference);
  const warnings = seal(cipher, range(size.earlyWarnings).map((w) => `Observed tension reported by the network (${w})`), EARLY_WARNING_CIPHER.description);
  const [source] = seal(cipher, ['Network monthly report'], EARLY_WARNING_CIPHER.indicatorSource);
  const monthsOfIndicators = Math.min(MONTHS, Math.ceil(size.indicatorValues / (size.networks * 4)));
  const funders = arr(['EU', 'UK FCDO', 'Swiss FDFA', 'Netherlands MFA', 'Norway MFA', 'UNDP']);
  return [
    {
      table: 'initiatives',
      sql: `INSERT INTO initiatives (id, network_id, country_code, title_enc, problem_statement_enc, category, funder, budget_amount, budget_currency, status, start_on, end_on, created_at, updated_at)
        SELECT pg_temp.u('i', i), pg_temp.u('n', n), pg_temp.cc(n % 11), ($1::text[])[i + 1], ($2::text[])[n + 1],
               (${arr(['police_post', 'help_desk', 'detention_facility', 'school_program', 'interfaith_committee', 'code_of_conduct', 'infrastructure', 'livelihood', 'training', 'other'])})[1 + floor(pg_temp.r(i, 41) * 10)::int],
               (${funders})[1 + floor(pg_temp.r(i, 42) * 6)::int], round((1000 + 49000 * pg_temp.r(i, 43) ^ 2)::numeric, 2),
               CASE WHEN pg_temp.r(i, 44) < 0.8 THEN 'USD' ELSE 'EUR' END, status,
               CASE WHEN status <> 'proposed' THEN start END, CASE WHEN status = 'completed' THEN start + 90 + floor(pg_temp.r(i, 45) * 270)::int END,
               start - 60 + time '09:00', start + time '09:00'
          FROM (SELECT i, ${skewedNetwork('i', 40, size)} AS n, DATE '${FIRST_DAY}' + 60 + floor(pg_temp.r(i, 46) * 3500)::int AS start,
                       CASE WHEN pg_temp.r(i, 47) < 0.1 THEN 'proposed' WHEN pg_temp.r(i, 47) < 0.2 THEN 'approved' WHEN pg_temp.r(i, 47) < 0.45 THEN 'in_progress'
                            WHEN pg_temp.r(i, 47) < 0.9 THEN 'completed' ELSE 'cancelled' END AS status
                  FROM generate_series(0, ${size.initiatives - 1}) i) x`,
      params: [titles, problems],
    },
    {
      table: 'disbursements',
      sql: `INSERT INTO disbursements (id, initiative_id, amount, currency, disbursed_on, reference_enc)
        SELECT pg_temp.u('disb' || i.id, k), i.id, round(i.budget_amount * 0.2, 2), i.budget_currency, i.start_on + 30 * k, ($1::text[])[k + 1]
          FROM initiatives i, LATERAL generate_series(0, CASE WHEN i.status = 'completed' THEN 3 ELSE hashtext(i.id::text) & 3 END) k
         WHERE i.status IN ('approved', 'in_progress', 'completed')`,
      params: [tranches],
    },
    {
      table: 'initiative_history',
      sql: `INSERT INTO initiative_history (id, initiative_id, from_status, to_status, note_enc, actor_kind, occurred_at)
        SELECT pg_temp.u('ih' || i.id, step.o), i.id, step.pair[1], step.pair[2], NULL, 'system', i.created_at + step.o * interval '20 days'
          FROM (SELECT * FROM initiatives WHERE status <> 'proposed') i,
               LATERAL (SELECT o, string_to_array(p, '>') AS pair FROM unnest(CASE i.status
                  WHEN 'approved' THEN ARRAY['proposed>approved'] WHEN 'in_progress' THEN ARRAY['proposed>approved', 'approved>in_progress']
                  WHEN 'completed' THEN ARRAY['proposed>approved', 'approved>in_progress', 'in_progress>completed']
                  ELSE ARRAY['proposed>cancelled'] END) WITH ORDINALITY AS h(p, o)) step`,
    },
    {
      table: 'early_warnings',
      sql: `INSERT INTO early_warnings (id, country_code, network_id, observed_on, place_enc, risk_factors, description_enc, severity, status, created_at, updated_at)
        SELECT pg_temp.u('ew', w), pg_temp.cc(n % 11), CASE WHEN pg_temp.r(w, 51) < 0.8 THEN pg_temp.u('n', n) END, seen, NULL,
               CASE WHEN pg_temp.r(w, 52) < 0.5 THEN ARRAY[f1]::smallint[] ELSE ARRAY[f1, 1 + (f1 + floor(pg_temp.r(w, 53) * 13)::int) % 14]::smallint[] END,
               ($1::text[])[w + 1],
               (ARRAY['low','low','medium','medium','high','critical'])[1 + floor(pg_temp.r(w, 54) * 6)::int],
               (ARRAY['reported','verified','verified','dismissed','escalated','resolved','resolved'])[1 + floor(pg_temp.r(w, 55) * 7)::int],
               seen + time '12:00', seen + time '12:00'
          FROM (SELECT w, ${skewedNetwork('w', 50, size)} AS n, pg_temp.day_in(pg_temp.month_at(floor(pg_temp.r(w, 56) * 1000)::int), pg_temp.r(w, 57)) AS seen,
                       1 + floor(pg_temp.r(w, 58) * 14)::int AS f1 FROM generate_series(0, ${size.earlyWarnings - 1}) w) x`,
      params: [warnings],
    },
    {
      // One value per network, indicator and month; crime and violence fall slowly where networks work.
      table: 'indicator_values',
      sql: `INSERT INTO indicator_values (id, network_id, indicator, period, value, source_enc)
        SELECT pg_temp.u('iv', (n * 4 + k) * 200 + m), pg_temp.u('n', n), ind, to_char(DATE '${FIRST_DAY}' + make_interval(months => m), 'YYYY-MM'),
               CASE ind WHEN 'reported_crimes' THEN round(base * (1 - 0.5 * m / ${MONTHS}.0) + 5 * pg_temp.r(n * 1000 + m, 61))
                        WHEN 'violent_incidents' THEN round(base / 4 * (1 - 0.4 * m / ${MONTHS}.0) + 2 * pg_temp.r(n * 1000 + m, 62))
                        WHEN 'police_response_time_minutes' THEN round((20 + base - 10 * m / ${MONTHS}.0)::numeric, 2)
                        ELSE round(least(100, 30 + 40 * m / ${MONTHS}.0 + 10 * pg_temp.r(n * 1000 + m, 63))::numeric, 2) END,
               $1::text
          FROM generate_series(0, ${size.networks - 1}) n, LATERAL (SELECT 5 + 40 * pg_temp.r(n, 60) AS base) b,
               unnest(ARRAY['reported_crimes','violent_incidents','police_response_time_minutes','trust_score']) WITH ORDINALITY AS i(ind, k),
               generate_series(0, ${monthsOfIndicators - 1}) m
         WHERE (n * 4 + k - 1) * ${monthsOfIndicators} + m < ${size.indicatorValues}`,
      params: [source],
    },
  ];
}
