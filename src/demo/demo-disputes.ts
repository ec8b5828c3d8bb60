import { EntityManager } from 'typeorm';
import { PersonalDataCipher } from '../common/crypto/personal-data-cipher';
import { CIPHER } from '../disputes/dispute-mapper';
import { DemoInsert } from './demo-field-work';
import { DEMO_NETWORKS, DEMO_PARTNERS } from './demo-programme';
import { SeededRandom } from './random';


/** Workflow paths through the dispute states (api.md), so every status has a realistic history. */
const PATHS: string[][] = [
  ['reported'],
  ['reported', 'in_mediation'],
  ['reported', 'in_mediation', 'escalated'],
  ['reported', 'in_mediation', 'resolved'],
  ['reported', 'in_mediation', 'resolved', 'closed'],
  ['reported', 'referred'],
  ['reported', 'in_mediation', 'escalated', 'referred', 'closed'],
  ['reported', 'withdrawn'],
  ['reported', 'in_mediation', 'escalated', 'in_mediation', 'resolved'],
];

const CATEGORIES: Record<string, [string, number][]> = {
  NP: [['land', 5], ['family', 3], ['property', 3], ['police_community', 2], ['commercial', 1], ['other', 1]],
  IQ: [['tribal', 5], ['idp_host', 4], ['sectarian', 3], ['property', 3], ['police_community', 2], ['religious', 1]],
  LY: [['tribal', 4], ['natural_resources', 3], ['commercial', 3], ['police_community', 2], ['property', 2], ['other', 1]],
};

const STORIES: Record<string, string> = {
  land: 'Two families claim the same plot after the river moved its course.',
  family: 'A widow and her late husband\'s brothers disagree over custody and the house.',
  property: 'Returning families find their houses occupied by another family.',
  police_community: 'Young men say they were beaten at a checkpoint; police deny it.',
  commercial: 'Traders accuse a transport owner of blocking the market road.',
  tribal: 'A road accident killed a young man; his tribe demands blood money.',
  idp_host: 'Host community and displaced families quarrel over water from the only well.',
  sectarian: 'Graffiti on a mosque wall raised fears of reprisals between neighbourhoods.',
  religious: 'A procession route through a mixed neighbourhood is contested.',
  natural_resources: 'Herders and farmers dispute access to grazing land during the drought.',
  other: 'A dispute over compensation after a fire spread between shops.',
};

/**
 * Mediated disputes in every local network, in every status, with the history of how they got
 * there, mediators from the network's elders and religious leaders, and linked sessions.
 */
export async function loadDemoDisputes(m: EntityManager, random: SeededRandom, insert: DemoInsert, cipher: PersonalDataCipher, demoId: (name: string) => string): Promise<void> {
  const local = DEMO_NETWORKS.filter((n) => n.level === 'district' || n.level === 'community');
  for (const network of local) {
    const networkId = demoId(network.key);
    const partner = DEMO_PARTNERS.find((p) => p.networks.includes(network.key));
    if (!partner) continue;
    const mediators = (await m.query(
      `SELECT p.id FROM participants p JOIN participant_networks pn ON pn.participant_id = p.id
       WHERE pn.network_id = $1 AND p.stakeholder_group IN ('tribal_elder', 'religious_leader', 'lawyer', 'civil_society') ORDER BY p.code`,
      [networkId],
    )) as { id: string }[];
    const sessions = (await m.query('SELECT id FROM sessions WHERE network_id = $1 ORDER BY held_on, id', [networkId])) as { id: string }[];
    for (let i = 0; i < PATHS.length; i++) {
      const path = PATHS[(i + network.key.length) % PATHS.length];
      const category = random.weighted(CATEGORIES[network.country]);
      const reportedOn = `${random.pick(['2015', '2016'])}-${String(random.int(1, 12)).padStart(2, '0')}-${String(random.int(1, 20)).padStart(2, '0')}`;
      const daysToResolve = Math.round(7 + random.next() * random.next() * 120);
      const chosenMediators = random.sample(mediators, Math.min(mediators.length, random.int(1, 2)));
      const linked = sessions.length && random.next() < 0.6 ? [random.pick(sessions)] : [];
      const severity = random.weighted([['low', 3], ['medium', 4], ['high', 2], ['critical', 1]] as const);
      const violenceRisk = random.weighted([['none', 2], ['low', 4], ['medium', 3], ['high', 2], ['imminent', 1]] as const);
      const id = demoId(`dispute-${network.key}-${i}`);
      const status = path[path.length - 1];
      const resolvedStep = path.indexOf('resolved');
      const referredStep = path.indexOf('referred');
      const dayOf = (step: number) => `('${reportedOn}'::date + ${Math.round((daysToResolve * step) / Math.max(1, path.length - 1))})`;
      const resolvedOn = resolvedStep >= 0 ? (await m.query(`SELECT ${dayOf(resolvedStep)}::text AS d`))[0].d : null;
      const isNew = await insert('dispute', 'disputes', {
        id, network_id: networkId, country_code: network.country, reported_by_partner_id: demoId(partner.key), reported_on: reportedOn, category,
        description_enc: cipher.encrypt(STORIES[category], CIPHER.description), severity, violence_risk: violenceRisk, status,
        resolution_terms_enc: resolvedOn ? cipher.encrypt('Both sides accept the elders\' settlement; compensation paid in two instalments.', CIPHER.resolutionTerms) : null,
        resolution_agreed_on: resolvedOn, resolution_follow_up_on: null,
        referral_to: referredStep >= 0 ? random.pick(['police', 'court', 'prosecution', 'local_government']) : null,
        referral_reference_enc: referredStep >= 0 ? cipher.encrypt(`REF-${network.country}-${1000 + i}`, CIPHER.referralReference) : null, resolved_on: resolvedOn,
      });
      if (!isNew) continue;
      await m.query(
        `INSERT INTO dispute_parties (dispute_id, position, label_enc, participant_id) VALUES ($1, 0, $2, NULL), ($1, 1, $3, NULL)`,
        [id, cipher.encrypt('First family (claimant)', CIPHER.partyLabel), cipher.encrypt('Second family (respondent)', CIPHER.partyLabel)],
      );
      for (const mediator of chosenMediators) await m.query('INSERT INTO dispute_mediators (dispute_id, participant_id) VALUES ($1, $2)', [id, mediator.id]);
      for (const session of linked) await m.query('INSERT INTO dispute_sessions (dispute_id, session_id) VALUES ($1, $2)', [id, session.id]);
      for (const [step, to] of path.entries()) {
        await m.query(
          `INSERT INTO dispute_history (id, dispute_id, from_status, to_status, note_enc, actor_kind, actor_id, occurred_at)
           VALUES ($1, $2, $3, $4, $5, 'system', NULL, ${dayOf(step)} + time '10:00')`,
          [demoId(`dispute-${network.key}-${i}-h${step}`), id, step === 0 ? null : path[step - 1], to, cipher.encrypt(`Demo: ${to.replace('_', ' ')}`, CIPHER.historyNote)],
        );
      }
    }
  }
}
