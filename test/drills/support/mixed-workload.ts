import { Pool } from 'pg';
import { Outcome } from './drill-client';
import { DrillEnv } from './drill-env';
import { RecordCheck, sessionBody } from './workload';

/** One kind of create in a mixed workload: its name in the figures, the route, the table its records land in, a body for operation n. */
export interface WorkloadKind {
  name: string;
  path: string;
  table: string;
  body: (n: number) => Record<string, unknown>;
}

const INDICATORS = ['reported_crimes', 'violent_incidents', 'police_response_time_minutes', 'trust_score'] as const;

/**
 * Every kind of record a field office creates, so that the retry storm proves at-most-once on
 * every create route, not only on sessions. Bodies are unique per n where the API refuses
 * duplicates by content (people by name and phone, indicator values by network, indicator, month).
 */
export function mixedKinds(env: DrillEnv, partnerId: string, drill: string): WorkloadKind[] {
  const tag = `${drill}-${env.tag}`;
  const networkId = env.seed.networkId;
  return [
    { name: 'sessions', path: '/api/v1/sessions', table: 'sessions', body: (n) => sessionBody(env, drill, n) },
    {
      name: 'participants', path: '/api/v1/participants', table: 'participants',
      body: (n) => ({
        countryCode: 'IQ', fullName: `Storm Person ${tag}-${n}`, phone: `+964-770-${String(n).padStart(7, '0')}`, gender: n % 2 ? 'female' : 'male',
        ageBand: '18_29', stakeholderGroup: 'youth_group', networkIds: [networkId], consent: { given: true, recordedOn: '2016-01-10', scope: 'programme records' },
      }),
    },
    {
      name: 'policePartners', path: '/api/v1/police-partners', table: 'police_partners',
      body: (n) => ({ countryCode: 'IQ', fullName: `Storm Officer ${tag}-${n}`, institution: 'police', rank: 'Inspector', networkIds: [networkId] }),
    },
    {
      name: 'disputes', path: '/api/v1/disputes', table: 'disputes',
      body: (n) => ({
        networkId, reportedByPartnerId: partnerId, reportedOn: '2016-07-10', category: 'land', description: `Boundary dispute ${tag}-${n}`,
        parties: [{ label: 'North bank family' }, { label: 'South bank family' }], severity: 'medium', violenceRisk: 'low',
      }),
    },
    {
      name: 'earlyWarnings', path: '/api/v1/early-warnings', table: 'early_warnings',
      body: (n) => ({ countryCode: 'IQ', networkId, observedOn: '2016-07-11', riskFactors: [9, 8], description: `Threats at the market ${tag}-${n}`, severity: 'medium' }),
    },
    {
      name: 'indicatorValues', path: '/api/v1/indicator-values', table: 'indicator_values',
      // One month per n and indicator, counting back from 2016-12 (unique for 4 × 1,200 months).
      body: (n) => {
        const month = 2016 * 12 + 11 - Math.floor(n / INDICATORS.length);
        return { networkId, indicator: INDICATORS[n % INDICATORS.length], period: `${Math.floor(month / 12)}-${String((month % 12) + 1).padStart(2, '0')}`, value: n % 90, source: 'Station report' };
      },
    },
    {
      name: 'initiatives', path: '/api/v1/initiatives', table: 'initiatives',
      body: (n) => ({
        networkId, title: `Help desk ${tag}-${n}`, problemStatement: 'Nobody at the station receives women.', category: 'help_desk', funder: 'Embassy',
        budget: { amount: '1500.00', currency: 'USD' },
      }),
    },
  ];
}

/** Operation n of the workload is of kind n mod the number of kinds, and is the k-th of its kind. */
export function operationOf(kinds: readonly WorkloadKind[], n: number): { kind: WorkloadKind; k: number } {
  return { kind: kinds[n % kinds.length], k: Math.floor(n / kinds.length) };
}

export async function tableCounts(db: Pool, kinds: readonly WorkloadKind[]): Promise<Map<string, number>> {
  const counts = new Map<string, number>();
  for (const { table } of kinds) counts.set(table, Number((await db.query(`SELECT count(*)::int AS n FROM ${table}`)).rows[0].n));
  return counts;
}

/**
 * What the workload left behind, counted in SQL per table against the counts before it (the
 * drill's database is its own, so every new row is the workload's): each accepted operation's
 * record must exist, and a table may hold no more new rows than operations of its kind.
 */
export async function checkMixed(
  db: Pool, kinds: readonly WorkloadKind[], before: Map<string, number>, outcomes: Map<number, Outcome>,
): Promise<RecordCheck & { byKind: Record<string, number> }> {
  const check: RecordCheck & { byKind: Record<string, number> } = { operations: outcomes.size, accepted: 0, records: 0, lost: 0, duplicated: 0, incomplete: 0, unacknowledged: 0, byKind: {} };
  const after = await tableCounts(db, kinds);
  for (const kind of kinds) {
    const mine = [...outcomes].filter(([n]) => operationOf(kinds, n).kind === kind).map(([, o]) => o);
    const acceptedIds = mine.filter((o) => o.accepted).map((o) => o.id!);
    const created = after.get(kind.table)! - before.get(kind.table)!;
    const found = Number((await db.query(`SELECT count(*)::int AS n FROM ${kind.table} WHERE id = ANY($1::uuid[])`, [acceptedIds])).rows[0].n);
    check.accepted += acceptedIds.length;
    check.records += created;
    check.lost += acceptedIds.length - found;
    check.duplicated += Math.max(0, created - mine.length);
    check.unacknowledged += Math.max(0, Math.min(created, mine.length) - found);
    check.byKind[kind.name] = created;
  }
  return check;
}
