import { EntityManager } from 'typeorm';
import { PersonalDataCipher } from '../common/crypto/personal-data-cipher';
import { INITIATIVE_CIPHER } from '../initiatives/initiative-text';
import { DemoInsert } from './demo-field-work';

/** Initiatives of every category, from the examples in domain.md; amounts in exact decimals. */
const INITIATIVES = [
  { key: 'np-police-post', network: 'np-morang', category: 'police_post', title: 'Police post in an underserved ward of Morang', funder: 'Swiss FDFA', budget: '48000.00', currency: 'USD', status: 'completed', paid: ['20000.00', '20000.00', '8000.00'] },
  { key: 'iq-help-desk', network: 'iq-kirkuk-city', category: 'help_desk', title: 'Help desk at the Kirkuk central police station', funder: 'Netherlands MFA', budget: '25000.00', currency: 'EUR', status: 'completed', paid: ['12500.00', '12500.00'] },
  { key: 'iq-detention', network: 'iq-hawija', category: 'detention_facility', title: 'Separate detention rooms for women and children in Hawija', funder: 'EU', budget: '60000.00', currency: 'EUR', status: 'in_progress', paid: ['30000.00'] },
  { key: 'np-schools', network: 'np-janakpur', category: 'school_program', title: 'Police visiting schools in Janakpur', funder: 'UNDP', budget: '9500.00', currency: 'USD', status: 'in_progress', paid: ['4000.00', '2250.50'] },
  { key: 'iq-interfaith', network: 'iq-sinjar', category: 'interfaith_committee', title: 'Interfaith committee for Sinjar returnees', funder: 'Norwegian MFA', budget: '18000.00', currency: 'USD', status: 'approved', paid: [] as string[] },
  { key: 'ly-code', network: 'ly-sabha', category: 'code_of_conduct', title: 'Code of conduct for local conflict resolution in Sabha', funder: 'German GFFO', budget: '12000.00', currency: 'EUR', status: 'in_progress', paid: ['6000.00'] },
  { key: 'ly-lighting', network: 'ly-misrata', category: 'infrastructure', title: 'Street lighting on the market road', funder: 'EU', budget: '15000.00', currency: 'EUR', status: 'proposed', paid: [] },
  { key: 'np-livelihood', network: 'np-sunsari', category: 'livelihood', title: 'Vocational training for former combatants', funder: 'Swiss FDFA', budget: '22000.00', currency: 'USD', status: 'cancelled', paid: [] },
  { key: 'iq-training', network: 'iq-daquq', category: 'training', title: 'Community policing training for Daquq officers', funder: 'UK FCDO', budget: '14000.00', currency: 'USD', status: 'completed', paid: ['7000.00', '6999.99'] },
  { key: 'ly-radio', network: 'ly-tripoli', category: 'other', title: 'Radio programme on access to justice', funder: 'Swedish Sida', budget: '8000.00', currency: 'USD', status: 'approved', paid: ['2500.00'] },
];

const STATUS_PATH: Record<string, string[]> = {
  proposed: [], approved: ['approved'], in_progress: ['approved', 'in_progress'], completed: ['approved', 'in_progress', 'completed'], cancelled: ['approved', 'cancelled'],
};

/** Funded initiatives with their disbursements (never over budget), milestones and status history; free text encrypted. */
export async function loadDemoInitiatives(m: EntityManager, insert: DemoInsert, demoId: (name: string) => string, cipher: PersonalDataCipher): Promise<void> {
  const seal = (value: string, context: string) => cipher.encrypt(value, context);
  for (const [n, i] of INITIATIVES.entries()) {
    const id = demoId(`initiative-${i.key}`);
    const networkId = demoId(i.network);
    const [network] = (await m.query('SELECT country_code FROM networks WHERE id = $1', [networkId])) as { country_code: string }[];
    const origin = (await m.query('SELECT id FROM sessions WHERE network_id = $1 ORDER BY held_on, id LIMIT 1', [networkId])) as { id: string }[];
    const startOn = `2015-${String(3 + n).padStart(2, '0')}-01`;
    const isNew = await insert('initiative', 'initiatives', {
      id, network_id: networkId, country_code: network.country_code, title_enc: seal(i.title, INITIATIVE_CIPHER.title),
      problem_statement_enc: seal(
        `Raised in dialogue sessions of the network: ${i.title.toLowerCase()} would answer a problem participants named repeatedly.`,
        INITIATIVE_CIPHER.problemStatement,
      ),
      category: i.category, funder: i.funder, budget_amount: i.budget, budget_currency: i.currency, status: i.status,
      start_on: i.status === 'proposed' ? null : startOn, end_on: i.status === 'completed' ? '2016-12-31' : null,
    });
    if (!isNew) continue;
    for (const [position, session] of origin.entries()) {
      await m.query('INSERT INTO initiative_origin_sessions (initiative_id, session_id, position) VALUES ($1, $2, $3)', [id, session.id, position]);
    }
    for (const [k, amount] of i.paid.entries()) {
      await m.query(
        `INSERT INTO disbursements (id, initiative_id, amount, currency, disbursed_on, reference_enc) VALUES ($1, $2, $3, $4, $5::date + $6::int * 90, $7)`,
        [demoId(`initiative-${i.key}-d${k}`), id, amount, i.currency, startOn, k, seal(`TRANCHE-${k + 1}`, INITIATIVE_CIPHER.disbursementReference)],
      );
    }
    const milestones = ['Agreement signed with the local authority', 'Works or activities started', 'Handover and community event'];
    for (const [k, description] of milestones.entries()) {
      const achieved = i.status === 'completed' || (i.status === 'in_progress' && k < 2);
      await m.query(
        `INSERT INTO milestones (id, initiative_id, description_enc, due_on, achieved_on) VALUES ($1, $2, $3, $4::date + $5::int * 120, CASE WHEN $6 THEN $4::date + $5::int * 120 END)`,
        [demoId(`initiative-${i.key}-m${k}`), id, seal(description, INITIATIVE_CIPHER.milestoneDescription), startOn, k, achieved],
      );
    }
    let from = 'proposed';
    for (const [step, to] of STATUS_PATH[i.status].entries()) {
      await m.query(
        `INSERT INTO initiative_history (id, initiative_id, from_status, to_status, note_enc, actor_kind, actor_id, occurred_at)
         VALUES ($1, $2, $3, $4, $5, 'system', NULL, $6::date + $7::int * 60)`,
        [demoId(`initiative-${i.key}-h${step}`), id, from, to, seal(`Demo: ${to.replace('_', ' ')}`, INITIATIVE_CIPHER.historyNote), startOn, step],
      );
      from = to;
    }
  }
}
