import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { actorOf, AuditService, diffChanges } from '../common/audit/audit.service';
import { assertVersion } from '../common/concurrency/etag';
import { RequestContext } from '../common/context/request-context';
import { paginate } from '../common/pagination/cursor';
import { Page } from '../common/pagination/page-query.dto';
import { notFound, ProblemException } from '../common/problem/problem';
import { applyScope, scopeCondition } from '../common/scope/scope';
import { CreatePartnerDto, ListPartnersQueryDto, PartnerDto, UpdatePartnerDto } from './dto/partner.dto';
import { Partner } from './partner.entity';
import { PartnerNetwork } from './partner-network.entity';
import { invalidReference, NETWORK_READ_SCOPE, PARTNER_READ_SCOPE, PARTNER_WRITE_SCOPE, requireWritableCountry, requireWritableNetworks } from './references';

/**
 * Partner organisations and their network assignments. Assignments decide what a partner user
 * may see everywhere (common/scope reads partner_networks), so they are written only by admin
 * and the country staff of the partner's country, always inside the partner's own transaction
 * and audit row.
 */
@Injectable()
export class PartnersService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly audit: AuditService,
  ) {}

  async create(ctx: RequestContext, dto: CreatePartnerDto): Promise<PartnerDto> {
    return this.dataSource.transaction(async (manager) => {
      await requireWritableCountry(manager, ctx, dto.countryCode);
      const networkIds = sortedUnique(dto.networkIds ?? []);
      await checkNetworks(manager, ctx, dto.countryCode, networkIds, []);
      const id = randomUUID();
      const fields = {
        countryCode: dto.countryCode,
        name: dto.name,
        kind: dto.kind,
        impartialityCommitmentOn: dto.impartialityCommitmentOn ?? null,
      };
      await manager.insert(Partner, { id, ...fields });
      if (networkIds.length) await manager.insert(PartnerNetwork, networkIds.map((networkId) => ({ partnerId: id, networkId })));
      const [created] = await this.toDtos(manager, ctx, [await manager.findOneByOrFail(Partner, { id })]);
      await this.audit.record(manager, actorOf(ctx), { action: 'create', entity: 'partner', entityId: id, changes: diffChanges(null, { ...fields, networkIds }) });
      return created;
    });
  }

  async list(ctx: RequestContext, query: ListPartnersQueryDto): Promise<Page<PartnerDto>> {
    const qb = this.dataSource.getRepository(Partner).createQueryBuilder('p');
    applyScope(qb, ctx, PARTNER_READ_SCOPE);
    if (!query.includeArchived) qb.andWhere('p.archived_at IS NULL');
    if (query.countryCode) qb.andWhere('p.country_code = :countryCode', { countryCode: query.countryCode });
    if (query.kind) qb.andWhere('p.kind = :kind', { kind: query.kind });
    if (query.networkId) {
      qb.andWhere('EXISTS (SELECT 1 FROM partner_networks fpn WHERE fpn.partner_id = p.id AND fpn.network_id = :filterNetworkId)', {
        filterNetworkId: query.networkId,
      });
    }
    const page = await paginate(qb, query, { list: 'GET /partners', sortExpression: 'p.name', tieBreaker: 'p.id', keyOf: (p) => [p.name, p.id] });
    return { data: await this.toDtos(this.dataSource.manager, ctx, page.data), nextCursor: page.nextCursor };
  }

  async get(ctx: RequestContext, id: string): Promise<PartnerDto> {
    const qb = this.dataSource.getRepository(Partner).createQueryBuilder('p').where('p.id = :id', { id });
    const partner = await applyScope(qb, ctx, PARTNER_READ_SCOPE).getOne();
    if (!partner) throw notFound('partner');
    return (await this.toDtos(this.dataSource.manager, ctx, [partner]))[0];
  }

  async update(ctx: RequestContext, id: string, expectedVersion: number | undefined, dto: UpdatePartnerDto): Promise<PartnerDto> {
    return this.dataSource.transaction(async (manager) => {
      const current = await this.lockForWrite(manager, ctx, id);
      assertVersion(current.version, expectedVersion);
      const currentNetworkIds = (await networkIdsOf(manager, null, [id])).get(id) ?? [];
      const before = { name: current.name, kind: current.kind, impartialityCommitmentOn: current.impartialityCommitmentOn, networkIds: currentNetworkIds };
      const after = {
        name: dto.name ?? before.name,
        kind: dto.kind ?? before.kind,
        impartialityCommitmentOn: dto.impartialityCommitmentOn === undefined ? before.impartialityCommitmentOn : dto.impartialityCommitmentOn,
        networkIds: dto.networkIds ? sortedUnique(dto.networkIds) : before.networkIds,
      };
      const changes = diffChanges(before, after);
      if (!Object.keys(changes).length) return (await this.toDtos(manager, ctx, [current]))[0];

      if (changes.networkIds) {
        await checkNetworks(manager, ctx, current.countryCode, after.networkIds, currentNetworkIds);
        const removed = currentNetworkIds.filter((n) => !after.networkIds.includes(n));
        const added = after.networkIds.filter((n) => !currentNetworkIds.includes(n));
        if (removed.length) {
          await manager.createQueryBuilder().delete().from(PartnerNetwork).where('partner_id = :id AND network_id IN (:...removed)', { id, removed }).execute();
        }
        if (added.length) await manager.insert(PartnerNetwork, added.map((networkId) => ({ partnerId: id, networkId })));
      }
      const result = await manager
        .createQueryBuilder()
        .update(Partner)
        .set({ name: after.name, kind: after.kind, impartialityCommitmentOn: after.impartialityCommitmentOn, version: () => 'version + 1' })
        .where('id = :id AND version = :version', { id, version: current.version })
        .execute();
      // The row is locked, so this cannot happen; the check keeps the WHERE honest.
      if (result.affected !== 1) throw new ProblemException(412, 'The record has changed; fetch it again and reapply your change.', { slug: 'stale-version' });
      const [updated] = await this.toDtos(manager, ctx, [await manager.findOneByOrFail(Partner, { id })]);
      await this.audit.record(manager, actorOf(ctx), { action: 'update', entity: 'partner', entityId: id, changes });
      return updated;
    });
  }

  /**
   * Archiving keeps the network assignments as a record of what the partner did; whether an
   * archived partner's users keep access is for the user accounts (disable them) to decide.
   */
  async archive(ctx: RequestContext, id: string): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      const current = await this.lockForWrite(manager, ctx, id);
      if (current.archivedAt) return; // archiving twice changes nothing
      await manager.update(Partner, { id }, { archivedAt: () => 'now()', version: () => 'version + 1' });
      await this.audit.record(manager, actorOf(ctx), { action: 'archive', entity: 'partner', entityId: id });
    });
  }

  private async lockForWrite(manager: EntityManager, ctx: RequestContext, id: string): Promise<Partner> {
    const qb = manager.getRepository(Partner).createQueryBuilder('p').setLock('pessimistic_write').where('p.id = :id', { id });
    const partner = await applyScope(qb, ctx, PARTNER_WRITE_SCOPE).getOne();
    if (!partner) throw notFound('partner');
    return partner;
  }

  private async toDtos(manager: EntityManager, ctx: RequestContext, partners: Partner[]): Promise<PartnerDto[]> {
    const networkIds = await networkIdsOf(manager, ctx, partners.map((p) => p.id));
    return partners.map((p) => toDto(p, networkIds.get(p.id) ?? []));
  }
}

/**
 * Assignable networks: visible to the caller for writing (else 404 naming networkIds), in the
 * partner's country (else 400), and not archived unless already assigned (else 409).
 */
async function checkNetworks(manager: EntityManager, ctx: RequestContext, countryCode: string, networkIds: string[], alreadyAssigned: string[]): Promise<void> {
  const networks = await requireWritableNetworks(manager, ctx, networkIds, 'networkIds');
  if (networks.some((n) => n.countryCode !== countryCode)) throw invalidReference('networkIds', "must all be networks in the partner's country");
  if (networks.some((n) => n.archivedAt && !alreadyAssigned.includes(n.id))) {
    throw new ProblemException(409, 'An archived network cannot take new partners.', { slug: 'archived-reference', errors: [{ field: 'networkIds', message: 'includes an archived network' }] });
  }
}

/** Network ids per partner in one query; with a context, only networks the caller may see. */
async function networkIdsOf(manager: EntityManager, ctx: RequestContext | null, partnerIds: string[]): Promise<Map<string, string[]>> {
  const map = new Map<string, string[]>();
  if (!partnerIds.length) return map;
  const scope = ctx ? scopeCondition(ctx.principal, NETWORK_READ_SCOPE) : { sql: 'TRUE', params: {} };
  const rows = await manager
    .createQueryBuilder()
    .select(['pn.partner_id AS "partnerId"', 'pn.network_id AS "networkId"'])
    .from('partner_networks', 'pn')
    .innerJoin('networks', 'n', 'n.id = pn.network_id')
    .where('pn.partner_id IN (:...partnerIds)', { partnerIds })
    .andWhere(scope.sql, scope.params)
    .orderBy('pn.network_id')
    .getRawMany<{ partnerId: string; networkId: string }>();
  for (const row of rows) map.set(row.partnerId, [...(map.get(row.partnerId) ?? []), row.networkId]);
  return map;
}

const sortedUnique = (ids: string[]) => [...new Set(ids.map((i) => i.toLowerCase()))].sort();

function toDto(p: Partner, networkIds: string[]): PartnerDto {
  return {
    id: p.id,
    countryCode: p.countryCode,
    name: p.name,
    kind: p.kind,
    impartialityCommitmentOn: p.impartialityCommitmentOn,
    networkIds,
    version: p.version,
    createdAt: p.createdAt.toISOString(),
    updatedAt: p.updatedAt.toISOString(),
    archivedAt: p.archivedAt?.toISOString() ?? null,
  };
}
