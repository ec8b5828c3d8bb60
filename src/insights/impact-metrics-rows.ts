import { DISPUTE_STATUSES } from '../disputes/dispute-enums';
import { RISK_FACTOR_NUMBERS } from '../early-warning/early-warning-enums';
import { ACTION_POINT_STATUSES } from '../field-work/field-work-enums';
import { INITIATIVE_STATUSES } from '../initiatives/initiative-enums';
import { STAKEHOLDER_GROUPS, StakeholderGroup } from '../people/people-enums';
import { GroupBy, ImpactRow, Money } from './impact-metrics.model';
import { emptyIndicatorChanges } from './indicator-change.sql';

/** One result row of impactCountsSql (columns named there); counts of an absent source are NULL. */
export type CountsRow = Record<string, string | number | null | Record<string, string>> & {
  g_country: string;
  g_network: string;
  g_period: string;
  network_name: string | null;
};

const int = (v: unknown): number => (typeof v === 'number' ? v : 0);

function countsBy<K extends string | number>(raw: CountsRow, prefix: string, total: string, keys: readonly K[]): { total: number } & Record<string, number> {
  return { total: int(raw[total]), ...Object.fromEntries(keys.map((k) => [String(k), int(raw[`${prefix}_${k}`])])) };
}

function money(value: unknown): Money[] {
  if (!value || typeof value !== 'object') return [];
  return Object.entries(value as Record<string, string>)
    .map(([currency, amount]) => ({ amount, currency }))
    .sort((a, b) => a.currency.localeCompare(b.currency));
}

/** The keys a row carries to name its group: what `groupBy` groups on, nothing else. */
export function groupFields(groupBy: GroupBy | undefined, raw: Pick<CountsRow, 'g_country' | 'g_network' | 'g_period' | 'network_name'>): Partial<ImpactRow> {
  switch (groupBy) {
    case 'country':
      return { countryCode: raw.g_country };
    case 'network':
      // Early warnings may be filed for a country without a network: they form the country's "no network" row.
      return { countryCode: raw.g_country, networkId: raw.g_network || null, networkName: raw.network_name };
    case 'month':
    case 'quarter':
    case 'year':
      return { period: raw.g_period };
    default:
      return {};
  }
}

/** Turns one SQL row into the API row (before suppression). Ratios are computed here from integer counts. */
export function toImpactRow(groupBy: GroupBy | undefined, raw: CountsRow): ImpactRow {
  const uniqueParticipants = int(raw.unique_participants);
  const women = int(raw.women);
  const disputes = countsBy(raw, 'ds', 'ds_total', DISPUTE_STATUSES) as ImpactRow['disputes'];
  const median = raw.median_days;
  return {
    ...groupFields(groupBy, raw),
    sessions: int(raw.sessions),
    sessionsWithStatePartners: int(raw.sessions_with_state_partners),
    attendances: int(raw.named_attendances) + int(raw.unnamed_attendances),
    unnamedAttendances: int(raw.unnamed_attendances),
    uniqueParticipants,
    women,
    womenShare: uniqueParticipants ? round(women / uniqueParticipants, 4) : null,
    stakeholderGroups: Object.fromEntries(STAKEHOLDER_GROUPS.map((g) => [g, int(raw[`sg_${g}`])])) as Record<StakeholderGroup, number>,
    disputes,
    disputeResolutionRate: disputes.total ? round(int(raw.ds_ever_resolved) / disputes.total, 4) : null,
    medianDaysToResolution: typeof median === 'number' ? median : null,
    actionPoints: countsBy(raw, 'ap', 'ap_total', ACTION_POINT_STATUSES) as ImpactRow['actionPoints'],
    initiatives: countsBy(raw, 'in', 'in_total', INITIATIVE_STATUSES) as ImpactRow['initiatives'],
    budgetCommitted: money(raw.budget_committed),
    disbursed: money(raw.disbursed),
    earlyWarnings: countsBy(raw, 'rf', 'ew_total', RISK_FACTOR_NUMBERS),
    indicatorChange: emptyIndicatorChanges(),
    suppressed: [],
  };
}

function round(value: number, decimals: number): number {
  const f = 10 ** decimals;
  return Math.round(value * f) / f;
}
