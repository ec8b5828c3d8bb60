import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { actorOf, AuditService, diffChanges, REDACTED } from '../common/audit/audit.service';
import { assertVersion } from '../common/concurrency/etag';
import { RequestContext } from '../common/context/request-context';
import { seal } from '../common/crypto/free-text';
import { PersonalDataCipher } from '../common/crypto/personal-data-cipher';
import { paginate } from '../common/pagination/cursor';
import { Page } from '../common/pagination/page-query.dto';
import { badRequest, conflict, notFound } from '../common/problem/problem';
import { applyScope } from '../common/scope/scope';
import { PeopleService } from '../people/people.service';
import { NetworksService } from '../programme/networks.service';
import { loadChildren, writeMediators, writeParties, writeSessions } from './dispute-children';
import { DisputeHistory } from './dispute-history.entity';
import { CIPHER, toDisputeDto } from './dispute-mapper';
import { requireReporter, requireSessions } from './dispute-references';
import { hideUnreadableRefs, keepUnreadableRefs } from './dispute-visible-refs';
import { checkTransition, OPEN_STATUSES } from './dispute-workflow';
import { Dispute } from './dispute.entity';
import { DisputeDto } from './dto/dispute-response.dto';
import { DisputeTransitionDto } from './dto/dispute-transition.dto';
import { CreateDisputeDto, DisputePartyDto, ListDisputesQueryDto, UpdateDisputeDto } from './dto/dispute.dto';

const SCOPE = { country: 'd.country_code', network: 'd.network_id' };
/** Audited by name only: their text may identify people and must not be copied into the audit log. */
const SENSITIVE = ['description', 'parties'];

@Injectable()
export class DisputesService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly audit: AuditService,
    private readonly cipher: PersonalDataCipher,
    private readonly networks: NetworksService,
    private readonly people: PeopleService,
  ) {}

  async create(ctx: RequestContext, dto: CreateDisputeDto): Promise<DisputeDto> {
    return this.dataSource.transaction(async (manager) => {
      const [network] = await this.networks.requireVisible(manager, ctx, [dto.networkId], 'networkId');
      if (network.archivedAt) throw badRequest('The network is archived.', [{ field: 'networkId', message: 'refers to an archived network' }]);
      await requireReporter(manager, ctx, dto.reportedByPartnerId, network);
      const mediatorIds = dto.mediatorIds ?? [];
      const sessionIds = dto.sessionIds ?? [];
      await this.checkPeople(manager, ctx, network.countryCode, dto.parties, mediatorIds);
      await requireSessions(manager, ctx, network.countryCode, sessionIds);

      const id = randomUUID();
      await manager.insert(Dispute, {
        id,
        networkId: network.id,
        countryCode: network.countryCode,
        reportedByPartnerId: dto.reportedByPartnerId,
        reportedOn: dto.reportedOn,
        category: dto.category,
        descriptionEnc: this.cipher.encrypt(dto.description, CIPHER.description),
        severity: dto.severity,
        violenceRisk: dto.violenceRisk,
        status: 'reported',
      });
      await writeParties(manager, this.cipher, id, dto.parties);
      await writeMediators(manager, id, mediatorIds);
      await writeSessions(manager, id, sessionIds);
      await this.addHistory(manager, ctx, id, null, 'reported', null);
      const result = await this.load(manager, ctx, id);
      const fields = { ...this.auditable(dto), networkId: network.id, countryCode: network.countryCode, reportedByPartnerId: dto.reportedByPartnerId, status: 'reported' };
      await this.audit.record(manager, actorOf(ctx), { action: 'create', entity: 'dispute', entityId: id, changes: diffChanges(null, fields, SENSITIVE) });
      return result;
    });
  }

  async list(ctx: RequestContext, query: ListDisputesQueryDto): Promise<Page<DisputeDto>> {
    const qb = applyScope(this.dataSource.getRepository(Dispute).createQueryBuilder('d'), ctx, SCOPE);
    if (!query.includeArchived) qb.andWhere('d.archived_at IS NULL');
    if (query.countryCode) qb.andWhere('d.country_code = :countryCode', { countryCode: query.countryCode });
    if (query.networkId) qb.andWhere('d.network_id = :networkId', { networkId: query.networkId });
    if (query.partnerId) qb.andWhere('d.reported_by_partner_id = :partnerId', { partnerId: query.partnerId });
    if (query.status) qb.andWhere('d.status = :status', { status: query.status });
    if (query.category) qb.andWhere('d.category = :category', { category: query.category });
    if (query.severity) qb.andWhere('d.severity = :severity', { severity: query.severity });
    if (query.violenceRisk) qb.andWhere('d.violence_risk = :violenceRisk', { violenceRisk: query.violenceRisk });
    if (query.from) qb.andWhere('d.reported_on >= :from', { from: query.from });
    if (query.to) qb.andWhere('d.reported_on <= :to', { to: query.to });
    if (query.openOnly) qb.andWhere('d.status IN (:...openStatuses)', { openStatuses: OPEN_STATUSES });
    const page = await paginate(qb, query, { list: 'GET /disputes', sortExpression: 'd.reported_on', tieBreaker: 'd.id', direction: 'DESC', keyOf: (d) => [d.reportedOn, d.id] });
    const children = await loadChildren(this.dataSource.manager, page.data.map((d) => d.id));
    const data = page.data.map((d) => toDisputeDto(this.cipher, ctx, d, children.get(d.id)!));
    return { data: await hideUnreadableRefs(this.dataSource.manager, ctx, data), nextCursor: page.nextCursor };
  }

  async get(ctx: RequestContext, id: string): Promise<DisputeDto> {
    const manager = this.dataSource.manager;
    await this.findVisible(manager, ctx, id, false);
    return this.load(manager, ctx, id);
  }

  async update(ctx: RequestContext, id: string, expectedVersion: number | undefined, dto: UpdateDisputeDto): Promise<DisputeDto> {
    return this.dataSource.transaction(async (manager) => {
      const current = await this.findLive(manager, ctx, id);
      assertVersion(current.version, expectedVersion);
      const children = (await loadChildren(manager, [id])).get(id)!;
      const before = this.auditable({
        reportedOn: current.reportedOn,
        category: current.category,
        description: this.cipher.decrypt(current.descriptionEnc, CIPHER.description),
        parties: children.parties.map((p) => ({ label: this.cipher.decrypt(p.labelEnc, CIPHER.partyLabel), ...(p.participantId ? { participantId: p.participantId } : {}) })),
        severity: current.severity,
        violenceRisk: current.violenceRisk,
        mediatorIds: children.mediatorIds,
        sessionIds: children.sessionIds,
      });
      // DTO instances carry every declared field, unset ones as undefined: only sent fields change.
      const sent = Object.fromEntries(Object.entries(dto).filter(([, value]) => value !== undefined)) as UpdateDisputeDto;
      const asSent = this.auditable({ ...before, ...sent });
      // The caller manages the links it can read; those hidden from it stay (dispute-visible-refs).
      const after = { ...asSent, ...(await keepUnreadableRefs(manager, ctx, before, asSent)) };
      const changes = diffChanges(before, after, SENSITIVE);
      if (!Object.keys(changes).length) return this.load(manager, ctx, id);

      if (changes.parties || changes.mediatorIds) {
        await this.checkPeople(manager, ctx, current.countryCode, changes.parties ? asSent.parties : [], changes.mediatorIds ? asSent.mediatorIds : []);
      }
      if (changes.sessionIds) await requireSessions(manager, ctx, current.countryCode, asSent.sessionIds);
      if (current.resolutionAgreedOn && after.reportedOn > current.resolutionAgreedOn) {
        throw badRequest('reportedOn cannot be after the agreement that resolved the dispute.', [
          { field: 'reportedOn', message: `must be on or before resolution.agreedOn (${current.resolutionAgreedOn})` },
        ]);
      }
      await manager
        .createQueryBuilder()
        .update(Dispute)
        .set({
          reportedOn: after.reportedOn,
          category: after.category,
          descriptionEnc: changes.description ? this.cipher.encrypt(after.description, CIPHER.description) : current.descriptionEnc,
          severity: after.severity,
          violenceRisk: after.violenceRisk,
          version: () => 'version + 1',
        })
        .where('id = :id AND version = :version', { id, version: current.version })
        .execute();
      if (changes.parties) await writeParties(manager, this.cipher, id, after.parties);
      if (changes.mediatorIds) await writeMediators(manager, id, after.mediatorIds);
      if (changes.sessionIds) await writeSessions(manager, id, after.sessionIds);
      const result = await this.load(manager, ctx, id);
      await this.audit.record(manager, actorOf(ctx), { action: 'update', entity: 'dispute', entityId: id, changes });
      return result;
    });
  }

  /**
   * Moves the status along DISPUTE_WORKFLOW with a history row, in one transaction. The dispute
   * row is locked (SELECT … FOR UPDATE) before its status is read, so of two racing requests the
   * second sees the first one's result: a stale If-Match gets 412, a stale `from` or a move no
   * longer allowed gets 409. The UPDATE repeats the expected status and version as a last guard.
   */
  async transition(ctx: RequestContext, id: string, expectedVersion: number | undefined, dto: DisputeTransitionDto): Promise<DisputeDto> {
    // The status this move starts from: the one the client says it saw, else the one when the
    // request arrived. A transition committed in between is a race this request lost: 409, so two
    // racing moves (in_mediation and withdrawn, say) are never both applied one after the other.
    const seen = dto.from ?? (await this.statusWhenRequested(id));
    return this.dataSource.transaction(async (manager) => {
      const current = await this.findLive(manager, ctx, id);
      assertVersion(current.version, expectedVersion);
      if (seen !== undefined && seen !== current.status) {
        throw conflict(`The dispute is ${current.status}, not ${seen}; fetch it again before moving it.`, { slug: 'stale-status', currentStatus: current.status });
      }
      checkTransition(current.status, dto.to, dto);
      const set: Partial<Dispute> = { status: dto.to };
      if (dto.resolution) {
        const { terms, agreedOn, followUpOn } = dto.resolution;
        if (agreedOn < current.reportedOn) {
          throw badRequest('The agreement cannot precede the report.', [{ field: 'resolution.agreedOn', message: `must be on or after reportedOn (${current.reportedOn})` }]);
        }
        if (followUpOn !== undefined && followUpOn < agreedOn) {
          throw badRequest('The follow-up cannot precede the agreement.', [{ field: 'resolution.followUpOn', message: 'must be on or after agreedOn' }]);
        }
        Object.assign(set, {
          resolutionTermsEnc: this.cipher.encrypt(terms, CIPHER.resolutionTerms),
          resolutionAgreedOn: agreedOn,
          resolutionFollowUpOn: followUpOn ?? null,
          resolvedOn: agreedOn,
        });
      }
      if (dto.referral) {
        Object.assign(set, { referralTo: dto.referral.to, referralReferenceEnc: seal(this.cipher, dto.referral.reference ?? null, CIPHER.referralReference) });
      }
      const updated = await manager
        .createQueryBuilder()
        .update(Dispute)
        .set({ ...set, version: () => 'version + 1' })
        .where('id = :id AND version = :version AND status = :status', { id, version: current.version, status: current.status })
        .execute();
      if (updated.affected !== 1) throw conflict('The dispute changed while this transition was applied; fetch it again.', { slug: 'stale-status' });
      await this.addHistory(manager, ctx, id, current.status, dto.to, dto.note);
      const result = await this.load(manager, ctx, id);
      const changes: Record<string, unknown> = { status: { from: current.status, to: dto.to }, note: REDACTED };
      if (dto.resolution) changes.resolution = { to: { terms: REDACTED, agreedOn: dto.resolution.agreedOn, followUpOn: dto.resolution.followUpOn ?? null } };
      if (dto.referral) changes.referral = { to: { to: dto.referral.to, reference: dto.referral.reference === undefined ? null : REDACTED } };
      await this.audit.record(manager, actorOf(ctx), { action: 'transition', entity: 'dispute', entityId: id, changes });
      return result;
    });
  }

  async archive(ctx: RequestContext, id: string): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      const current = await this.findVisible(manager, ctx, id, true);
      if (current.archivedAt) return; // archiving twice changes nothing
      await manager.update(Dispute, { id }, { archivedAt: () => 'now()', version: () => 'version + 1' });
      await this.audit.record(manager, actorOf(ctx), { action: 'archive', entity: 'dispute', entityId: id });
    });
  }

  /** Mediators and parties named as participants: of the dispute's country, visible, with consent (PeopleService). */
  private async checkPeople(manager: EntityManager, ctx: RequestContext, countryCode: string, parties: readonly DisputePartyDto[], mediatorIds: readonly string[]): Promise<void> {
    const partyIds = parties.map((p) => p.participantId).filter((pid): pid is string => pid !== undefined);
    if (mediatorIds.length) await this.people.requireAttendable(manager, ctx, { participantIds: mediatorIds, countryCode, participantField: 'mediatorIds' });
    if (partyIds.length) await this.people.requireAttendable(manager, ctx, { participantIds: partyIds, countryCode, participantField: 'parties' });
  }

  /** The fields PATCH may change, in a stable shape for diffing (links as sorted sets). */
  private auditable(d: UpdateDisputeDto & Pick<CreateDisputeDto, 'reportedOn' | 'category' | 'description' | 'parties' | 'severity' | 'violenceRisk'>) {
    return {
      reportedOn: d.reportedOn,
      category: d.category,
      description: d.description,
      parties: d.parties.map((p) => ({ label: p.label, ...(p.participantId ? { participantId: p.participantId } : {}) })),
      severity: d.severity,
      violenceRisk: d.violenceRisk,
      mediatorIds: [...(d.mediatorIds ?? [])].sort(),
      sessionIds: [...(d.sessionIds ?? [])].sort(),
    };
  }

  private async addHistory(manager: EntityManager, ctx: RequestContext, disputeId: string, from: Dispute['status'] | null, to: Dispute['status'], note: string | null): Promise<void> {
    await manager.insert(DisputeHistory, {
      id: randomUUID(),
      disputeId,
      fromStatus: from,
      toStatus: to,
      noteEnc: note === null ? null : this.cipher.encrypt(note, CIPHER.historyNote),
      actorKind: ctx.principal.kind,
      actorId: ctx.principal.id,
      occurredAt: () => 'clock_timestamp()',
    });
  }

  /** The dispute with its parties, links and history, as the caller may see it. */
  private async load(manager: EntityManager, ctx: RequestContext, id: string): Promise<DisputeDto> {
    const dispute = await manager.findOneByOrFail(Dispute, { id });
    const children = (await loadChildren(manager, [id])).get(id)!;
    const history = await manager.find(DisputeHistory, { where: { disputeId: id }, order: { occurredAt: 'ASC', id: 'ASC' } });
    const [dto] = await hideUnreadableRefs(manager, ctx, [toDisputeDto(this.cipher, ctx, dispute, children, history)]);
    return dto;
  }

  private async findVisible(manager: EntityManager, ctx: RequestContext, id: string, lock: boolean): Promise<Dispute> {
    const qb = applyScope(manager.getRepository(Dispute).createQueryBuilder('d'), ctx, SCOPE).andWhere('d.id = :id', { id });
    if (lock) qb.setLock('pessimistic_write');
    const dispute = await qb.getOne();
    if (!dispute) throw notFound('dispute');
    return dispute;
  }

  /** Locked, visible and not archived: an archived dispute is kept as it was. */
  /** Unscoped on purpose: only compared with the scoped, locked read that follows, never returned. */
  private async statusWhenRequested(id: string): Promise<string | undefined> {
    const rows = (await this.dataSource.query('SELECT status FROM disputes WHERE id = $1', [id])) as { status: string }[];
    return rows[0]?.status;
  }

  private async findLive(manager: EntityManager, ctx: RequestContext, id: string): Promise<Dispute> {
    const dispute = await this.findVisible(manager, ctx, id, true);
    if (dispute.archivedAt) throw conflict('The dispute is archived and can no longer change.', { slug: 'archived' });
    return dispute;
  }
}
