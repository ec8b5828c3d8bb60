import { EntityManager } from 'typeorm';
import { PersonalDataCipher } from '../common/crypto/personal-data-cipher';
import { EARLY_WARNING_CIPHER } from '../early-warning/early-warning-text';
import { SessionKind, SessionTopic } from '../field-work/field-work-enums';
import { FIELD_WORK_CIPHER, sealSessionText } from '../field-work/session-text';
import { DEMO_NETWORKS, DEMO_PARTNERS } from './demo-programme';
import { SeededRandom } from './random';

/** Audits a bulk import as one event naming how many rows it created. */
export type DemoAuditBatch = (m: EntityManager, what: string, batch: string, rows: number) => Promise<void>;

/** What a loader calls to insert a row and audit it (once) when it is new. */
export type DemoInsert = (what: string, table: string, row: Record<string, unknown>, conflict?: string) => Promise<boolean>;

const MONTHS = Array.from({ length: 24 }, (_, i) => `${2015 + Math.floor(i / 12)}-${String((i % 12) + 1).padStart(2, '0')}`);

/** What each country's dialogues were mostly about (domain.md). */
const TOPICS: Record<string, [SessionTopic, number][]> = {
  NP: [['ethnic_tension', 5], ['land', 4], ['police_conduct', 4], ['gender_based_violence', 4], ['access_to_justice', 4], ['crime', 3], ['youth', 2], ['elections', 1]],
  IQ: [['sectarian_tension', 6], ['idp_host_relations', 6], ['militia_activity', 4], ['crime', 3], ['police_conduct', 3], ['access_to_justice', 3], ['religious_tension', 2]],
  LY: [['militia_activity', 6], ['crime', 4], ['drug_trafficking', 4], ['access_to_justice', 3], ['natural_resources', 2], ['youth', 3], ['ethnic_tension', 2]],
};
const KINDS: [SessionKind, number][] = [['dialogue', 12], ['consensus_building', 4], ['mediation_training', 2], ['analysis_workshop', 2], ['community_outreach', 3], ['other', 1]];
const ACTION_POINTS = [
  'Ask the district police chief to attend the next session',
  'Set up a joint patrol schedule with community watch',
  'Map land claims with both villages before the next meeting',
  'Hold a women-only listening session on safety at the market',
  'Write to the prosecutor about pre-trial detention of minors',
  'Organise a school visit by community police officers',
  'Agree a code of conduct for local conflict resolution',
  'Follow up on the help desk proposal with the funder',
];
// Fewer sessions in the hottest months and around year-end, as field reports show.
const MONTH_WEIGHT = [1.0, 1.1, 1.2, 1.2, 1.0, 0.8, 0.7, 0.7, 1.0, 1.2, 1.1, 0.8];

/**
 * Two years (2015–2016) of dialogue sessions in every local network, with named attendance drawn
 * from the network's consenting members and police partners, unnamed attendance, and action points
 * that were mostly followed up; early warnings across the 14 risk factors; and monthly community
 * indicators — in Kirkuk, reported crime falls by about three quarters from 2015 to 2016. Free
 * text is stored encrypted, as the API stores it.
 */
export async function loadDemoFieldWork(
  m: EntityManager,
  random: SeededRandom,
  insert: DemoInsert,
  auditBatch: DemoAuditBatch,
  demoId: (name: string) => string,
  cipher: PersonalDataCipher,
): Promise<void> {
  const local = DEMO_NETWORKS.filter((n) => n.level === 'district' || n.level === 'community');
  for (const network of local) {
    const networkId = demoId(network.key);
    const members = (await m.query(
      `SELECT pn.participant_id AS id FROM participant_networks pn JOIN participants p ON p.id = pn.participant_id
       WHERE pn.network_id = $1 AND p.consent_given ORDER BY p.code`,
      [networkId],
    )) as { id: string }[];
    const police = (await m.query('SELECT police_partner_id AS id FROM police_partner_networks WHERE network_id = $1 ORDER BY police_partner_id', [networkId])) as { id: string }[];
    const facilitators = DEMO_PARTNERS.filter((p) => p.networks.includes(network.key)).map((p) => demoId(p.key));

    for (const [monthIndex, month] of MONTHS.entries()) {
      const count = random.next() < MONTH_WEIGHT[monthIndex % 12] * 0.6 ? random.int(1, 2) : random.weighted([[0, 2], [1, 3]]);
      for (let n = 0; n < count; n++) {
        const key = `session-${network.key}-${month}-${n}`;
        const heldOn = `${month}-${String(random.int(1, 28)).padStart(2, '0')}`;
        const topics = [...new Set(Array.from({ length: random.int(1, 3) }, () => random.weighted(TOPICS[network.country])))];
        const kind = random.weighted(KINDS);
        const attendees = random.sample(members, Math.min(members.length, random.int(6, 16)));
        const officers = random.next() < 0.7 ? random.sample(police, Math.min(police.length, random.int(1, 3))) : [];
        // Every draw happens before the insert, so a second load walks the same sequence and
        // finds the same sessions instead of inventing new ones.
        const points = Array.from({ length: random.int(0, 3) }, () => ({
          status: random.weighted([['done', monthIndex < 18 ? 6 : 2], ['open', monthIndex < 18 ? 1 : 5], ['dropped', 1]] as const),
          description: random.pick(ACTION_POINTS),
        }));
        const unnamed = { women: random.int(0, 8), men: random.int(0, 10), youth: random.int(0, 6) };
        const facilitator = facilitators.length ? random.pick(facilitators) : null;
        const sessionId = demoId(key);
        const text = {
          title: `${network.name}: ${topics[0].replace(/_/g, ' ')} (${month})`,
          place: `${network.adminArea} community hall`,
          summary: `Participants discussed ${topics.map((t) => t.replace(/_/g, ' ')).join(', ')} and agreed next steps.`,
        };
        const isNew = await insert('session', 'sessions', {
          id: sessionId, network_id: networkId, country_code: network.country, text_enc: sealSessionText(cipher, text),
          kind, held_on: heldOn, duration_minutes: random.pick([90, 120, 150, 180]),
          facilitator_partner_id: facilitator, topics,
          unnamed_women: unnamed.women, unnamed_men: unnamed.men, unnamed_youth: unnamed.youth,
        });
        if (!isNew) continue;
        const people = [...attendees.map((a) => ({ participant: a.id, police: null })), ...officers.map((o) => ({ participant: null, police: o.id }))];
        await m.query(
          `INSERT INTO session_attendance (id, session_id, participant_id, police_partner_id, role, position)
           SELECT md5($1::text || ord::text)::uuid, $1::uuid, p, o, CASE WHEN ord = 1 THEN 'facilitator' WHEN o IS NOT NULL THEN 'speaker' ELSE 'attendee' END, ord
           FROM unnest($2::uuid[], $3::uuid[]) WITH ORDINALITY AS t(p, o, ord)`,
          [sessionId, people.map((p) => p.participant), people.map((p) => p.police)],
        );
        for (const [i, point] of points.entries()) {
          await m.query(
            `INSERT INTO action_points (id, session_id, description_enc, due_on, status, position) VALUES ($1, $2, $3, ($4::date + 30), $5, $6)`,
            [demoId(`${key}-ap-${i}`), sessionId, cipher.encrypt(point.description, FIELD_WORK_CIPHER.actionPointDescription), heldOn, point.status, i + 1],
          );
        }
      }
    }
  }
  await loadEarlyWarnings(m, random, insert, demoId, cipher);
  await loadIndicators(m, random, auditBatch, demoId, cipher);
}

const WARNINGS: { country: string; network?: string; factors: number[]; severity: string; status: string; description: string }[] = [
  { country: 'IQ', network: 'iq-hawija', factors: [1, 9, 13], severity: 'critical', status: 'escalated', description: 'Armed group checkpoints reappear on the road to Hawija; returning families report threats.' },
  { country: 'IQ', network: 'iq-kirkuk-city', factors: [9, 4], severity: 'high', status: 'verified', description: 'Inflammatory leaflets against a minority neighbourhood ahead of the provincial vote.' },
  { country: 'IQ', network: 'iq-sinjar', factors: [2, 10, 11], severity: 'critical', status: 'verified', description: 'Survivors report renewed intimidation of Yazidi returnees by former perpetrators.' },
  { country: 'IQ', network: 'iq-daquq', factors: [8, 9], severity: 'medium', status: 'resolved', description: 'Dispute over a shrine visit threatens to turn into clashes between two tribes.' },
  { country: 'LY', network: 'ly-sabha', factors: [1, 5, 7], severity: 'high', status: 'reported', description: 'Arms moving into town from the south; militia recruiting young men openly.' },
  { country: 'LY', network: 'ly-tripoli', factors: [3, 6], severity: 'medium', status: 'dismissed', description: 'Rumour of a prison break; police confirmed no incident.' },
  { country: 'LY', network: 'ly-misrata', factors: [12, 14], severity: 'high', status: 'escalated', description: 'Threats against a humanitarian convoy carrying displaced families.' },
  { country: 'NP', network: 'np-dhanusha', factors: [9, 8], severity: 'medium', status: 'resolved', description: 'Caste-based violence feared after an inter-caste marriage.' },
  { country: 'NP', network: 'np-morang', factors: [4, 9], severity: 'low', status: 'verified', description: 'Hate speech on local radio against a minority community.' },
  { country: 'NP', factors: [3], severity: 'low', status: 'reported', description: 'Police posts left unstaffed in several rural wards.' },
];

async function loadEarlyWarnings(m: EntityManager, random: SeededRandom, insert: DemoInsert, demoId: (name: string) => string, cipher: PersonalDataCipher): Promise<void> {
  const paths: Record<string, string[]> = {
    reported: [], verified: ['verified'], dismissed: ['dismissed'], escalated: ['verified', 'escalated'], resolved: ['verified', 'resolved'],
  };
  for (const [i, w] of WARNINGS.entries()) {
    const id = demoId(`early-warning-${i}`);
    const observedOn = `2016-${String(random.int(1, 12)).padStart(2, '0')}-${String(random.int(1, 28)).padStart(2, '0')}`;
    const isNew = await insert('early_warning', 'early_warnings', {
      id, country_code: w.country, network_id: w.network ? demoId(w.network) : null, observed_on: observedOn, place_enc: null,
      risk_factors: w.factors, description_enc: cipher.encrypt(w.description, EARLY_WARNING_CIPHER.description), severity: w.severity, status: w.status,
    });
    if (!isNew) continue;
    let from = 'reported';
    for (const [step, to] of paths[w.status].entries()) {
      await m.query(
        `INSERT INTO early_warning_history (id, early_warning_id, from_status, to_status, note_enc, actor_kind, actor_id, occurred_at)
         VALUES ($1, $2, $3, $4, $5, 'system', NULL, $6::date + $7::int * 7)`,
        [demoId(`early-warning-${i}-h${step}`), id, from, to, cipher.encrypt(`Demo: ${to} by the country office`, EARLY_WARNING_CIPHER.historyNote), observedOn, step + 1],
      );
      from = to;
    }
  }
}

async function loadIndicators(m: EntityManager, random: SeededRandom, audit: DemoAuditBatch, demoId: (name: string) => string, cipher: PersonalDataCipher): Promise<void> {
  const local = DEMO_NETWORKS.filter((n) => n.level === 'district' || n.level === 'community');
  const kirkuk = new Set(['iq-kirkuk-city', 'iq-hawija', 'iq-daquq']);
  const survey = cipher.encrypt('Community perception survey', EARLY_WARNING_CIPHER.indicatorSource);
  const police = cipher.encrypt('District police records', EARLY_WARNING_CIPHER.indicatorSource);
  for (const network of local) {
    const rows: { id: string; indicator: string; period: string; value: number }[] = [];
    for (const [monthIndex, period] of MONTHS.entries()) {
      const year2016 = monthIndex >= 12;
      // Kirkuk: about 40 reported crimes a month in 2015, about 10 in 2016 (a 75 % fall), as
      // police in the three programme locations reported it.
      const crimes = kirkuk.has(network.key) ? (year2016 ? 10 : 40) + random.int(-2, 2) : random.int(12, 30);
      const values: [string, number][] = [
        ['reported_crimes', crimes],
        ['violent_incidents', Math.max(0, Math.round(crimes / 4) + random.int(-2, 2))],
        ['police_response_time_minutes', random.int(year2016 ? 20 : 30, year2016 ? 45 : 70)],
        ['trust_score', Math.min(100, random.int(35, 50) + (year2016 ? random.int(5, 20) : 0))],
      ];
      rows.push(...values.map(([indicator, value]) => ({ id: demoId(`indicator-${network.key}-${indicator}-${period}`), indicator, period, value })));
    }
    // One statement and one audit event per network: 96 monthly values are one import.
    const inserted = (await m.query(
      `INSERT INTO indicator_values (id, network_id, indicator, period, value, source_enc)
       SELECT id, $1, indicator, period, value, CASE WHEN indicator = 'trust_score' THEN $6 ELSE $7 END
       FROM unnest($2::uuid[], $3::text[], $4::text[], $5::numeric[]) AS t(id, indicator, period, value)
       ON CONFLICT DO NOTHING RETURNING id`,
      [demoId(network.key), rows.map((r) => r.id), rows.map((r) => r.indicator), rows.map((r) => r.period), rows.map((r) => r.value), survey, police],
    )) as { id: string }[];
    if (inserted.length) await audit(m, 'indicator_value', `import-${network.key}`, inserted.length);
  }
}
