import { EntityManager, ObjectLiteral, SelectQueryBuilder } from 'typeorm';
import { Principal } from '../../auth/principal';
import { RequestContext } from '../context/request-context';
import { notFound } from '../problem/problem';

/**
 * Where a resource keeps the facts that decide who may see a row. Name SQL expressions on the
 * query's alias, e.g. `{ country: 's.country_code', network: 's.network_id' }`.
 */
export interface ScopeColumns {
  /** ISO alpha-2 country code column: country_staff see rows of their countries. */
  country?: string;
  /** Network id column: partners see rows of the networks their partner is assigned to. */
  network?: string;
  /** Partner id column, for rows that belong to a partner directly (the partner record itself). */
  partner?: string;
  /**
   * For rows that belong to several networks (participants, police partners): a SELECT of the
   * row's network ids, e.g. `SELECT x.network_id FROM participant_networks x WHERE x.participant_id = p.id`.
   * Partners see the row when one of those networks is assigned to them.
   */
  networksOf?: string;
}

export interface ScopeCondition {
  sql: string;
  params: Record<string, unknown>;
}

/** Partner assignments live in this table (programme/ owns it); scoping reads it in SQL. */
export const PARTNER_NETWORKS_TABLE = 'partner_networks';

/**
 * The one place that turns "who is calling" into a SQL condition. Rows the caller may not see
 * are filtered by PostgreSQL, never after the fact in Node; a resource without the column a role
 * is scoped by is invisible to that role (deny by default).
 */
export function scopeCondition(principal: Principal, columns: ScopeColumns): ScopeCondition {
  switch (principal.role) {
    case 'admin':
    case 'hq_analyst':
      return { sql: 'TRUE', params: {} };
    case 'country_staff':
      if (!columns.country || principal.countryCodes.length === 0) return { sql: 'FALSE', params: {} };
      return { sql: `${columns.country} = ANY(:scopeCountryCodes)`, params: { scopeCountryCodes: principal.countryCodes } };
    case 'partner': {
      if (!principal.partnerId) return { sql: 'FALSE', params: {} };
      const clauses: string[] = [];
      if (columns.network) {
        clauses.push(`${columns.network} IN (SELECT pn.network_id FROM ${PARTNER_NETWORKS_TABLE} pn WHERE pn.partner_id = :scopePartnerId)`);
      }
      if (columns.networksOf) {
        clauses.push(
          `EXISTS (SELECT 1 FROM ${PARTNER_NETWORKS_TABLE} pn WHERE pn.partner_id = :scopePartnerId AND pn.network_id IN (${columns.networksOf}))`,
        );
      }
      if (columns.partner) clauses.push(`${columns.partner} = :scopePartnerId`);
      if (clauses.length === 0) return { sql: 'FALSE', params: {} };
      return { sql: `(${clauses.join(' OR ')})`, params: { scopePartnerId: principal.partnerId } };
    }
    default: {
      const exhaustive: never = principal.role;
      throw new Error(`unknown role ${String(exhaustive)}`);
    }
  }
}

/** Adds the caller's scope to a query builder. */
export function applyScope<T extends ObjectLiteral>(
  qb: SelectQueryBuilder<T>,
  ctx: RequestContext,
  columns: ScopeColumns,
): SelectQueryBuilder<T> {
  const { sql, params } = scopeCondition(ctx.principal, columns);
  return qb.andWhere(sql, params);
}

/**
 * "May this caller see these ids?" in one query (Immich's requireAccess): throws the same 404
 * for a missing and for an invisible record, naming `what` (e.g. `network`), so a reference in
 * a body never reveals that a record exists in another country.
 */
export async function requireAccess(
  manager: EntityManager,
  ctx: RequestContext,
  target: { table: string; alias: string; columns: ScopeColumns; what: string },
  ids: readonly string[],
): Promise<void> {
  const unique = [...new Set(ids)];
  if (unique.length === 0) return;
  const { sql, params } = scopeCondition(ctx.principal, target.columns);
  const rows = await manager
    .createQueryBuilder()
    .select(`${target.alias}.id`, 'id')
    .from(target.table, target.alias)
    .where(`${target.alias}.id IN (:...ids)`, { ids: unique })
    .andWhere(sql, params)
    .getRawMany<{ id: string }>();
  if (rows.length !== unique.length) throw notFound(target.what);
}
