import { hash } from 'argon2';
import { v5 as uuidv5 } from 'uuid';
import { DataSource, EntityManager } from 'typeorm';
import { AuditService, SYSTEM_ACTOR } from '../common/audit/audit.service';
import { PersonalDataCipher } from '../common/crypto/personal-data-cipher';
import { DEMO_LINKS, DEMO_NETWORKS, DEMO_PARTNERS } from './demo-programme';
import { AGE_WEIGHTS, GENDER_WEIGHTS, INSTITUTION_WEIGHTS, NAMES, PHONE_PREFIX, RANKS, STAKEHOLDER_WEIGHTS } from './demo-people';
import { loadDemoDisputes } from './demo-disputes';
import { loadDemoFieldWork } from './demo-field-work';
import { loadDemoInitiatives } from './demo-initiatives';
import { SeededRandom } from './random';

// Ids derive from stable names, so loading twice finds the same rows instead of adding new ones.
const NAMESPACE = '6f1c2a7e-4b1d-4f5e-9c2a-0d3b5e7f9a11';
export const demoId = (name: string) => uuidv5(name, NAMESPACE);

export const DEMO_PASSWORD = 'demo-password-2026';
export const DEMO_USERS = [
  { email: 'hq@example.org', role: 'hq_analyst', countryCodes: [] as string[], partner: null as string | null, displayName: 'HQ analyst (demo)' },
  { email: 'staff.iq@example.org', role: 'country_staff', countryCodes: ['IQ'], partner: null, displayName: 'Iraq country office (demo)' },
  { email: 'staff.np@example.org', role: 'country_staff', countryCodes: ['NP'], partner: null, displayName: 'Nepal country office (demo)' },
  { email: 'partner.kirkuk@example.org', role: 'partner', countryCodes: [], partner: 'iq-p1', displayName: 'Kirkuk Civil Peace Association (demo)' },
];

const PEOPLE_PER_COUNTRY: Record<string, { participants: number; police: number }> = {
  NP: { participants: 120, police: 16 },
  IQ: { participants: 150, police: 20 },
  LY: { participants: 90, police: 12 },
};

export type DemoCounts = Record<string, number>;

/**
 * Loads the demo programme: networks with their hierarchy and cross-country links, partners and
 * their assignments, participants and police partners (identities encrypted like any other),
 * and one user per role. Every row written is audited as the system. Loading twice adds nothing.
 */
export async function loadDemoData(dataSource: DataSource, cipher: PersonalDataCipher): Promise<DemoCounts> {
  const audit = new AuditService();
  const counts: DemoCounts = {};
  const created = (what: string) => (counts[what] = (counts[what] ?? 0) + 1);
  const random = new SeededRandom(20070601);

  await dataSource.transaction(async (m) => {
    const insert = async (what: string, table: string, row: Record<string, unknown>, conflict = '(id)') => {
      const columns = Object.keys(row);
      const result: unknown[] = await m.query(
        `INSERT INTO ${table} (${columns.join(', ')}) VALUES (${columns.map((_, i) => `$${i + 1}`).join(', ')})
         ON CONFLICT ${conflict} DO NOTHING RETURNING 1`,
        Object.values(row),
      );
      if (result.length) {
        created(what);
        await audit.record(m, SYSTEM_ACTOR, { action: 'create', entity: what, entityId: String(row.id ?? `${row.partner_id}/${row.network_id}`), changes: { source: { to: 'demo data' } } });
      }
      return result.length > 0;
    };

    for (const n of DEMO_NETWORKS) {
      await insert('network', 'networks', {
        id: demoId(n.key), country_code: n.country, name: n.name, level: n.level, parent_id: n.parent ? demoId(n.parent) : null,
        admin_area: n.adminArea, lat: n.lat, lon: n.lon, established_on: n.establishedOn,
      });
    }
    for (const l of DEMO_LINKS) {
      await insert('network_link', 'network_links', { id: demoId(`link-${l.from}-${l.to}-${l.kind}`), from_network_id: demoId(l.from), to_network_id: demoId(l.to), kind: l.kind, since: l.since, status: 'confirmed' });
    }
    for (const p of DEMO_PARTNERS) {
      await insert('partner', 'partners', { id: demoId(p.key), country_code: p.country, name: p.name, kind: p.kind, impartiality_commitment_on: p.commitmentOn });
      for (const n of p.networks) {
        await insert('partner_network', 'partner_networks', { partner_id: demoId(p.key), network_id: demoId(n) }, '(partner_id, network_id)');
      }
    }
    for (const [country, size] of Object.entries(PEOPLE_PER_COUNTRY)) {
      const networks = DEMO_NETWORKS.filter((n) => n.country === country);
      const local = networks.filter((n) => n.level === 'district' || n.level === 'community');
      for (let i = 1; i <= size.participants; i++) {
        await insertParticipant(m, cipher, random, insert, country, i, random.sample(local, random.weighted([[1, 3], [2, 1]])).map((n) => demoId(n.key)));
      }
      for (let i = 1; i <= size.police; i++) {
        await insertPolicePartner(m, cipher, random, insert, country, i, random.sample(local, random.int(1, 2)).map((n) => demoId(n.key)));
      }
    }
    const auditBatch = async (manager: EntityManager, what: string, batch: string, rows: number) => {
      counts[what] = (counts[what] ?? 0) + rows;
      await audit.record(manager, SYSTEM_ACTOR, { action: 'import', entity: what, entityId: batch, changes: { rows: { to: rows }, source: { to: 'demo data' } } });
    };
    await loadDemoFieldWork(m, random, insert, auditBatch, demoId, cipher);
    await loadDemoDisputes(m, random, insert, cipher, demoId);
    await loadDemoInitiatives(m, insert, demoId, cipher);
    for (const u of DEMO_USERS) {
      await insert('user', 'users', {
        id: demoId(`user-${u.email}`), email: u.email, password_hash: await hash(DEMO_PASSWORD, { type: 2 }), role: u.role,
        country_codes: u.countryCodes, partner_id: u.partner ? demoId(u.partner) : null, display_name: u.displayName,
      }, '(email)');
    }
  });
  return counts;
}

type Insert = (what: string, table: string, row: Record<string, unknown>, conflict?: string) => Promise<boolean>;

async function nextCode(m: EntityManager, country: string, kind: 'P' | 'S'): Promise<string> {
  const [{ last_value }] = (await m.query(
    `INSERT INTO pseudonym_counters (country_code, kind, last_value) VALUES ($1, $2, 1)
     ON CONFLICT (country_code, kind) DO UPDATE SET last_value = pseudonym_counters.last_value + 1 RETURNING last_value`,
    [country, kind],
  )) as { last_value: number }[];
  return `${country}-${kind}-${String(last_value).padStart(6, '0')}`;
}

async function insertParticipant(m: EntityManager, cipher: PersonalDataCipher, random: SeededRandom, insert: Insert, country: string, i: number, networkIds: string[]) {
  const id = demoId(`participant-${country}-${i}`);
  // Draw every random value before the existence check, so a re-run walks the same sequence.
  const gender = random.weighted(GENDER_WEIGHTS);
  const names = NAMES[country];
  const fullName = `${random.pick(gender === 'female' ? names.female : names.male)} ${random.pick(names.family)}`;
  const phone = `${PHONE_PREFIX[country]}${String(random.int(1_000_000, 9_999_999))}`;
  const ageBand = random.weighted(AGE_WEIGHTS);
  const group = random.weighted(STAKEHOLDER_WEIGHTS);
  const consent = random.next() > 0.04;
  if ((await m.query('SELECT 1 FROM participants WHERE id = $1', [id])).length) return;
  await insert('participant', 'participants', {
    id, code: await nextCode(m, country, 'P'), country_code: country,
    full_name_enc: cipher.encrypt(fullName, 'participant.fullName'), phone_enc: cipher.encrypt(phone, 'participant.phone'),
    identity_index: cipher.blindIndex(fullName, phone), gender, age_band: ageBand, stakeholder_group: group,
    consent_given: consent, consent_recorded_on: consent ? '2015-01-15' : null, consent_scope: consent ? 'programme records and statistics' : null,
  });
  for (const networkId of networkIds) {
    await m.query('INSERT INTO participant_networks (participant_id, network_id) VALUES ($1, $2) ON CONFLICT DO NOTHING', [id, networkId]);
  }
}

async function insertPolicePartner(m: EntityManager, cipher: PersonalDataCipher, random: SeededRandom, insert: Insert, country: string, i: number, networkIds: string[]) {
  const id = demoId(`police-${country}-${i}`);
  const names = NAMES[country];
  const fullName = `${random.pick(random.next() < 0.2 ? names.female : names.male)} ${random.pick(names.family)}`;
  const institution = random.weighted(INSTITUTION_WEIGHTS);
  const rank = institution === 'police' || institution === 'military' ? random.pick(RANKS) : null;
  const station = `${random.pick(['Central', 'North', 'South', 'Market', 'Old Town'])} station`;
  if ((await m.query('SELECT 1 FROM police_partners WHERE id = $1', [id])).length) return;
  await insert('police_partner', 'police_partners', {
    id, code: await nextCode(m, country, 'S'), country_code: country, full_name_enc: cipher.encrypt(fullName, 'police_partner.fullName'),
    identity_index: cipher.blindIndex(institution, fullName), institution, rank, station,
  });
  for (const networkId of networkIds) {
    await m.query('INSERT INTO police_partner_networks (police_partner_id, network_id) VALUES ($1, $2) ON CONFLICT DO NOTHING', [id, networkId]);
  }
}
