import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { actorOf, AuditService, diffChanges } from '../common/audit/audit.service';
import { assertVersion } from '../common/concurrency/etag';
import { RequestContext } from '../common/context/request-context';
import { mayViewFreeText, unseal } from '../common/crypto/free-text';
import { PersonalDataCipher } from '../common/crypto/personal-data-cipher';
import { paginate } from '../common/pagination/cursor';
import { Page } from '../common/pagination/page-query.dto';
import { badRequest, conflict, notFound } from '../common/problem/problem';
import { applyScope } from '../common/scope/scope';
import { CreateIndicatorValueDto, IndicatorValueDto, ListIndicatorValuesQueryDto, UpdateIndicatorValueDto } from './dto/indicator-value.dto';
import { requireNetwork } from './early-warning-references';
import { EARLY_WARNING_CIPHER } from './early-warning-text';
import { indicatorValueProblem } from './indicator-rules';
import { IndicatorValue } from './indicator-value.entity';

// Indicator values have no country of their own: scope and the country filter go through the network.
const SCOPE = { country: 'n.country_code', network: 'v.network_id' };
/** The source is free text: audited by name only. */
const SENSITIVE = ['source'];

@Injectable()
export class IndicatorValuesService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly audit: AuditService,
    private readonly cipher: PersonalDataCipher,
  ) {}

  async create(ctx: RequestContext, dto: CreateIndicatorValueDto): Promise<IndicatorValueDto> {
    return this.dataSource.transaction(async (manager) => {
      const countryCode = await requireNetwork(manager, ctx, dto.networkId);
      const id = randomUUID();
      const fields = { networkId: dto.networkId, indicator: dto.indicator, period: dto.period, value: String(dto.value) };
      // ON CONFLICT DO NOTHING against the partial unique index, then name the live value.
      const sourceEnc = this.cipher.encrypt(dto.source, EARLY_WARNING_CIPHER.indicatorSource);
      const inserted = (await manager.createQueryBuilder().insert().into(IndicatorValue).values({ id, ...fields, sourceEnc }).orIgnore().returning('id').execute()).raw as unknown[];
      if (!inserted.length) {
        const live = await manager
          .getRepository(IndicatorValue)
          .createQueryBuilder('v')
          .where('v.network_id = :networkId AND v.indicator = :indicator AND v.period = :period AND v.archived_at IS NULL', fields)
          .getOne();
        const existingId = live?.id ?? null;
        throw conflict(`A ${dto.indicator} value for this network and ${dto.period} already exists; PATCH it to correct it.`, {
          slug: 'duplicate',
          existingId,
        });
      }
      await this.audit.record(manager, actorOf(ctx), {
        action: 'create',
        entity: 'indicator_value',
        entityId: id,
        changes: diffChanges(null, { ...fields, value: dto.value, source: dto.source }, SENSITIVE),
      });
      return this.toDto(ctx, await manager.findOneByOrFail(IndicatorValue, { id }), countryCode);
    });
  }

  async list(ctx: RequestContext, query: ListIndicatorValuesQueryDto): Promise<Page<IndicatorValueDto>> {
    const qb = this.dataSource.getRepository(IndicatorValue).createQueryBuilder('v').innerJoin('networks', 'n', 'n.id = v.network_id');
    applyScope(qb, ctx, SCOPE);
    if (!query.includeArchived) qb.andWhere('v.archived_at IS NULL');
    if (query.networkId) qb.andWhere('v.network_id = :networkId', { networkId: query.networkId });
    if (query.countryCode) qb.andWhere('n.country_code = :countryCode', { countryCode: query.countryCode });
    if (query.indicator) qb.andWhere('v.indicator = :indicator', { indicator: query.indicator });
    if (query.from) qb.andWhere('v.period >= :from', { from: query.from });
    if (query.to) qb.andWhere('v.period <= :to', { to: query.to });
    const page = await paginate(qb, query, { list: 'GET /indicator-values', sortExpression: 'v.period', tieBreaker: 'v.id', keyOf: (v) => [v.period, v.id] });
    const countries = await this.countriesOf(page.data.map((v) => v.networkId));
    return { data: page.data.map((v) => this.toDto(ctx, v, countries.get(v.networkId)!)), nextCursor: page.nextCursor };
  }

  async get(ctx: RequestContext, id: string): Promise<IndicatorValueDto> {
    const { value, countryCode } = await this.findVisible(this.dataSource.manager, ctx, id, false);
    return this.toDto(ctx, value, countryCode);
  }

  async update(ctx: RequestContext, id: string, expectedVersion: number | undefined, dto: UpdateIndicatorValueDto): Promise<IndicatorValueDto> {
    return this.dataSource.transaction(async (manager) => {
      const { value: current, countryCode } = await this.findVisible(manager, ctx, id, true);
      if (current.archivedAt) throw conflict('The indicator value is archived and can no longer change.', { slug: 'archived' });
      assertVersion(current.version, expectedVersion);
      if (dto.value !== undefined) {
        const problem = indicatorValueProblem(current.indicator, dto.value);
        if (problem) throw badRequest('1 field(s) failed validation.', [{ field: 'value', message: problem }]);
      }
      const before = { value: Number(current.value), source: this.cipher.decrypt(current.sourceEnc, EARLY_WARNING_CIPHER.indicatorSource) };
      // Not `{ ...before, ...dto }`: the DTO instance carries absent fields as undefined, which
      // overwrote the value and reached PostgreSQL as the text "undefined" (a 500).
      const after = { value: dto.value ?? before.value, source: dto.source ?? before.source };
      const changes = diffChanges(before, after, SENSITIVE);
      if (!Object.keys(changes).length) return this.toDto(ctx, current, countryCode);
      const sourceEnc = changes.source ? this.cipher.encrypt(after.source, EARLY_WARNING_CIPHER.indicatorSource) : current.sourceEnc;
      await manager
        .createQueryBuilder()
        .update(IndicatorValue)
        .set({ value: String(after.value), sourceEnc, version: () => 'version + 1' })
        .where('id = :id AND version = :version', { id, version: current.version })
        .execute();
      await this.audit.record(manager, actorOf(ctx), { action: 'update', entity: 'indicator_value', entityId: id, changes });
      return this.toDto(ctx, await manager.findOneByOrFail(IndicatorValue, { id }), countryCode);
    });
  }

  /** Archives; the archived value gives up its key, so a new value may be recorded for that month. */
  async archive(ctx: RequestContext, id: string): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      const { value: current } = await this.findVisible(manager, ctx, id, true);
      if (current.archivedAt) return;
      await manager.update(IndicatorValue, { id }, { archivedAt: () => 'now()', version: () => 'version + 1' });
      await this.audit.record(manager, actorOf(ctx), { action: 'archive', entity: 'indicator_value', entityId: id });
    });
  }

  private async findVisible(manager: EntityManager, ctx: RequestContext, id: string, lock: boolean): Promise<{ value: IndicatorValue; countryCode: string }> {
    const qb = manager.getRepository(IndicatorValue).createQueryBuilder('v').innerJoin('networks', 'n', 'n.id = v.network_id').where('v.id = :id', { id });
    applyScope(qb, ctx, SCOPE);
    if (lock) qb.setLock('pessimistic_write', undefined, ['v']);
    const value = await qb.getOne();
    if (!value) throw notFound('indicator value');
    const countries = await this.countriesOf([value.networkId], manager);
    return { value, countryCode: countries.get(value.networkId)! };
  }

  /** One query for a page's networks, never one per row. */
  private async countriesOf(networkIds: string[], manager: EntityManager = this.dataSource.manager): Promise<Map<string, string>> {
    if (!networkIds.length) return new Map();
    const rows = (await manager.query('SELECT id, country_code FROM networks WHERE id = ANY($1::uuid[])', [[...new Set(networkIds)]])) as { id: string; country_code: string }[];
    return new Map(rows.map((r) => [r.id, r.country_code]));
  }

  /** The value as the caller may see it: the source in clear or null (mayViewFreeText). */
  private toDto(ctx: RequestContext, v: IndicatorValue, countryCode: string): IndicatorValueDto {
    return {
      id: v.id,
      networkId: v.networkId,
      countryCode,
      indicator: v.indicator,
      period: v.period,
      value: Number(v.value),
      source: unseal(this.cipher, mayViewFreeText(ctx, countryCode), v.sourceEnc, EARLY_WARNING_CIPHER.indicatorSource),
      version: v.version,
      archivedAt: v.archivedAt?.toISOString() ?? null,
      createdAt: v.createdAt.toISOString(),
      updatedAt: v.updatedAt.toISOString(),
    };
  }
}
