import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { actorOf, AuditService, diffChanges } from '../common/audit/audit.service';
import { RequestContext } from '../common/context/request-context';
import { ListCursor } from '../common/pagination/cursor';
import { Page } from '../common/pagination/page-query.dto';
import { badRequest, conflict, notFound } from '../common/problem/problem';
import { scopeCondition, ScopeColumns } from '../common/scope/scope';
import { CreateNetworkLinkDto, ListNetworkLinksQueryDto, NetworkLinkDto } from './dto/network-link.dto';
import { NetworkLink } from './network-link.entity';
import { NETWORK_READ_SCOPE, NETWORK_WRITE_SCOPE, referenceNotFound } from './references';

/**
 * Links between networks, listed from both ends.
 *
 * Who may do what, and why (least privilege):
 * - Listing needs read access to the network in the path; the answer names the network at the
 *   other end by id, country and name, and nothing more (no location, partners or people), even
 *   when that network is in a country the caller cannot otherwise see: knowing who to learn from
 *   across countries is the point of a link, and a network's name is programme structure, not
 *   personal data. A partner user, who sees nothing beyond its own networks, gets only the id
 *   and country of a linked network outside them (name null).
 * - Creating or archiving needs write access to the network in the path (admin, or
 *   country_staff of its country). The target may be any active network in any country, named
 *   by its UUID: ids of invisible networks are never listed to the caller, so a link to one can
 *   only be made by someone its own country office gave the id to, and a wrong or unknown id
 *   is the same 404 as an invisible one would be if it did not exist.
 * - Either end's office may archive a link, since either may end the collaboration.
 */
@Injectable()
export class NetworkLinksService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly audit: AuditService,
  ) {}

  async list(ctx: RequestContext, networkId: string, query: ListNetworkLinksQueryDto): Promise<Page<NetworkLinkDto>> {
    const manager = this.dataSource.manager;
    await requireNetwork(manager, ctx, networkId, NETWORK_READ_SCOPE);
    const cursor = new ListCursor('GET /networks/:id/links', query, { id: networkId });
    const limit = cursor.limit;
    const qb = linkQuery(manager, ctx, networkId);
    if (!query.includeArchived) qb.andWhere('l.archived_at IS NULL');
    const after = cursor.after(2);
    if (after) {
      const [since, id] = after;
      if (!/^\d{4}-\d{2}-\d{2}$/.test(String(since)) || !/^[0-9a-f-]{36}$/i.test(String(id))) {
        throw badRequest('The cursor is not one this server issued.', [{ field: 'cursor', message: 'is not a valid cursor' }]);
      }
      qb.andWhere('(l.since, l.id) > (CAST(:cursorSince AS date), CAST(:cursorId AS uuid))', { cursorSince: since, cursorId: id });
    }
    const rows = await qb.orderBy('l.since', 'ASC').addOrderBy('l.id', 'ASC').limit(limit + 1).getRawMany<LinkRow>();
    const data = rows.slice(0, limit).map(toDto);
    const last = data[data.length - 1];
    return { data, nextCursor: rows.length > limit ? cursor.next([last.since, last.id]) : null };
  }

  async create(ctx: RequestContext, networkId: string, dto: CreateNetworkLinkDto): Promise<NetworkLinkDto> {
    return this.dataSource.transaction(async (manager) => {
      const from = await requireNetwork(manager, ctx, networkId, NETWORK_WRITE_SCOPE);
      if (from.archived) throw conflict('The network is archived; it cannot take new links.', { slug: 'archived' });
      if (dto.toNetworkId === networkId) throw badRequest('A network cannot be linked to itself.', [{ field: 'toNetworkId', message: 'must be another network' }]);
      const [target] = (await manager.query('SELECT id FROM networks WHERE id = $1 AND archived_at IS NULL', [dto.toNetworkId])) as { id: string }[];
      if (!target) throw referenceNotFound('toNetworkId', 'network');

      // One writer per pair at a time, so two concurrent requests A→B and B→A cannot both pass.
      const pair = [networkId, dto.toNetworkId].sort().join(':');
      await manager.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`network_link:${pair}:${dto.kind}`]);
      const existing = (await manager.query(
        `SELECT id, from_network_id AS "fromNetworkId", archived_at AS "archivedAt", to_char(since, 'YYYY-MM-DD') AS since FROM network_links
          WHERE kind = $3 AND ((from_network_id = $1 AND to_network_id = $2) OR (from_network_id = $2 AND to_network_id = $1))`,
        [networkId, dto.toNetworkId, dto.kind],
      )) as { id: string; fromNetworkId: string; archivedAt: Date | null; since: string }[];
      const active = existing.find((l) => !l.archivedAt);
      if (active) throw conflict(`These networks already have a ${dto.kind} link.`, { slug: 'duplicate', linkId: active.id });

      // The pair and kind are unique in the table: an archived link in the same direction is restored.
      const archived = existing.find((l) => l.fromNetworkId === networkId);
      const fields = { fromNetworkId: networkId, toNetworkId: dto.toNetworkId, kind: dto.kind, since: dto.since };
      let id: string;
      let action: string;
      let changes: Record<string, unknown>;
      if (archived) {
        id = archived.id;
        action = 'restore';
        await manager.update(NetworkLink, { id }, { archivedAt: null, since: dto.since, version: () => 'version + 1' });
        changes = diffChanges({ since: archived.since, archivedAt: archived.archivedAt?.toISOString() ?? null }, { since: dto.since, archivedAt: null });
      } else {
        id = randomUUID();
        action = 'create';
        await manager.insert(NetworkLink, { id, ...fields });
        changes = diffChanges(null, fields);
      }
      const created = await linkQuery(manager, ctx, networkId).andWhere('l.id = :linkId', { linkId: id }).getRawOne<LinkRow>();
      await this.audit.record(manager, actorOf(ctx), { action, entity: 'network_link', entityId: id, changes });
      return toDto(created!);
    });
  }

  async archive(ctx: RequestContext, networkId: string, linkId: string): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      await requireNetwork(manager, ctx, networkId, NETWORK_WRITE_SCOPE);
      const link = await manager
        .getRepository(NetworkLink)
        .createQueryBuilder('l')
        .setLock('pessimistic_write')
        .where('l.id = :linkId AND (l.from_network_id = :networkId OR l.to_network_id = :networkId)', { linkId, networkId })
        .getOne();
      if (!link) throw notFound('network link');
      if (link.archivedAt) return; // archiving twice changes nothing
      await manager.update(NetworkLink, { id: linkId }, { archivedAt: () => 'now()', version: () => 'version + 1' });
      await this.audit.record(manager, actorOf(ctx), { action: 'archive', entity: 'network_link', entityId: linkId });
    });
  }
}

interface LinkRow {
  id: string;
  fromNetworkId: string;
  toNetworkId: string;
  kind: NetworkLink['kind'];
  since: string;
  version: number;
  createdAt: Date;
  archivedAt: Date | null;
  otherId: string;
  otherCountryCode: string;
  otherName: string | null;
}

/** The network in the path as the caller may read or write it; 404 otherwise. */
async function requireNetwork(manager: EntityManager, ctx: RequestContext, id: string, columns: ScopeColumns): Promise<{ archived: boolean }> {
  const { sql, params } = scopeCondition(ctx.principal, columns);
  const row = await manager
    .createQueryBuilder()
    .select('n.archived_at IS NOT NULL', 'archived')
    .from('networks', 'n')
    .where('n.id = :id', { id })
    .andWhere(sql, params)
    .getRawOne<{ archived: boolean }>();
  if (!row) throw notFound('network');
  return row;
}

/** Links of one network, each with the network at its other end (see the class comment on names). */
function linkQuery(manager: EntityManager, ctx: RequestContext, networkId: string) {
  const nameVisible = ctx.principal.role === 'partner' ? scopeCondition(ctx.principal, { network: 'o.id' }) : { sql: 'TRUE', params: {} };
  return manager
    .createQueryBuilder()
    .select([
      'l.id AS id',
      'l.from_network_id AS "fromNetworkId"',
      'l.to_network_id AS "toNetworkId"',
      'l.kind AS kind',
      `to_char(l.since, 'YYYY-MM-DD') AS since`,
      'l.version AS version',
      'l.created_at AS "createdAt"',
      'l.archived_at AS "archivedAt"',
      'o.id AS "otherId"',
      'o.country_code AS "otherCountryCode"',
      `CASE WHEN ${nameVisible.sql} THEN o.name END AS "otherName"`,
    ])
    .from('network_links', 'l')
    .innerJoin('networks', 'o', 'o.id = CASE WHEN l.from_network_id = :networkId THEN l.to_network_id ELSE l.from_network_id END')
    .where('(l.from_network_id = :networkId OR l.to_network_id = :networkId)', { networkId, ...nameVisible.params });
}

function toDto(r: LinkRow): NetworkLinkDto {
  return {
    id: r.id,
    fromNetworkId: r.fromNetworkId,
    toNetworkId: r.toNetworkId,
    direction: r.otherId === r.toNetworkId ? 'outgoing' : 'incoming',
    network: { id: r.otherId, countryCode: r.otherCountryCode, name: r.otherName },
    kind: r.kind,
    since: r.since,
    version: r.version,
    createdAt: new Date(r.createdAt).toISOString(),
    archivedAt: r.archivedAt ? new Date(r.archivedAt).toISOString() : null,
  };
}
