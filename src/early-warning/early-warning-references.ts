import { EntityManager } from 'typeorm';
import { RequestContext } from '../common/context/request-context';
import { badRequest, notFound } from '../common/problem/problem';
import { requireAccess, scopeCondition } from '../common/scope/scope';

/**
 * Checks on the records an early warning or indicator value refers to. Each answers 404 for a
 * record that is missing or outside the caller's scope, so a body never reveals what exists in
 * another country.
 */

/** The country exists, is not archived, and the caller works in it (admin: any). */
export async function requireCountry(manager: EntityManager, ctx: RequestContext, code: string): Promise<void> {
  const { sql, params } = scopeCondition(ctx.principal, { country: 'c.code' });
  const found = await manager
    .createQueryBuilder()
    .select('c.code', 'code')
    .from('countries', 'c')
    .where('c.code = :code AND c.archived_at IS NULL', { code })
    .andWhere(sql, params)
    .getRawOne<{ code: string }>();
  if (!found) throw notFound('country');
}

/**
 * The network is visible to the caller (country staff: their countries; partners: their assigned
 * networks) and, when `countryCode` is given, lies in that country. Returns its country.
 */
export async function requireNetwork(manager: EntityManager, ctx: RequestContext, networkId: string, countryCode?: string): Promise<string> {
  await requireAccess(manager, ctx, { table: 'networks', alias: 'n', columns: { country: 'n.country_code', network: 'n.id' }, what: 'network' }, [networkId]);
  const row = await manager
    .createQueryBuilder()
    .select('n.country_code', 'countryCode')
    .addSelect('n.archived_at', 'archivedAt')
    .from('networks', 'n')
    .where('n.id = :networkId', { networkId })
    .getRawOne<{ countryCode: string; archivedAt: Date | null }>();
  if (!row) throw notFound('network');
  if (row.archivedAt) throw badRequest('The network is archived.', [{ field: 'networkId', message: 'refers to an archived network' }]);
  if (countryCode !== undefined && row.countryCode !== countryCode) {
    throw badRequest('The network is in another country than the report.', [{ field: 'networkId', message: `must be a network in ${countryCode}` }]);
  }
  return row.countryCode;
}

/** The source session exists, lies in `countryCode` (its network's country) and is visible to the caller. */
export async function requireSourceSession(manager: EntityManager, ctx: RequestContext, sessionId: string, countryCode: string): Promise<void> {
  const { sql, params } = scopeCondition(ctx.principal, { country: 'n.country_code', network: 's.network_id' });
  const found = await manager
    .createQueryBuilder()
    .select('s.id', 'id')
    .from('sessions', 's')
    .innerJoin('networks', 'n', 'n.id = s.network_id')
    .where('s.id = :sessionId', { sessionId })
    .andWhere('n.country_code = :countryCode', { countryCode })
    .andWhere(sql, params)
    .getRawOne<{ id: string }>();
  if (!found) throw notFound('session');
}
