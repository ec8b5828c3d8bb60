import { EntityManager } from 'typeorm';
import { RequestContext } from '../common/context/request-context';
import { badRequest, ProblemException } from '../common/problem/problem';
import { scopeCondition } from '../common/scope/scope';

/**
 * Checks on what an initiative refers to. A record that is missing or outside the caller's scope
 * is the same 404 naming the field, so a body never reveals what exists in another country.
 */

function referenceNotFound(field: string, what: string): ProblemException {
  return new ProblemException(404, `The ${what} in ${field} does not exist or is not visible to you.`, {
    errors: [{ field, message: 'does not exist or is not visible to you' }],
  });
}

/** The active network the initiative belongs to, visible to the caller; its country becomes the initiative's. */
export async function requireInitiativeNetwork(manager: EntityManager, ctx: RequestContext, networkId: string): Promise<{ id: string; countryCode: string }> {
  const scope = scopeCondition(ctx.principal, { country: 'n.country_code', network: 'n.id' });
  const row = await manager
    .createQueryBuilder()
    .select('n.id', 'id')
    .addSelect('n.country_code', 'countryCode')
    .from('networks', 'n')
    .where('n.id = :networkId AND n.archived_at IS NULL', { networkId })
    .andWhere(scope.sql, scope.params)
    .getRawOne<{ id: string; countryCode: string }>();
  if (!row) throw referenceNotFound('networkId', 'network');
  return row;
}

/**
 * Origin sessions, all checked in one query: each must be visible to the caller (404 otherwise)
 * and held by the initiative's own network (400: the problem came up elsewhere).
 */
export async function requireOriginSessions(manager: EntityManager, ctx: RequestContext, networkId: string, sessionIds: readonly string[]): Promise<void> {
  const unique = [...new Set(sessionIds)];
  if (!unique.length) return;
  const scope = scopeCondition(ctx.principal, { country: 's.country_code', network: 's.network_id' });
  const rows = await manager
    .createQueryBuilder()
    .select('s.id', 'id')
    .addSelect('s.network_id', 'networkId')
    .from('sessions', 's')
    .where('s.id IN (:...ids)', { ids: unique })
    .andWhere(scope.sql, scope.params)
    .getRawMany<{ id: string; networkId: string }>();
  if (rows.length !== unique.length) throw referenceNotFound('originSessionIds', 'session');
  if (rows.some((r) => r.networkId !== networkId)) {
    throw badRequest('Origin sessions must be sessions of the initiative\'s network.', [
      { field: 'originSessionIds', message: 'must name sessions held by the initiative\'s network' },
    ]);
  }
}
