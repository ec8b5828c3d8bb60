import { EntityManager } from 'typeorm';
import { RequestContext } from '../common/context/request-context';
import { ProblemException } from '../common/problem/problem';
import { scopeCondition } from '../common/scope/scope';

/** A 404 for a reference in a body, naming the field; the same for missing and not visible. */
export function referenceNotFound(field: string, what: string): ProblemException {
  return new ProblemException(404, `${field}: the ${what} does not exist, is in another country or is not visible to you.`, {
    errors: [{ field, message: `no such ${what} visible to you in this country` }],
  });
}

/** The country a person is recorded in must exist and be one the caller works in. */
export async function requireWritableCountry(manager: EntityManager, ctx: RequestContext, countryCode: string): Promise<void> {
  const { role, countryCodes } = ctx.principal;
  const allowed = role === 'admin' || (role === 'country_staff' && countryCodes.includes(countryCode));
  const rows: unknown[] = allowed
    ? await manager.query('SELECT 1 FROM countries WHERE code = $1 AND archived_at IS NULL', [countryCode])
    : [];
  if (rows.length === 0) throw referenceNotFound('countryCode', 'country');
}

/**
 * Every network named in a body exists, is not archived, lies in the person's country and is
 * visible to the caller: one query for the whole list.
 */
export async function requireNetworks(manager: EntityManager, ctx: RequestContext, countryCode: string, networkIds: readonly string[]): Promise<void> {
  const unique = [...new Set(networkIds)];
  if (unique.length === 0) return;
  const { sql, params } = scopeCondition(ctx.principal, { country: 'n.country_code', network: 'n.id' });
  const rows = await manager
    .createQueryBuilder()
    .select('n.id', 'id')
    .from('networks', 'n')
    .where('n.id IN (:...ids)', { ids: unique })
    .andWhere('n.country_code = :countryCode AND n.archived_at IS NULL', { countryCode })
    .andWhere(sql, params)
    .getRawMany<{ id: string }>();
  if (rows.length !== unique.length) throw referenceNotFound('networkIds', 'network');
}
