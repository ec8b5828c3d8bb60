import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { actorOf, AuditService, diffChanges, REDACTED } from '../common/audit/audit.service';
import { assertVersion } from '../common/concurrency/etag';
import { RequestContext } from '../common/context/request-context';
import { mayViewFreeText, seal, unseal } from '../common/crypto/free-text';
import { PersonalDataCipher } from '../common/crypto/personal-data-cipher';
import { JOBS, QUEUES } from '../common/jobs/job-names';
import { OutboxService } from '../common/jobs/outbox/outbox.service';
import { paginate } from '../common/pagination/cursor';
import { Page } from '../common/pagination/page-query.dto';
import { badRequest, conflict, notFound } from '../common/problem/problem';
import { applyScope } from '../common/scope/scope';
import {
  CreateEarlyWarningDto, EarlyWarningDto, EarlyWarningTransitionDto, ListEarlyWarningsQueryDto, UpdateEarlyWarningDto,
} from './dto/early-warning.dto';
import { EarlyWarningStatus } from './early-warning-enums';
import { EarlyWarningHistory } from './early-warning-history.entity';
import { hideUnreadableSource } from './early-warning-visible-refs';
import { EARLY_WARNING_CIPHER } from './early-warning-text';
import { requireCountry, requireNetwork, requireSourceSession } from './early-warning-references';
import { EARLY_WARNING_WORKFLOW } from './early-warning-workflow';
import { EarlyWarning } from './early-warning.entity';
import { CriticalWarningTrigger, criticalWarningJobId } from './notification-triggers';

const SCOPE = { country: 'w.country_code', network: 'w.network_id' };
/** A report in one of these is closed: raising it to critical no longer alerts anyone. */
const CLOSED: readonly EarlyWarningStatus[] = ['dismissed', 'resolved'];

const sortedSet = (values: number[]) => [...new Set(values)].sort((a, b) => a - b);
/** Free text: may name people, so audited by name only. */
const SENSITIVE = ['place', 'description'];

@Injectable()
export class EarlyWarningsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly audit: AuditService,
    private readonly outbox: OutboxService,
    private readonly cipher: PersonalDataCipher,
  ) {}

  async create(ctx: RequestContext, dto: CreateEarlyWarningDto): Promise<EarlyWarningDto> {
    return this.dataSource.transaction(async (manager) => {
      const networkId = dto.networkId ?? null;
      if (ctx.principal.role === 'partner') {
        // A partner's scope is its networks: a report without one would be invisible to its author.
        if (!networkId) throw badRequest('Partner users report for one of their networks.', [{ field: 'networkId', message: 'is required for partner users' }]);
      } else {
        await requireCountry(manager, ctx, dto.countryCode);
      }
      if (networkId) await requireNetwork(manager, ctx, networkId, dto.countryCode);
      if (dto.sourceSessionId) await requireSourceSession(manager, ctx, dto.sourceSessionId, dto.countryCode);

      const id = randomUUID();
      const fields = {
        countryCode: dto.countryCode,
        networkId,
        observedOn: dto.observedOn,
        place: dto.place ?? null,
        riskFactors: sortedSet(dto.riskFactors),
        description: dto.description,
        severity: dto.severity,
        status: 'reported' as const,
        sourceSessionId: dto.sourceSessionId ?? null,
      };
      const { place, description, ...columns } = fields;
      await manager.insert(EarlyWarning, {
        id,
        ...columns,
        placeEnc: seal(this.cipher, place, EARLY_WARNING_CIPHER.place),
        descriptionEnc: seal(this.cipher, description, EARLY_WARNING_CIPHER.description),
      });
      if (fields.severity === 'critical') await this.notifyCritical(manager, id, 'reported');
      // The place and description can name people: the audit keeps that they were set, not their text.
      await this.audit.record(manager, actorOf(ctx), { action: 'create', entity: 'early_warning', entityId: id, changes: diffChanges(null, fields, SENSITIVE) });
      return this.toDto(ctx, await manager.findOneByOrFail(EarlyWarning, { id }));
    });
  }

  async list(ctx: RequestContext, query: ListEarlyWarningsQueryDto): Promise<Page<EarlyWarningDto>> {
    const qb = applyScope(this.dataSource.getRepository(EarlyWarning).createQueryBuilder('w'), ctx, SCOPE);
    if (!query.includeArchived) qb.andWhere('w.archived_at IS NULL');
    if (query.countryCode) qb.andWhere('w.country_code = :countryCode', { countryCode: query.countryCode });
    if (query.networkId) qb.andWhere('w.network_id = :networkId', { networkId: query.networkId });
    // Containment rather than = ANY(), so the GIN index on risk_factors serves it.
    if (query.riskFactor !== undefined) qb.andWhere('w.risk_factors @> ARRAY[:riskFactor]::smallint[]', { riskFactor: query.riskFactor });
    if (query.severity) qb.andWhere('w.severity = :severity', { severity: query.severity });
    if (query.status) qb.andWhere('w.status = :status', { status: query.status });
    if (query.from) qb.andWhere('w.observed_on >= :from', { from: query.from });
    if (query.to) qb.andWhere('w.observed_on <= :to', { to: query.to });
    const page = await paginate(qb, query, {
      list: 'GET /early-warnings',
      sortExpression: 'w.observed_on',
      tieBreaker: 'w.id',
      direction: 'DESC',
      keyOf: (w) => [w.observedOn, w.id],
    });
    return { data: await hideUnreadableSource(this.dataSource.manager, ctx, page.data.map((w) => this.toDto(ctx, w))), nextCursor: page.nextCursor };
  }

  async get(ctx: RequestContext, id: string): Promise<EarlyWarningDto> {
    const manager = this.dataSource.manager;
    const warning = await this.findVisible(manager, ctx, id, false);
    const [dto] = await hideUnreadableSource(manager, ctx, [this.toDto(ctx, warning, await this.history(manager, id))]);
    return dto;
  }

  async update(ctx: RequestContext, id: string, expectedVersion: number | undefined, dto: UpdateEarlyWarningDto): Promise<EarlyWarningDto> {
    return this.dataSource.transaction(async (manager) => {
      const current = await this.findLive(manager, ctx, id);
      assertVersion(current.version, expectedVersion);
      const before = {
        networkId: current.networkId,
        observedOn: current.observedOn,
        place: unseal(this.cipher, true, current.placeEnc, EARLY_WARNING_CIPHER.place),
        riskFactors: current.riskFactors,
        description: this.cipher.decrypt(current.descriptionEnc, EARLY_WARNING_CIPHER.description),
        severity: current.severity,
        sourceSessionId: current.sourceSessionId,
      };
      const sent = Object.fromEntries(Object.entries(dto).filter(([, value]) => value !== undefined)) as UpdateEarlyWarningDto;
      const after = {
        ...before,
        ...sent,
        ...(sent.riskFactors ? { riskFactors: sortedSet(sent.riskFactors) } : {}),
      };
      const changes = diffChanges(before, after, SENSITIVE);
      if (!Object.keys(changes).length) return this.toDto(ctx, current);
      if (changes.networkId && after.networkId) await requireNetwork(manager, ctx, after.networkId, current.countryCode);
      if (changes.sourceSessionId && after.sourceSessionId) await requireSourceSession(manager, ctx, after.sourceSessionId, current.countryCode);

      const { place, description, ...columns } = after;
      await manager
        .createQueryBuilder()
        .update(EarlyWarning)
        .set({
          ...columns,
          // Re-sealed only when changed: an unchanged ciphertext stays byte for byte.
          placeEnc: changes.place ? seal(this.cipher, place, EARLY_WARNING_CIPHER.place) : current.placeEnc,
          descriptionEnc: changes.description ? seal(this.cipher, description, EARLY_WARNING_CIPHER.description) : current.descriptionEnc,
          version: () => 'version + 1',
        })
        .where('id = :id AND version = :version', { id, version: current.version })
        .execute();
      const raised = before.severity !== 'critical' && after.severity === 'critical' && !CLOSED.includes(current.status);
      if (raised) await this.notifyCritical(manager, id, 'raised');
      await this.audit.record(manager, actorOf(ctx), { action: 'update', entity: 'early_warning', entityId: id, changes });
      return this.toDto(ctx, await manager.findOneByOrFail(EarlyWarning, { id }));
    });
  }

  /** Moves the status along the workflow, with a history row, in one transaction. */
  async transition(ctx: RequestContext, id: string, expectedVersion: number | undefined, dto: EarlyWarningTransitionDto): Promise<EarlyWarningDto> {
    return this.dataSource.transaction(async (manager) => {
      const current = await this.findLive(manager, ctx, id);
      assertVersion(current.version, expectedVersion);
      EARLY_WARNING_WORKFLOW.assert(current.status, dto.to);
      await manager
        .createQueryBuilder()
        .update(EarlyWarning)
        .set({ status: dto.to, version: () => 'version + 1' })
        .where('id = :id AND version = :version', { id, version: current.version })
        .execute();
      await manager.insert(EarlyWarningHistory, {
        id: randomUUID(),
        earlyWarningId: id,
        fromStatus: current.status,
        toStatus: dto.to,
        noteEnc: seal(this.cipher, dto.note, EARLY_WARNING_CIPHER.historyNote),
        actorKind: ctx.principal.kind,
        actorId: ctx.principal.id,
        occurredAt: new Date(),
      });
      if (dto.to === 'escalated' && current.severity === 'critical') await this.notifyCritical(manager, id, 'escalated');
      await this.audit.record(manager, actorOf(ctx), {
        action: 'transition',
        entity: 'early_warning',
        entityId: id,
        changes: { status: { from: current.status, to: dto.to }, note: { to: REDACTED } },
      });
      return this.toDto(ctx, await manager.findOneByOrFail(EarlyWarning, { id }), await this.history(manager, id));
    });
  }

  async archive(ctx: RequestContext, id: string): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      const current = await this.findVisible(manager, ctx, id, true);
      if (current.archivedAt) return; // archiving twice changes nothing
      await manager.update(EarlyWarning, { id }, { archivedAt: () => 'now()', version: () => 'version + 1' });
      await this.audit.record(manager, actorOf(ctx), { action: 'archive', entity: 'early_warning', entityId: id });
    });
  }

  /** Job data is the id and what happened, never the description or any name. */
  private async notifyCritical(manager: EntityManager, earlyWarningId: string, trigger: CriticalWarningTrigger): Promise<void> {
    await this.outbox.enqueue(manager, {
      queue: QUEUES.notifications,
      name: JOBS.notifications.criticalEarlyWarning,
      jobId: criticalWarningJobId(earlyWarningId, trigger),
      data: { earlyWarningId, trigger },
    });
  }

  private async findVisible(manager: EntityManager, ctx: RequestContext, id: string, lock: boolean): Promise<EarlyWarning> {
    const qb = applyScope(manager.getRepository(EarlyWarning).createQueryBuilder('w'), ctx, SCOPE).andWhere('w.id = :id', { id });
    if (lock) qb.setLock('pessimistic_write');
    const warning = await qb.getOne();
    if (!warning) throw notFound('early warning');
    return warning;
  }

  /** Locked, visible and not archived: an archived report is kept as it was. */
  private async findLive(manager: EntityManager, ctx: RequestContext, id: string): Promise<EarlyWarning> {
    const warning = await this.findVisible(manager, ctx, id, true);
    if (warning.archivedAt) throw conflict('The early warning is archived and can no longer change.', { slug: 'archived' });
    return warning;
  }

  private async history(manager: EntityManager, id: string): Promise<EarlyWarningHistory[]> {
    return manager.getRepository(EarlyWarningHistory).find({ where: { earlyWarningId: id }, order: { occurredAt: 'ASC', id: 'ASC' } });
  }

  /** The report as the caller may see it: free text in clear or null (mayViewFreeText). */
  private toDto(ctx: RequestContext, w: EarlyWarning, history?: EarlyWarningHistory[]): EarlyWarningDto {
    const show = mayViewFreeText(ctx, w.countryCode);
    const open = (stored: string | null, context: string) => unseal(this.cipher, show, stored, context);
    return {
      id: w.id,
      countryCode: w.countryCode,
      networkId: w.networkId,
      observedOn: w.observedOn,
      place: open(w.placeEnc, EARLY_WARNING_CIPHER.place),
      riskFactors: w.riskFactors.map(Number),
      description: open(w.descriptionEnc, EARLY_WARNING_CIPHER.description),
      severity: w.severity,
      status: w.status,
      sourceSessionId: w.sourceSessionId,
      version: w.version,
      archivedAt: w.archivedAt?.toISOString() ?? null,
      createdAt: w.createdAt.toISOString(),
      updatedAt: w.updatedAt.toISOString(),
      ...(history
        ? {
            history: history.map((h) => ({
              from: h.fromStatus,
              to: h.toStatus,
              note: open(h.noteEnc, EARLY_WARNING_CIPHER.historyNote),
              actorKind: h.actorKind,
              actorId: h.actorId,
              at: h.occurredAt.toISOString(),
            })),
          }
        : {}),
    };
  }
}
