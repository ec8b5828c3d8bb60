import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { actorOf, AuditService, diffChanges, REDACTED } from '../common/audit/audit.service';
import { assertVersion } from '../common/concurrency/etag';
import { RequestContext } from '../common/context/request-context';
import { IdempotencyService } from '../common/idempotency/idempotency.service';
import { PersonalDataCipher } from '../common/crypto/personal-data-cipher';
import { paginate } from '../common/pagination/cursor';
import { Page } from '../common/pagination/page-query.dto';
import { conflict, notFound } from '../common/problem/problem';
import { applyScope } from '../common/scope/scope';
import { CreatePolicePartnerDto, ListPolicePartnersQueryDto, PolicePartnerDto, UpdatePolicePartnerDto } from './dto/police-partner.dto';
import { CODE_KINDS } from './people-enums';
import { requireNetworks, requireWritableCountry } from './people-references';
import { lockIdentity, mayViewIdentity, networkIdsOf, nextCode, POLICE_PARTNER_SCOPE, PersonalDataViews } from './personal-data';
import { PersonErasure } from './erasure';
import { PolicePartner } from './police-partner.entity';
import { PolicePartnerNetwork } from './police-partner-network.entity';

const ENTITY = 'police_partner';
const NAME_CONTEXT = 'police_partner.fullName';
/** Audited by name only: the name, and the free text that places the officer (and may name people). */
const SENSITIVE = ['fullName', 'rank', 'unit', 'station'];

/** Same protection as participants: encrypted name, shown only to admin and own-country staff. */
@Injectable()
export class PolicePartnersService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly audit: AuditService,
    private readonly cipher: PersonalDataCipher,
    private readonly views: PersonalDataViews,
    private readonly idempotency: IdempotencyService,
    private readonly erasure: PersonErasure,
  ) {}

  async create(ctx: RequestContext, dto: CreatePolicePartnerDto, allowDuplicate = false): Promise<PolicePartnerDto> {
    return this.dataSource.transaction(async (manager) => {
      await requireWritableCountry(manager, ctx, dto.countryCode);
      await requireNetworks(manager, ctx, dto.countryCode, dto.networkIds);
      const identityIndex = this.identityIndexOf(dto.fullName, dto.institution);
      await lockIdentity(manager, 'police_partners', dto.countryCode, identityIndex);
      if (!allowDuplicate) await this.assertNoDuplicate(manager, dto.countryCode, identityIndex, null);
      const id = randomUUID();
      const code = await nextCode(manager, dto.countryCode, CODE_KINDS.policePartner);
      await manager.insert(PolicePartner, {
        id,
        code,
        countryCode: dto.countryCode,
        fullNameEnc: this.cipher.encrypt(dto.fullName, NAME_CONTEXT),
        identityIndex,
        institution: dto.institution,
        rank: dto.rank ?? null,
        unit: dto.unit ?? null,
        station: dto.station ?? null,
      });
      await this.replaceNetworks(manager, id, dto.networkIds);
      const created = await this.dtoFor(ctx, manager, await manager.findOneByOrFail(PolicePartner, { id }));
      await this.audit.record(manager, actorOf(ctx), {
        action: 'create',
        entity: ENTITY,
        entityId: id,
        changes: diffChanges(null, { code, ...auditable(created), fullName: dto.fullName }, SENSITIVE),
      });
      await this.recordView(ctx, [created], manager);
      return created;
    });
  }

  async list(ctx: RequestContext, query: ListPolicePartnersQueryDto): Promise<Page<PolicePartnerDto>> {
    const qb = applyScope(this.dataSource.getRepository(PolicePartner).createQueryBuilder('p'), ctx, POLICE_PARTNER_SCOPE);
    if (!query.includeArchived) qb.andWhere('p.archived_at IS NULL');
    if (query.countryCode) qb.andWhere('p.country_code = :countryCode', { countryCode: query.countryCode });
    if (query.institution) qb.andWhere('p.institution = :institution', { institution: query.institution });
    if (query.networkId) {
      qb.andWhere('EXISTS (SELECT 1 FROM police_partner_networks f WHERE f.police_partner_id = p.id AND f.network_id = :networkId)', { networkId: query.networkId });
    }
    const page = await paginate(qb, query, { list: 'GET /police-partners', sortExpression: 'p.code', tieBreaker: 'p.id', keyOf: (p) => [p.code, p.id] });
    const networks = await networkIdsOf(this.dataSource.manager, ctx, 'police_partners', page.data.map((p) => p.id));
    const data = page.data.map((p) => this.toDto(ctx, p, networks.get(p.id) ?? []));
    await this.recordView(ctx, data, undefined, true);
    return { data, nextCursor: page.nextCursor };
  }

  async get(ctx: RequestContext, id: string): Promise<PolicePartnerDto> {
    const found = await applyScope(this.dataSource.getRepository(PolicePartner).createQueryBuilder('p'), ctx, POLICE_PARTNER_SCOPE)
      .andWhere('p.id = :id', { id })
      .getOne();
    if (!found) throw notFound('police partner');
    const dto = await this.dtoFor(ctx, this.dataSource.manager, found);
    await this.recordView(ctx, [dto]);
    return dto;
  }

  async update(ctx: RequestContext, id: string, expectedVersion: number | undefined, dto: UpdatePolicePartnerDto, allowDuplicate = false): Promise<PolicePartnerDto> {
    return this.dataSource.transaction(async (manager) => {
      const current = await this.lock(manager, ctx, id);
      assertVersion(current.version, expectedVersion);
      const currentNetworks = (await networkIdsOf(manager, null, 'police_partners', [id])).get(id) ?? [];
      if (dto.fullName !== undefined && current.erasedAt) {
        throw conflict(`Police partner ${current.code} has been erased; an erased identity cannot be set again.`, { slug: 'erased' });
      }
      const beforeName = current.fullNameEnc ? this.cipher.decrypt(current.fullNameEnc, NAME_CONTEXT) : null;
      const before = { ...auditable(this.toDto(ctx, current, currentNetworks)), fullName: beforeName };
      const after = { ...before };
      for (const key of ['institution', 'rank', 'unit', 'station', 'fullName'] as const) {
        if (dto[key] !== undefined) Object.assign(after, { [key]: dto[key] });
      }
      if (dto.networkIds) after.networkIds = [...dto.networkIds].sort();
      const changes = diffChanges(before, after, SENSITIVE);
      if (!Object.keys(changes).length) {
        const unchanged = await this.dtoFor(ctx, manager, current);
        await this.recordView(ctx, [unchanged], manager);
        return unchanged;
      }
      if (dto.networkIds) await requireNetworks(manager, ctx, current.countryCode, dto.networkIds.filter((n) => !currentNetworks.includes(n)));
      const set: Partial<PolicePartner> = { institution: after.institution, rank: after.rank, unit: after.unit, station: after.station };
      // The duplicate key is name within institution: either changing re-keys a live identity.
      if ((changes.fullName || changes.institution) && !current.erasedAt && after.fullName) {
        const identityIndex = this.identityIndexOf(after.fullName, after.institution);
        await lockIdentity(manager, 'police_partners', current.countryCode, identityIndex);
        if (!allowDuplicate) await this.assertNoDuplicate(manager, current.countryCode, identityIndex, id);
        if (changes.fullName) set.fullNameEnc = this.cipher.encrypt(after.fullName, NAME_CONTEXT);
        set.identityIndex = identityIndex;
      }
      await manager
        .createQueryBuilder()
        .update(PolicePartner)
        .set({ ...set, version: () => 'version + 1' })
        .where('id = :id AND version = :version', { id, version: current.version })
        .execute();
      if (dto.networkIds && changes.networkIds) {
        await manager.delete(PolicePartnerNetwork, { policePartnerId: id });
        await this.replaceNetworks(manager, id, dto.networkIds);
      }
      const updated = await this.dtoFor(ctx, manager, await manager.findOneByOrFail(PolicePartner, { id }));
      await this.audit.record(manager, actorOf(ctx), { action: 'update', entity: ENTITY, entityId: id, changes });
      await this.recordView(ctx, [updated], manager);
      return updated;
    });
  }

  async archive(ctx: RequestContext, id: string): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      const current = await this.lock(manager, ctx, id);
      if (current.archivedAt) return;
      await manager.update(PolicePartner, { id }, { archivedAt: () => 'now()', version: () => 'version + 1' });
      await this.audit.record(manager, actorOf(ctx), { action: 'archive', entity: ENTITY, entityId: id });
    });
  }

  /**
   * Wipes the encrypted name, its blind index and what places the officer (rank, unit, station)
   * for good; keeps the code, the institution and the links. Then removes the person from
   * everything else that still shows them (PersonErasure), in the same transaction.
   */
  async erase(ctx: RequestContext, id: string): Promise<PolicePartnerDto> {
    return this.dataSource.transaction(async (manager) => {
      const current = await this.lock(manager, ctx, id);
      if (!current.erasedAt) {
        const fullName = current.fullNameEnc ? this.cipher.decrypt(current.fullNameEnc, NAME_CONTEXT) : null;
        await this.idempotency.forgetResponsesFor(manager, `/api/v1/police-partners/${id}`);
        await manager.update(
          PolicePartner,
          { id },
          { fullNameEnc: null, identityIndex: null, rank: null, unit: null, station: null, erasedAt: () => 'now()', version: () => 'version + 1' },
        );
        const report = await this.erasure.eraseMentions(manager, ctx, { kind: 'police_partner', id, countryCode: current.countryCode, fullName, phone: null });
        const wiped = (['rank', 'unit', 'station'] as const).filter((field) => current[field] !== null);
        await this.audit.record(manager, actorOf(ctx), {
          action: 'erase',
          entity: ENTITY,
          entityId: id,
          changes: {
            fullName: { from: REDACTED, to: null },
            ...Object.fromEntries(wiped.map((field) => [field, { from: REDACTED, to: null }])),
            mentionsRedacted: { to: report.records },
            storedResponsesWithdrawn: { to: report.storedResponses },
          },
        });
      }
      return this.dtoFor(ctx, manager, await manager.findOneByOrFail(PolicePartner, { id }));
    });
  }

  private async lock(manager: EntityManager, ctx: RequestContext, id: string): Promise<PolicePartner> {
    const found = await applyScope(manager.getRepository(PolicePartner).createQueryBuilder('p'), ctx, POLICE_PARTNER_SCOPE)
      .andWhere('p.id = :id', { id })
      .setLock('pessimistic_write')
      .getOne();
    if (!found) throw notFound('police partner');
    return found;
  }

  private identityIndexOf(fullName: string, institution: string): string {
    return this.cipher.blindIndex(institution, fullName);
  }

  private async assertNoDuplicate(manager: EntityManager, countryCode: string, identityIndex: string, exceptId: string | null): Promise<void> {
    const rows: { id: string; code: string }[] = await manager.query(
      `SELECT id, code FROM police_partners
        WHERE country_code = $1 AND identity_index = $2 AND erased_at IS NULL AND ($3::uuid IS NULL OR id <> $3::uuid)
        ORDER BY code LIMIT 1`,
      [countryCode, identityIndex, exceptId],
    );
    if (rows.length) {
      throw conflict(
        `A police partner with the same name in the same institution already exists in ${countryCode} (${rows[0].code}). Use it, or repeat the request with ?allowDuplicate=true if this is a different person.`,
        { slug: 'duplicate', existingId: rows[0].id, existingCode: rows[0].code },
      );
    }
  }

  private async replaceNetworks(manager: EntityManager, id: string, networkIds: readonly string[]): Promise<void> {
    if (networkIds.length) await manager.insert(PolicePartnerNetwork, networkIds.map((networkId) => ({ policePartnerId: id, networkId })));
  }

  private async dtoFor(ctx: RequestContext, manager: EntityManager, p: PolicePartner): Promise<PolicePartnerDto> {
    return this.toDto(ctx, p, (await networkIdsOf(manager, ctx, 'police_partners', [p.id])).get(p.id) ?? []);
  }

  private async recordView(ctx: RequestContext, shown: PolicePartnerDto[], manager?: EntityManager, list = false): Promise<void> {
    await this.views.record(ctx, ENTITY, shown.filter((p) => p.fullName !== undefined).map((p) => p.id), { manager, list });
  }

  private toDto(ctx: RequestContext, p: PolicePartner, networkIds: string[]): PolicePartnerDto {
    const identity = mayViewIdentity(ctx, p.countryCode) && !p.erasedAt && p.fullNameEnc ? { fullName: this.cipher.decrypt(p.fullNameEnc, NAME_CONTEXT) } : {};
    return {
      id: p.id,
      code: p.code,
      countryCode: p.countryCode,
      ...identity,
      institution: p.institution,
      rank: p.rank,
      unit: p.unit,
      station: p.station,
      networkIds,
      version: p.version,
      createdAt: p.createdAt.toISOString(),
      updatedAt: p.updatedAt.toISOString(),
      archivedAt: p.archivedAt?.toISOString() ?? null,
      erasedAt: p.erasedAt?.toISOString() ?? null,
    };
  }
}

function auditable(p: PolicePartnerDto) {
  return { institution: p.institution, rank: p.rank, unit: p.unit, station: p.station, networkIds: [...p.networkIds].sort() };
}
