import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { actorOf, AuditService } from '../common/audit/audit.service';
import { RequestContext } from '../common/context/request-context';
import type { Role } from '../auth/principal';
import { ScopedTable } from '../common/scope/readable-ids';
import { ScopeColumns, scopeCondition } from '../common/scope/scope';
import { NETWORK_READ_SCOPE } from '../programme/references';
import { CodeKind } from './people-enums';

/**
 * Identities are shown in clear only to admin and to country staff of the person's country;
 * hq_analyst and partner users get the pseudonymous code and the statistical attributes.
 */
export function mayViewIdentity(ctx: RequestContext, countryCode: string): boolean {
  const { role, countryCodes } = ctx.principal;
  return role === 'admin' || (role === 'country_staff' && countryCodes.includes(countryCode));
}

/** Participants and police partners are written only by admin and country staff of their country. */
export function mayWriteCountry(ctx: RequestContext, countryCode: string): boolean {
  return mayViewIdentity(ctx, countryCode);
}

export const PARTICIPANT_SCOPE: ScopeColumns = {
  country: 'p.country_code',
  networksOf: 'SELECT x.network_id FROM participant_networks x WHERE x.participant_id = p.id',
};

export const POLICE_PARTNER_SCOPE: ScopeColumns = {
  country: 'p.country_code',
  networksOf: 'SELECT x.network_id FROM police_partner_networks x WHERE x.police_partner_id = p.id',
};

/**
 * Who may read records of single people (participants, police partners, who attended a session,
 * who is party to or mediates a dispute), pseudonymous or not. Not hq_analyst: headquarters works
 * from aggregates, and a person's record — country, network, group, gender, age band, the
 * sessions they attended — both singles them out and lets anyone count the small cells that the
 * metrics' disclosure control protects (docs/metrics.md, docs/security.md).
 */
export const PERSON_RECORD_READERS = ['admin', 'country_staff', 'partner'] as const satisfies readonly Role[];

/** Whether the caller may read records of single people, and so counts of who attended one session. */
export const mayReadPersonRecords = (ctx: RequestContext): boolean => (PERSON_RECORD_READERS as readonly Role[]).includes(ctx.principal.role);

export const PARTICIPANT_TABLE: ScopedTable = { table: 'participants', alias: 'p', columns: PARTICIPANT_SCOPE, readers: PERSON_RECORD_READERS };
export const POLICE_PARTNER_TABLE: ScopedTable = { table: 'police_partners', alias: 'p', columns: POLICE_PARTNER_SCOPE, readers: PERSON_RECORD_READERS };

/** Where each kind of person keeps its networks. */
const MEMBERSHIP = {
  participants: { table: 'participant_networks', person: 'participant_id' },
  police_partners: { table: 'police_partner_networks', person: 'police_partner_id' },
} as const;

/**
 * Network ids per person for a page, in one query. With a context, only the networks the caller
 * may read (a partner: its assigned networks; country staff: their countries'), filtered by
 * PostgreSQL: a person's other networks say where else they take part, which is not the
 * partner's to know. Without one (audit diffs, writes), all of them.
 */
export async function networkIdsOf(
  manager: EntityManager,
  ctx: RequestContext | null,
  kind: keyof typeof MEMBERSHIP,
  ids: readonly string[],
): Promise<Map<string, string[]>> {
  const map = new Map<string, string[]>();
  if (!ids.length) return map;
  const { table, person } = MEMBERSHIP[kind];
  const scope = ctx ? scopeCondition(ctx.principal, NETWORK_READ_SCOPE) : { sql: 'TRUE', params: {} };
  const rows = await manager
    .createQueryBuilder()
    .select([`x.${person} AS "personId"`, 'x.network_id AS "networkId"'])
    .from(table, 'x')
    .innerJoin('networks', 'n', 'n.id = x.network_id')
    .where(`x.${person} IN (:...personIds)`, { personIds: ids })
    .andWhere(scope.sql, scope.params)
    .orderBy('x.network_id')
    .getRawMany<{ personId: string; networkId: string }>();
  for (const row of rows) map.set(row.personId, [...(map.get(row.personId) ?? []), row.networkId]);
  return map;
}

/**
 * Hands out the next pseudonymous code (`NP-P-000042`) inside the creating transaction. The
 * upsert takes the counter row's lock until commit, so concurrent creates queue on it and get
 * consecutive numbers; a rolled-back create rolls its number back too, so no code ever labels two
 * records.
 */
export async function nextCode(manager: EntityManager, countryCode: string, kind: CodeKind): Promise<string> {
  const rows: { last_value: number }[] = await manager.query(
    `INSERT INTO pseudonym_counters (country_code, kind, last_value) VALUES ($1, $2, 1)
     ON CONFLICT (country_code, kind) DO UPDATE SET last_value = pseudonym_counters.last_value + 1
     RETURNING last_value`,
    [countryCode, kind],
  );
  return `${countryCode}-${kind}-${String(rows[0].last_value).padStart(6, '0')}`;
}

/**
 * Serialises duplicate checks for one identity within a country, so two concurrent creates of
 * the same person cannot both pass the check. Held until the transaction ends.
 */
export async function lockIdentity(manager: EntityManager, table: string, countryCode: string, identityIndex: string): Promise<void> {
  await manager.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`${table}:${countryCode}:${identityIndex}`]);
}

/**
 * Records that a response showed identities in clear ("who has looked at this person?"): one
 * audit row per response, written before the response leaves. Reads pay for a transaction only
 * when they actually show an identity.
 */
@Injectable()
export class PersonalDataViews {
  constructor(
    private readonly dataSource: DataSource,
    private readonly audit: AuditService,
  ) {}

  /** One row for a single record (`entityId` = its id), or for a list page (`list`, with the ids). */
  async record(ctx: RequestContext, entity: string, shownIds: readonly string[], options: { list?: boolean; manager?: EntityManager } = {}): Promise<void> {
    if (shownIds.length === 0) return;
    const entry = options.list
      ? { action: 'view_personal_data', entity, entityId: 'list', changes: { ids: [...shownIds] } }
      : { action: 'view_personal_data', entity, entityId: shownIds[0] };
    if (options.manager) {
      await this.audit.record(options.manager, actorOf(ctx), entry);
      return;
    }
    await this.dataSource.transaction((manager) => this.audit.record(manager, actorOf(ctx), entry));
  }
}
