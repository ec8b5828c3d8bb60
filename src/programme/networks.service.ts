import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { actorOf, AuditService, diffChanges } from '../common/audit/audit.service';
import { assertVersion } from '../common/concurrency/etag';
import { RequestContext } from '../common/context/request-context';
import { paginate } from '../common/pagination/cursor';
import { Page } from '../common/pagination/page-query.dto';
import { conflict, notFound, ProblemException } from '../common/problem/problem';
import { readableIds } from '../common/scope/readable-ids';
import { applyScope, scopeCondition } from '../common/scope/scope';
import { CreateNetworkDto, ListNetworksQueryDto, NetworkDto, UpdateNetworkDto } from './dto/network.dto';
import { Network } from './network.entity';
import { NetworkLevel } from './programme-enums';
import {
  invalidReference,
  levelRank,
  NETWORK_READ_SCOPE,
  NETWORK_TABLE,
  NETWORK_WRITE_SCOPE,
  PARTNER_READ_SCOPE,
  requireWritableCountry,
  NetworkRef,
  requireVisibleNetworks,
  requireWritableNetworks,
} from './references';

/** The fields of a network as the audit log records them (location as one value). */
type AuditedNetwork = Record<string, unknown>;

@Injectable()
export class NetworksService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly audit: AuditService,
  ) {}

  async create(ctx: RequestContext, dto: CreateNetworkDto): Promise<NetworkDto> {
    return this.dataSource.transaction(async (manager) => {
      await requireWritableCountry(manager, ctx, dto.countryCode);
      const parentId = dto.parentId ?? null;
      if (parentId) await this.checkParent(manager, ctx, { id: null, countryCode: dto.countryCode, level: dto.level }, parentId);
      const id = randomUUID();
      const location = dto.location ? { lat: dto.location.lat, lon: dto.location.lon } : null;
      const fields: AuditedNetwork = {
        countryCode: dto.countryCode,
        name: dto.name,
        level: dto.level,
        parentId,
        adminArea: dto.adminArea,
        location,
        establishedOn: dto.establishedOn,
        status: dto.status ?? 'active',
      };
      await manager.insert(Network, {
        id,
        countryCode: dto.countryCode,
        name: dto.name,
        level: dto.level,
        parentId,
        adminArea: dto.adminArea,
        lat: location ? String(location.lat) : null,
        lon: location ? String(location.lon) : null,
        establishedOn: dto.establishedOn,
        status: dto.status ?? 'active',
      });
      const created = await this.toDtos(manager, ctx, [await manager.findOneByOrFail(Network, { id })]);
      await this.audit.record(manager, actorOf(ctx), { action: 'create', entity: 'network', entityId: id, changes: diffChanges(null, fields) });
      return created[0];
    });
  }

  async list(ctx: RequestContext, query: ListNetworksQueryDto): Promise<Page<NetworkDto>> {
    const qb = this.dataSource.getRepository(Network).createQueryBuilder('n');
    applyScope(qb, ctx, NETWORK_READ_SCOPE);
    if (!query.includeArchived) qb.andWhere('n.archived_at IS NULL');
    if (query.countryCode) qb.andWhere('n.country_code = :countryCode', { countryCode: query.countryCode });
    if (query.level) qb.andWhere('n.level = :level', { level: query.level });
    if (query.status) qb.andWhere('n.status = :status', { status: query.status });
    if (query.parentId) qb.andWhere('n.parent_id = :parentId', { parentId: query.parentId });
    if (query.partnerId) {
      qb.andWhere('EXISTS (SELECT 1 FROM partner_networks fpn WHERE fpn.network_id = n.id AND fpn.partner_id = :filterPartnerId)', {
        filterPartnerId: query.partnerId,
      });
    }
    const page = await paginate(qb, query, { list: 'GET /networks', sortExpression: 'n.name', tieBreaker: 'n.id', keyOf: (n) => [n.name, n.id] });
    return { data: await this.toDtos(this.dataSource.manager, ctx, page.data), nextCursor: page.nextCursor };
  }

  async get(ctx: RequestContext, id: string): Promise<NetworkDto> {
    const qb = this.dataSource.getRepository(Network).createQueryBuilder('n').where('n.id = :id', { id });
    const network = await applyScope(qb, ctx, NETWORK_READ_SCOPE).getOne();
    if (!network) throw notFound('network');
    return (await this.toDtos(this.dataSource.manager, ctx, [network]))[0];
  }

  async update(ctx: RequestContext, id: string, expectedVersion: number | undefined, dto: UpdateNetworkDto): Promise<NetworkDto> {
    return this.dataSource.transaction(async (manager) => {
      const current = await this.lockForWrite(manager, ctx, id);
      assertVersion(current.version, expectedVersion);
      const before = auditView(current);
      const after: AuditedNetwork = { ...before };
      for (const [key, value] of Object.entries(dto)) if (value !== undefined) after[key] = value;
      if (dto.location !== undefined) after.location = dto.location ? { lat: dto.location.lat, lon: dto.location.lon } : null;
      const changes = diffChanges(before, after);
      if (!Object.keys(changes).length) return (await this.toDtos(manager, ctx, [current]))[0];

      const level = after.level as NetworkLevel;
      const parentId = after.parentId as string | null;
      if (parentId && (changes.parentId || changes.level)) {
        await this.checkParent(manager, ctx, { id, countryCode: current.countryCode, level }, parentId);
      }
      if (changes.level) await this.checkChildren(manager, id, level);

      const location = after.location as { lat: number; lon: number } | null;
      const result = await manager
        .createQueryBuilder()
        .update(Network)
        .set({
          name: after.name as string,
          level,
          parentId,
          adminArea: after.adminArea as string,
          lat: location ? String(location.lat) : null,
          lon: location ? String(location.lon) : null,
          establishedOn: after.establishedOn as string,
          status: after.status as Network['status'],
          version: () => 'version + 1',
        })
        .where('id = :id AND version = :version', { id, version: current.version })
        .execute();
      // The row is locked, so this cannot happen; the check keeps the WHERE honest.
      if (result.affected !== 1) throw new ProblemException(412, 'The record has changed; fetch it again and reapply your change.', { slug: 'stale-version' });
      const updated = await this.toDtos(manager, ctx, [await manager.findOneByOrFail(Network, { id })]);
      await this.audit.record(manager, actorOf(ctx), { action: 'update', entity: 'network', entityId: id, changes });
      return updated[0];
    });
  }

  async archive(ctx: RequestContext, id: string): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      const current = await this.lockForWrite(manager, ctx, id);
      if (current.archivedAt) return; // archiving twice changes nothing
      const [child] = (await manager.query('SELECT id FROM networks WHERE parent_id = $1 AND archived_at IS NULL LIMIT 1', [id])) as { id: string }[];
      if (child) {
        throw conflict('The network still has active child networks: archive them or move them to another parent first.', { slug: 'network-has-children' });
      }
      await manager.update(Network, { id }, { archivedAt: () => 'now()', version: () => 'version + 1' });
      await this.audit.record(manager, actorOf(ctx), { action: 'archive', entity: 'network', entityId: id });
    });
  }

  /**
   * For other domains: the networks a body refers to, as the caller may see them (country staff
   * their countries, a partner its assigned networks), with country, level and archival; a
   * missing or invisible one is a 404 naming `field`. Pass the write's transaction manager.
   */
  requireVisible(manager: EntityManager, ctx: RequestContext, ids: readonly string[], field: string): Promise<NetworkRef[]> {
    return requireVisibleNetworks(manager, ctx, ids, field);
  }

  /** The network as the caller may write it, row-locked for the rest of the transaction. */
  private async lockForWrite(manager: EntityManager, ctx: RequestContext, id: string): Promise<Network> {
    const qb = manager.getRepository(Network).createQueryBuilder('n').setLock('pessimistic_write').where('n.id = :id', { id });
    const network = await applyScope(qb, ctx, NETWORK_WRITE_SCOPE).getOne();
    if (!network) throw notFound('network');
    return network;
  }

  /**
   * A parent must be visible to the caller, active, in the same country, of a higher level, and
   * not the network itself or one of its descendants. The level rule alone rules out cycles
   * among rows written through the API; the recursive check also guards rows loaded otherwise.
   */
  private async checkParent(
    manager: EntityManager,
    ctx: RequestContext,
    child: { id: string | null; countryCode: string; level: NetworkLevel },
    parentId: string,
  ): Promise<void> {
    const [parent] = await requireWritableNetworks(manager, ctx, [parentId], 'parentId');
    if (parent.archivedAt) throw new ProblemException(409, 'The parent network is archived.', { slug: 'archived-reference', errors: [{ field: 'parentId', message: 'is archived' }] });
    if (parent.countryCode !== child.countryCode) throw invalidReference('parentId', 'must be a network in the same country');
    if (child.id) {
      const cycle = (await manager.query(
        `WITH RECURSIVE ancestors(id, parent_id) AS (
           SELECT id, parent_id FROM networks WHERE id = $1
           UNION
           SELECT n.id, n.parent_id FROM networks n JOIN ancestors a ON n.id = a.parent_id
         )
         SELECT 1 FROM ancestors WHERE id = $2 LIMIT 1`,
        [parentId, child.id],
      )) as unknown[];
      if (cycle.length) {
        throw new ProblemException(409, 'That parent is this network or one of its descendants: the hierarchy would form a cycle.', {
          slug: 'hierarchy-cycle',
          errors: [{ field: 'parentId', message: 'would form a cycle' }],
        });
      }
    }
    if (levelRank(parent.level) >= levelRank(child.level)) {
      throw invalidReference('parentId', `must be a network of a higher level than ${child.level} (national > regional > district > community)`);
    }
  }

  /** A level change must keep every active child below the network. */
  private async checkChildren(manager: EntityManager, id: string, level: NetworkLevel): Promise<void> {
    const children = (await manager.query('SELECT level FROM networks WHERE parent_id = $1 AND archived_at IS NULL', [id])) as { level: NetworkLevel }[];
    if (children.some((c) => levelRank(c.level) <= levelRank(level))) {
      throw new ProblemException(409, `The network has child networks at or above level ${level}; move them first.`, {
        slug: 'hierarchy-level',
        errors: [{ field: 'level', message: 'must stay above the level of every child network' }],
      });
    }
  }

  /** Responses for a page of networks, with their partner ids loaded in one query. */
  private async toDtos(manager: EntityManager, ctx: RequestContext, networks: Network[]): Promise<NetworkDto[]> {
    const partnerIds = await partnerIdsOf(manager, ctx, networks.map((n) => n.id));
    // A partner user sees its own networks, not the regional or national ones above them.
    const parents = await readableIds(manager, ctx, NETWORK_TABLE, networks.map((n) => n.parentId));
    return networks.map((n) => toDto(n, partnerIds.get(n.id) ?? [], n.parentId && parents.has(n.parentId) ? n.parentId : null));
  }
}

/** Partner ids per network, only of partners the caller may see (a partner sees only itself). */
async function partnerIdsOf(manager: EntityManager, ctx: RequestContext, networkIds: string[]): Promise<Map<string, string[]>> {
  const map = new Map<string, string[]>();
  if (!networkIds.length) return map;
  const { sql, params } = scopeCondition(ctx.principal, PARTNER_READ_SCOPE);
  const rows = await manager
    .createQueryBuilder()
    .select(['pn.network_id AS "networkId"', 'pn.partner_id AS "partnerId"'])
    .from('partner_networks', 'pn')
    .innerJoin('partners', 'p', 'p.id = pn.partner_id')
    .where('pn.network_id IN (:...networkIds)', { networkIds })
    .andWhere(sql, params)
    .orderBy('pn.partner_id')
    .getRawMany<{ networkId: string; partnerId: string }>();
  for (const row of rows) map.set(row.networkId, [...(map.get(row.networkId) ?? []), row.partnerId]);
  return map;
}

function auditView(n: Network): AuditedNetwork {
  return {
    name: n.name,
    level: n.level,
    parentId: n.parentId,
    adminArea: n.adminArea,
    location: n.lat !== null && n.lon !== null ? { lat: Number(n.lat), lon: Number(n.lon) } : null,
    establishedOn: n.establishedOn,
    status: n.status,
  };
}

function toDto(n: Network, partnerIds: string[], parentId: string | null): NetworkDto {
  return {
    id: n.id,
    countryCode: n.countryCode,
    name: n.name,
    level: n.level,
    parentId,
    adminArea: n.adminArea,
    location: n.lat !== null && n.lon !== null ? { lat: Number(n.lat), lon: Number(n.lon) } : null,
    establishedOn: n.establishedOn,
    status: n.status,
    partnerIds,
    version: n.version,
    createdAt: n.createdAt.toISOString(),
    updatedAt: n.updatedAt.toISOString(),
    archivedAt: n.archivedAt?.toISOString() ?? null,
  };
}

