import { EntityManager } from 'typeorm';
import { RequestContext } from '../common/context/request-context';
import { scopeCondition } from '../common/scope/scope';
import { NetworkLinkDto } from './dto/network-link.dto';
import { NetworkLinkKind, NetworkLinkStatus } from './programme-enums';

export interface LinkRow {
  id: string;
  outgoing: boolean;
  ownId: string;
  otherId: string | null;
  otherCountryCode: string | null;
  otherName: string | null;
  kind: NetworkLinkKind;
  status: NetworkLinkStatus;
  since: string;
  version: number;
  createdAt: Date;
  archivedAt: Date | null;
}

/**
 * Links of one network, each with the network at its other end as the caller may see it. All
 * decided in SQL, with the caller's read scope on the other network (`readable`):
 *
 * - id: the other end's id, except to a partner user beyond its networks (null). On the
 *   proposing side of a proposal it is the id the proposer sent, whether or not it names a
 *   network, so a proposal never tells whether its target exists.
 * - countryCode: once confirmed, or on the receiving side (the proposer chose to show its own
 *   country), or when readable; never on the proposing side of a proposal for the same reason.
 * - name: when readable, or once confirmed (not for a partner user beyond its networks):
 *   neither side learns the other's name before the other country has agreed to the link.
 *
 * hq_analyst and admin read every network, so they see everything.
 */
export function linkQuery(manager: EntityManager, ctx: RequestContext, networkId: string) {
  // NETWORK_READ_SCOPE, on the other end (alias o).
  const readable = scopeCondition(ctx.principal, { country: 'o.country_code', network: 'o.id' });
  const partner = ctx.principal.role === 'partner';
  const confirmed = `l.status = 'confirmed'`;
  const outgoing = 'l.from_network_id = :networkId';
  const otherId = `CASE WHEN ${outgoing} THEN l.to_network_id ELSE l.from_network_id END`;
  return manager
    .createQueryBuilder()
    .select([
      'l.id AS id',
      `(${outgoing}) AS outgoing`,
      'CAST(:networkId AS uuid) AS "ownId"',
      partner ? `CASE WHEN ${readable.sql} THEN ${otherId} END AS "otherId"` : `${otherId} AS "otherId"`,
      `CASE WHEN ${readable.sql} OR ${confirmed} OR NOT (${outgoing}) THEN o.country_code END AS "otherCountryCode"`,
      `CASE WHEN ${readable.sql}${partner ? '' : ` OR ${confirmed}`} THEN o.name END AS "otherName"`,
      'l.kind AS kind',
      'l.status AS status',
      `to_char(l.since, 'YYYY-MM-DD') AS since`,
      'l.version AS version',
      'l.created_at AS "createdAt"',
      'l.archived_at AS "archivedAt"',
    ])
    .from('network_links', 'l')
    // LEFT: a proposal may name an id that is no network.
    .leftJoin('networks', 'o', `o.id = ${otherId}`)
    .where('(l.from_network_id = :networkId OR l.to_network_id = :networkId)', { networkId, ...readable.params });
}

export function toLinkDto(r: LinkRow): NetworkLinkDto {
  return {
    id: r.id,
    fromNetworkId: r.outgoing ? r.ownId : r.otherId,
    toNetworkId: r.outgoing ? r.otherId : r.ownId,
    direction: r.outgoing ? 'outgoing' : 'incoming',
    network: { id: r.otherId, countryCode: r.otherCountryCode, name: r.otherName },
    kind: r.kind,
    status: r.status,
    since: r.since,
    version: r.version,
    createdAt: new Date(r.createdAt).toISOString(),
    archivedAt: r.archivedAt ? new Date(r.archivedAt).toISOString() : null,
  };
}
