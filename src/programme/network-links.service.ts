import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { actorOf, AuditService, diffChanges } from '../common/audit/audit.service';
import { assertVersion } from '../common/concurrency/etag';
import { RequestContext } from '../common/context/request-context';
import { ListCursor } from '../common/pagination/cursor';
import { Page } from '../common/pagination/page-query.dto';
import { badRequest, conflict, notFound } from '../common/problem/problem';
import { scopeCondition, ScopeColumns } from '../common/scope/scope';
import { CreateNetworkLinkDto, ListNetworkLinksQueryDto, NetworkLinkDto, NetworkLinkTransitionDto } from './dto/network-link.dto';
import { LinkRow, linkQuery, toLinkDto } from './network-link-query';
import { NETWORK_LINK_WORKFLOW } from './network-link-workflow';
import { NetworkLink } from './network-link.entity';
import { NetworkLinkStatus } from './programme-enums';
import { NETWORK_READ_SCOPE, NETWORK_WRITE_SCOPE, referenceNotFound } from './references';

/**
 * Links between networks, listed from both ends.
 *
 * Who may do what, and why (least privilege):
 * - Listing needs read access to the network in the path; what it shows of the network at the
 *   other end is in network-link-query.ts (never more than id, country and name).
 * - Creating or archiving needs write access to the network in the path (admin, or
 *   country_staff of its country). A link to a network the caller may also write (its own
 *   countries; an admin: any) is confirmed at once. Any other target id, one of another country
 *   or one that names no network at all, makes a proposal: 201 with the same body either way
 *   (status `proposed`, the other end shown only by the id sent), so the answer never tells
 *   whether the id exists, and the other country sees the proposal, not a link, until it
 *   confirms it (POST …/transitions). Only an admin, who sees every network anyway, gets 404 for
 *   an id that names none.
 * - Confirming or declining needs write access to the network the proposal names (its country
 *   office) or admin. A declined proposal is archived; proposing again restores it as proposed.
 * - Either end's office may archive a link (or withdraw a proposal), since either may end it.
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
    const data = rows.slice(0, limit).map(toLinkDto);
    const last = data[data.length - 1];
    return { data, nextCursor: rows.length > limit ? cursor.next([last.since, last.id]) : null };
  }

  async create(ctx: RequestContext, networkId: string, dto: CreateNetworkLinkDto): Promise<NetworkLinkDto> {
    return this.dataSource.transaction(async (manager) => {
      const from = await requireNetwork(manager, ctx, networkId, NETWORK_WRITE_SCOPE);
      if (from.archived) throw conflict('The network is archived; it cannot take new links.', { slug: 'archived' });
      if (dto.toNetworkId === networkId) throw badRequest('A network cannot be linked to itself.', [{ field: 'toNetworkId', message: 'must be another network' }]);
      const status = await this.statusOfNewLink(manager, ctx, dto.toNetworkId);

      // One writer per pair at a time, so two concurrent requests A→B and B→A cannot both pass.
      const pair = [networkId, dto.toNetworkId].sort().join(':');
      await manager.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`network_link:${pair}:${dto.kind}`]);
      // Every row between the two touches the caller's network, so the caller can list each of
      // them: naming one in a 409 tells nothing new.
      const existing = (await manager.query(
        `SELECT id, from_network_id AS "fromNetworkId", archived_at AS "archivedAt", to_char(since, 'YYYY-MM-DD') AS since, status FROM network_links
          WHERE kind = $3 AND ((from_network_id = $1 AND to_network_id = $2) OR (from_network_id = $2 AND to_network_id = $1))`,
        [networkId, dto.toNetworkId, dto.kind],
      )) as { id: string; fromNetworkId: string; archivedAt: Date | null; since: string; status: NetworkLinkStatus }[];
      const active = existing.find((l) => !l.archivedAt);
      if (active) throw conflict(`These networks already have a ${dto.kind} link (${active.status}).`, { slug: 'duplicate', linkId: active.id });

      // The pair and kind are unique in the table: an archived link in the same direction is restored.
      const archived = existing.find((l) => l.fromNetworkId === networkId);
      const fields = { fromNetworkId: networkId, toNetworkId: dto.toNetworkId, kind: dto.kind, since: dto.since, status };
      let id: string;
      let action: string;
      let changes: Record<string, unknown>;
      if (archived) {
        id = archived.id;
        action = 'restore';
        await manager.update(NetworkLink, { id }, { archivedAt: null, since: dto.since, status, version: () => 'version + 1' });
        changes = diffChanges(
          { since: archived.since, status: archived.status, archivedAt: archived.archivedAt?.toISOString() ?? null },
          { since: dto.since, status, archivedAt: null },
        );
      } else {
        id = randomUUID();
        action = 'create';
        await manager.insert(NetworkLink, { id, ...fields });
        changes = diffChanges(null, fields);
      }
      const created = await this.read(manager, ctx, networkId, id);
      await this.audit.record(manager, actorOf(ctx), { action, entity: 'network_link', entityId: id, changes });
      return created;
    });
  }

  /** Confirms or declines a proposal, from either end, by the proposal's addressee or an admin. */
  async transition(ctx: RequestContext, networkId: string, linkId: string, expectedVersion: number | undefined, dto: NetworkLinkTransitionDto): Promise<NetworkLinkDto> {
    return this.dataSource.transaction(async (manager) => {
      await requireNetwork(manager, ctx, networkId, NETWORK_WRITE_SCOPE);
      const link = await lockLink(manager, networkId, linkId);
      assertVersion(link.version, expectedVersion);
      if (link.archivedAt) throw conflict('The link is archived; propose it again to reopen it.', { slug: 'archived' });
      NETWORK_LINK_WORKFLOW.assert(link.status, dto.to);
      const target = await this.writableNetwork(manager, ctx, link.toNetworkId);
      if (!target) {
        throw conflict('A proposal is confirmed or declined by the country office of the network it names (or an admin); withdraw it with DELETE.', {
          slug: 'proposal-awaits-other-side',
        });
      }
      if (dto.to === 'confirmed') {
        const [ends] = (await manager.query(
          'SELECT bool_or(archived_at IS NOT NULL) AS archived FROM networks WHERE id IN ($1, $2)',
          [link.fromNetworkId, link.toNetworkId],
        )) as { archived: boolean }[];
        if (ends.archived) throw conflict('One of the networks is archived; the link cannot be confirmed.', { slug: 'archived' });
      }
      await manager.update(
        NetworkLink,
        { id: linkId },
        { status: dto.to, version: () => 'version + 1', ...(dto.to === 'declined' ? { archivedAt: () => 'now()' } : {}) },
      );
      await this.audit.record(manager, actorOf(ctx), {
        action: 'transition',
        entity: 'network_link',
        entityId: linkId,
        changes: { status: { from: link.status, to: dto.to } },
      });
      return this.read(manager, ctx, networkId, linkId);
    });
  }

  async archive(ctx: RequestContext, networkId: string, linkId: string): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      await requireNetwork(manager, ctx, networkId, NETWORK_WRITE_SCOPE);
      const link = await lockLink(manager, networkId, linkId);
      if (link.archivedAt) return; // archiving twice changes nothing
      await manager.update(NetworkLink, { id: linkId }, { archivedAt: () => 'now()', version: () => 'version + 1' });
      await this.audit.record(manager, actorOf(ctx), { action: 'archive', entity: 'network_link', entityId: linkId });
    });
  }

  /**
   * `confirmed` for a target the caller may write (and so sees: same answers as before links
   * needed confirming, 404 for an archived one), else `proposed`. An admin may write every
   * network, so an id an admin cannot find names none.
   */
  private async statusOfNewLink(manager: EntityManager, ctx: RequestContext, toNetworkId: string): Promise<NetworkLinkStatus> {
    const target = await this.writableNetwork(manager, ctx, toNetworkId);
    if (target?.archived || (!target && ctx.principal.role === 'admin')) throw referenceNotFound('toNetworkId', 'network');
    return target ? 'confirmed' : 'proposed';
  }

  private writableNetwork(manager: EntityManager, ctx: RequestContext, id: string): Promise<{ archived: boolean } | undefined> {
    return networkIn(manager, ctx, id, NETWORK_WRITE_SCOPE);
  }

  private async read(manager: EntityManager, ctx: RequestContext, networkId: string, linkId: string): Promise<NetworkLinkDto> {
    const row = await linkQuery(manager, ctx, networkId).andWhere('l.id = :linkId', { linkId }).getRawOne<LinkRow>();
    return toLinkDto(row!);
  }
}

/** The network in the path as the caller may read or write it; 404 otherwise. */
async function requireNetwork(manager: EntityManager, ctx: RequestContext, id: string, columns: ScopeColumns): Promise<{ archived: boolean }> {
  const row = await networkIn(manager, ctx, id, columns);
  if (!row) throw notFound('network');
  return row;
}

/** A link of the network in the path, row-locked; 404 for one of another network. */
async function lockLink(manager: EntityManager, networkId: string, linkId: string): Promise<NetworkLink> {
  const link = await manager
    .getRepository(NetworkLink)
    .createQueryBuilder('l')
    .setLock('pessimistic_write')
    .where('l.id = :linkId AND (l.from_network_id = :networkId OR l.to_network_id = :networkId)', { linkId, networkId })
    .getOne();
  if (!link) throw notFound('network link');
  return link;
}

/** The network `id` if the caller's scope (`columns`) covers it, with whether it is archived. */
function networkIn(manager: EntityManager, ctx: RequestContext, id: string, columns: ScopeColumns): Promise<{ archived: boolean } | undefined> {
  const { sql, params } = scopeCondition(ctx.principal, columns);
  return manager
    .createQueryBuilder()
    .select('n.archived_at IS NOT NULL', 'archived')
    .from('networks', 'n')
    .where('n.id = :id', { id })
    .andWhere(sql, params)
    .getRawOne<{ archived: boolean }>();
}
