import { EntityManager } from 'typeorm';
import { RequestContext } from '../common/context/request-context';
import { ScopedTable } from '../common/scope/readable-ids';
import { ProblemException } from '../common/problem/problem';
import { scopeCondition, ScopeColumns } from '../common/scope/scope';
import { NETWORK_LEVELS, NetworkLevel } from './programme-enums';

/**
 * 404 for an id in a body that does not exist or that the caller may not see, naming the field,
 * so a client knows which reference to fix without learning whether the record exists elsewhere.
 */
export function referenceNotFound(field: string, what: string): ProblemException {
  return new ProblemException(404, `The ${what} named in ${field} does not exist or is not visible to you.`, {
    errors: [{ field, message: 'does not exist or is not visible to you' }],
  });
}

/** 400 for a reference that exists and is visible but breaks a rule (other country, hierarchy). */
export function invalidReference(field: string, message: string): ProblemException {
  return new ProblemException(400, `${field} ${message}.`, { slug: 'validation', title: 'Validation failed', errors: [{ field, message }] });
}

/**
 * Where the scope of each programme table lives. Writes use `WRITE_SCOPE` (country only): the
 * write routes admit only admin and country_staff, and a partner's network assignment never
 * grants write access to the network itself.
 */
export const NETWORK_READ_SCOPE: ScopeColumns = { country: 'n.country_code', network: 'n.id' };
export const NETWORK_WRITE_SCOPE: ScopeColumns = { country: 'n.country_code' };
export const PARTNER_READ_SCOPE: ScopeColumns = { country: 'p.country_code', partner: 'p.id' };
export const PARTNER_WRITE_SCOPE: ScopeColumns = { country: 'p.country_code' };
/** For readableIds(): which networks and partners a response may name to the caller. */
export const NETWORK_TABLE: ScopedTable = { table: 'networks', alias: 'n', columns: NETWORK_READ_SCOPE };
export const PARTNER_TABLE: ScopedTable = { table: 'partners', alias: 'p', columns: PARTNER_READ_SCOPE };

/** A country the caller may create records in: it exists, is not archived, and is in scope. */
export async function requireWritableCountry(manager: EntityManager, ctx: RequestContext, code: string): Promise<void> {
  const { sql, params } = scopeCondition(ctx.principal, { country: 'c.code' });
  const found = await manager
    .createQueryBuilder()
    .select('c.code', 'code')
    .from('countries', 'c')
    .where('c.code = :code AND c.archived_at IS NULL', { code })
    .andWhere(sql, params)
    .getRawOne<{ code: string }>();
  if (!found) throw referenceNotFound('countryCode', 'country');
}

export interface NetworkRef {
  id: string;
  countryCode: string;
  level: NetworkLevel;
  archivedAt: Date | null;
}

/**
 * The networks named by `ids` as the caller may write them (same 404 for missing and invisible,
 * naming `field`), in one query.
 */
export function requireWritableNetworks(manager: EntityManager, ctx: RequestContext, ids: readonly string[], field: string): Promise<NetworkRef[]> {
  return requireNetworks(manager, ctx, ids, field, NETWORK_WRITE_SCOPE);
}

/**
 * The networks named by `ids` as the caller may read them (a partner: its assigned networks),
 * for other domains that record work in a network (sessions, disputes). Same 404 naming `field`.
 */
export function requireVisibleNetworks(manager: EntityManager, ctx: RequestContext, ids: readonly string[], field: string): Promise<NetworkRef[]> {
  return requireNetworks(manager, ctx, ids, field, NETWORK_READ_SCOPE);
}

async function requireNetworks(manager: EntityManager, ctx: RequestContext, ids: readonly string[], field: string, columns: ScopeColumns): Promise<NetworkRef[]> {
  const unique = [...new Set(ids)];
  if (!unique.length) return [];
  const { sql, params } = scopeCondition(ctx.principal, columns);
  const rows = await manager
    .createQueryBuilder()
    .select(['n.id AS id', 'n.country_code AS "countryCode"', 'n.level AS level', 'n.archived_at AS "archivedAt"'])
    .from('networks', 'n')
    .where('n.id IN (:...ids)', { ids: unique })
    .andWhere(sql, params)
    .getRawMany<NetworkRef>();
  if (rows.length !== unique.length) throw referenceNotFound(field, 'network');
  return rows;
}

/** national (0) > regional (1) > district (2) > community (3): a parent's rank is lower. */
export const levelRank = (level: NetworkLevel): number => NETWORK_LEVELS.indexOf(level);
