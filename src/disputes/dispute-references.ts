import { EntityManager } from 'typeorm';
import { RequestContext } from '../common/context/request-context';
import { badRequest } from '../common/problem/problem';
import { scopeCondition } from '../common/scope/scope';
import { referenceNotFound } from '../programme/references';

/**
 * Checks on what a dispute refers to that no other module's service answers yet. Like
 * requireFacilitator (field-work) and requireSourceSession (early-warning) they read the
 * programme and field-work tables with the caller's scope in SQL: one query per kind, and the
 * same 404 naming the field for a record that is missing, invisible or in another country.
 */

/**
 * The reporting partner is visible to the caller (a partner user sees only its own organisation,
 * so naming another one is a 404), not archived, in the network's country and assigned to the
 * network (400 otherwise: a partner records disputes only for the networks it works in).
 */
export async function requireReporter(manager: EntityManager, ctx: RequestContext, partnerId: string, network: { id: string; countryCode: string }): Promise<void> {
  const scope = scopeCondition(ctx.principal, { country: 'p.country_code', partner: 'p.id' });
  const row = await manager
    .createQueryBuilder()
    .select('p.country_code', 'countryCode')
    .addSelect('EXISTS (SELECT 1 FROM partner_networks pn WHERE pn.partner_id = p.id AND pn.network_id = :networkId)', 'assigned')
    .from('partners', 'p')
    .where('p.id = :partnerId AND p.archived_at IS NULL', { partnerId, networkId: network.id })
    .andWhere(scope.sql, scope.params)
    .getRawOne<{ countryCode: string; assigned: boolean }>();
  if (!row || row.countryCode !== network.countryCode) throw referenceNotFound('reportedByPartnerId', 'partner');
  if (!row.assigned) {
    throw badRequest('The reporting partner is not assigned to the dispute\'s network.', [
      { field: 'reportedByPartnerId', message: 'must be a partner assigned to the network' },
    ]);
  }
}

/**
 * Sessions linked to a dispute are sessions of the dispute's country that the caller may see (a
 * partner user: sessions of its networks). The country, not the network, is the rule: a dispute
 * is often taken up in a session of a neighbouring or regional network of the same country.
 */
export async function requireSessions(manager: EntityManager, ctx: RequestContext, countryCode: string, sessionIds: readonly string[]): Promise<void> {
  const unique = [...new Set(sessionIds)];
  if (!unique.length) return;
  const scope = scopeCondition(ctx.principal, { country: 's.country_code', network: 's.network_id' });
  const rows = await manager
    .createQueryBuilder()
    .select('s.id', 'id')
    .from('sessions', 's')
    .where('s.id IN (:...ids) AND s.archived_at IS NULL AND s.country_code = :countryCode', { ids: unique, countryCode })
    .andWhere(scope.sql, scope.params)
    .getRawMany<{ id: string }>();
  if (rows.length !== unique.length) throw referenceNotFound('sessionIds', 'session');
}
