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
import {
  ConsentDto, CreateParticipantDto, ListParticipantsQueryDto, ParticipantDto, UpdateParticipantDto,
} from './dto/participant.dto';
import { PersonErasure } from './erasure';
import { Participant } from './participant.entity';
import { ParticipantNetwork } from './participant-network.entity';
import { CODE_KINDS } from './people-enums';
import { requireNetworks, requireWritableCountry } from './people-references';
import { lockIdentity, mayViewIdentity, networkIdsOf, nextCode, PARTICIPANT_SCOPE, PersonalDataViews } from './personal-data';

const ENTITY = 'participant';
const NAME_CONTEXT = 'participant.fullName';
const PHONE_CONTEXT = 'participant.phone';
/** Audited by name only: the identity, and the free text that may name people (the affiliation, what consent covers). */
const SENSITIVE = ['fullName', 'phone', 'affiliation', 'consentScope'];

@Injectable()
export class ParticipantsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly audit: AuditService,
    private readonly cipher: PersonalDataCipher,
    private readonly views: PersonalDataViews,
    private readonly idempotency: IdempotencyService,
    private readonly erasure: PersonErasure,
  ) {}

  async create(ctx: RequestContext, dto: CreateParticipantDto, allowDuplicate = false): Promise<ParticipantDto> {
    return this.dataSource.transaction(async (manager) => {
      await requireWritableCountry(manager, ctx, dto.countryCode);
      await requireNetworks(manager, ctx, dto.countryCode, dto.networkIds);
      const identityIndex = this.identityIndexOf(dto.fullName, dto.phone ?? null);
      await lockIdentity(manager, 'participants', dto.countryCode, identityIndex);
      if (!allowDuplicate) await this.assertNoDuplicate(manager, dto.countryCode, identityIndex, null);
      const id = randomUUID();
      // Taken last before the insert: the counter row stays locked until commit.
      const code = await nextCode(manager, dto.countryCode, CODE_KINDS.participant);
      const consent = consentColumns(dto.consent);
      await manager.insert(Participant, {
        id,
        code,
        countryCode: dto.countryCode,
        fullNameEnc: this.cipher.encrypt(dto.fullName, NAME_CONTEXT),
        phoneEnc: dto.phone ? this.cipher.encrypt(dto.phone, PHONE_CONTEXT) : null,
        identityIndex,
        gender: dto.gender,
        ageBand: dto.ageBand,
        stakeholderGroup: dto.stakeholderGroup,
        affiliation: dto.affiliation ?? null,
        ...consent,
      });
      await this.replaceNetworks(manager, id, dto.networkIds);
      const created = await this.dtoFor(ctx, manager, await manager.findOneByOrFail(Participant, { id }));
      await this.audit.record(manager, actorOf(ctx), {
        action: 'create',
        entity: ENTITY,
        entityId: id,
        changes: diffChanges(null, { code, ...auditable(created), fullName: dto.fullName, phone: dto.phone ?? null }, SENSITIVE),
      });
      await this.recordView(ctx, [created], manager);
      return created;
    });
  }

  async list(ctx: RequestContext, query: ListParticipantsQueryDto): Promise<Page<ParticipantDto>> {
    const qb = applyScope(this.dataSource.getRepository(Participant).createQueryBuilder('p'), ctx, PARTICIPANT_SCOPE);
    if (!query.includeArchived) qb.andWhere('p.archived_at IS NULL');
    if (query.countryCode) qb.andWhere('p.country_code = :countryCode', { countryCode: query.countryCode });
    if (query.gender) qb.andWhere('p.gender = :gender', { gender: query.gender });
    if (query.ageBand) qb.andWhere('p.age_band = :ageBand', { ageBand: query.ageBand });
    if (query.stakeholderGroup) qb.andWhere('p.stakeholder_group = :stakeholderGroup', { stakeholderGroup: query.stakeholderGroup });
    if (query.networkId) {
      qb.andWhere('EXISTS (SELECT 1 FROM participant_networks f WHERE f.participant_id = p.id AND f.network_id = :networkId)', { networkId: query.networkId });
    }
    // The code is unique and zero-padded, so it is an exact, stable keyset (timestamps lose
    // microseconds in a JavaScript Date).
    const page = await paginate(qb, query, { list: 'GET /participants', sortExpression: 'p.code', tieBreaker: 'p.id', keyOf: (p) => [p.code, p.id] });
    const networks = await networkIdsOf(this.dataSource.manager, ctx, 'participants', page.data.map((p) => p.id));
    const data = page.data.map((p) => this.toDto(ctx, p, networks.get(p.id) ?? []));
    await this.recordView(ctx, data, undefined, true);
    return { data, nextCursor: page.nextCursor };
  }

  async get(ctx: RequestContext, id: string): Promise<ParticipantDto> {
    const participant = await applyScope(this.dataSource.getRepository(Participant).createQueryBuilder('p'), ctx, PARTICIPANT_SCOPE)
      .andWhere('p.id = :id', { id })
      .getOne();
    if (!participant) throw notFound(ENTITY);
    const dto = await this.dtoFor(ctx, this.dataSource.manager, participant);
    await this.recordView(ctx, [dto]);
    return dto;
  }

  async update(ctx: RequestContext, id: string, expectedVersion: number | undefined, dto: UpdateParticipantDto, allowDuplicate = false): Promise<ParticipantDto> {
    return this.dataSource.transaction(async (manager) => {
      const current = await this.lock(manager, ctx, id);
      assertVersion(current.version, expectedVersion);
      const currentNetworks = (await networkIdsOf(manager, null, 'participants', [id])).get(id) ?? [];
      const identityTouched = dto.fullName !== undefined || dto.phone !== undefined;
      if (identityTouched && current.erasedAt) {
        throw conflict(`Participant ${current.code} has been erased; an erased identity cannot be set again.`, { slug: 'erased' });
      }
      const beforeName = current.fullNameEnc ? this.cipher.decrypt(current.fullNameEnc, NAME_CONTEXT) : null;
      const beforePhone = current.phoneEnc ? this.cipher.decrypt(current.phoneEnc, PHONE_CONTEXT) : null;
      const before = { ...auditable(this.toDto(ctx, current, currentNetworks)), fullName: beforeName, phone: beforePhone };
      const after = {
        ...before,
        ...pick(dto, ['gender', 'ageBand', 'stakeholderGroup', 'affiliation', 'fullName', 'phone']),
        ...(dto.networkIds ? { networkIds: [...dto.networkIds].sort() } : {}),
        ...(dto.consent ? auditableConsent(consentView(dto.consent)) : {}),
      };
      const changes = diffChanges(before, after, SENSITIVE);
      if (!Object.keys(changes).length) return this.respondWithoutWrite(ctx, manager, current);

      if (dto.networkIds) {
        const added = dto.networkIds.filter((n) => !currentNetworks.includes(n));
        await requireNetworks(manager, ctx, current.countryCode, added);
      }
      const set: Partial<Participant> = {
        gender: after.gender,
        ageBand: after.ageBand,
        stakeholderGroup: after.stakeholderGroup,
        affiliation: after.affiliation ?? null,
      };
      if (dto.consent) Object.assign(set, consentColumns(dto.consent));
      if (changes.fullName || changes.phone) {
        const identityIndex = this.identityIndexOf(after.fullName!, after.phone ?? null);
        await lockIdentity(manager, 'participants', current.countryCode, identityIndex);
        if (!allowDuplicate) await this.assertNoDuplicate(manager, current.countryCode, identityIndex, id);
        set.fullNameEnc = this.cipher.encrypt(after.fullName!, NAME_CONTEXT);
        set.phoneEnc = after.phone ? this.cipher.encrypt(after.phone, PHONE_CONTEXT) : null;
        set.identityIndex = identityIndex;
      }
      await manager
        .createQueryBuilder()
        .update(Participant)
        .set({ ...set, version: () => 'version + 1' })
        .where('id = :id AND version = :version', { id, version: current.version })
        .execute();
      if (dto.networkIds && changes.networkIds) await this.replaceNetworks(manager, id, dto.networkIds, true);
      const updated = await this.dtoFor(ctx, manager, await manager.findOneByOrFail(Participant, { id }));
      await this.audit.record(manager, actorOf(ctx), { action: 'update', entity: ENTITY, entityId: id, changes });
      await this.recordView(ctx, [updated], manager);
      return updated;
    });
  }

  async archive(ctx: RequestContext, id: string): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      const current = await this.lock(manager, ctx, id);
      if (current.archivedAt) return; // archiving twice changes nothing
      await manager.update(Participant, { id }, { archivedAt: () => 'now()', version: () => 'version + 1' });
      await this.audit.record(manager, actorOf(ctx), { action: 'archive', entity: ENTITY, entityId: id });
    });
  }

  /**
   * Wipes the identity for good (the ciphertexts, the blind index and the affiliation; nothing
   * can bring them back) and keeps the pseudonymous row, its statistical attributes and its links
   * for statistics. Then removes the person from everything else that still shows them: dispute
   * party labels, mentions in free text, stored responses (PersonErasure), in the same transaction.
   */
  async erase(ctx: RequestContext, id: string): Promise<ParticipantDto> {
    return this.dataSource.transaction(async (manager) => {
      const current = await this.lock(manager, ctx, id);
      if (!current.erasedAt) {
        const fullName = current.fullNameEnc ? this.cipher.decrypt(current.fullNameEnc, NAME_CONTEXT) : null;
        const phone = current.phoneEnc ? this.cipher.decrypt(current.phoneEnc, PHONE_CONTEXT) : null;
        await this.idempotency.forgetResponsesFor(manager, `/api/v1/participants/${id}`);
        await manager.update(
          Participant,
          { id },
          { fullNameEnc: null, phoneEnc: null, identityIndex: null, affiliation: null, erasedAt: () => 'now()', version: () => 'version + 1' },
        );
        const report = await this.erasure.eraseMentions(manager, ctx, { kind: 'participant', id, countryCode: current.countryCode, fullName, phone });
        await this.audit.record(manager, actorOf(ctx), {
          action: 'erase',
          entity: ENTITY,
          entityId: id,
          changes: {
            fullName: { from: REDACTED, to: null },
            phone: { from: REDACTED, to: null },
            ...(current.affiliation !== null ? { affiliation: { from: REDACTED, to: null } } : {}),
            mentionsRedacted: { to: report.records },
            storedResponsesWithdrawn: { to: report.storedResponses },
          },
        });
      }
      return this.dtoFor(ctx, manager, await manager.findOneByOrFail(Participant, { id }));
    });
  }

  private async respondWithoutWrite(ctx: RequestContext, manager: EntityManager, current: Participant): Promise<ParticipantDto> {
    const dto = await this.dtoFor(ctx, manager, current);
    await this.recordView(ctx, [dto], manager);
    return dto;
  }

  /** Writers are admin and country staff; their scope is the country, so this is a plain scoped lock. */
  private async lock(manager: EntityManager, ctx: RequestContext, id: string): Promise<Participant> {
    const participant = await applyScope(manager.getRepository(Participant).createQueryBuilder('p'), ctx, PARTICIPANT_SCOPE)
      .andWhere('p.id = :id', { id })
      .setLock('pessimistic_write')
      .getOne();
    if (!participant) throw notFound(ENTITY);
    return participant;
  }

  private identityIndexOf(fullName: string, phone: string | null): string {
    return this.cipher.blindIndex(fullName, phone ?? '');
  }

  private async assertNoDuplicate(manager: EntityManager, countryCode: string, identityIndex: string, exceptId: string | null): Promise<void> {
    const rows: { id: string; code: string }[] = await manager.query(
      `SELECT id, code FROM participants
        WHERE country_code = $1 AND identity_index = $2 AND erased_at IS NULL AND ($3::uuid IS NULL OR id <> $3::uuid)
        ORDER BY code LIMIT 1`,
      [countryCode, identityIndex, exceptId],
    );
    if (rows.length) {
      throw conflict(
        `A participant with the same name and phone already exists in ${countryCode} (${rows[0].code}). Use it, or repeat the request with ?allowDuplicate=true if this is a different person.`,
        { slug: 'duplicate', existingId: rows[0].id, existingCode: rows[0].code },
      );
    }
  }

  private async replaceNetworks(manager: EntityManager, id: string, networkIds: readonly string[], clear = false): Promise<void> {
    if (clear) await manager.delete(ParticipantNetwork, { participantId: id });
    if (networkIds.length) await manager.insert(ParticipantNetwork, networkIds.map((networkId) => ({ participantId: id, networkId })));
  }

  private async dtoFor(ctx: RequestContext, manager: EntityManager, p: Participant): Promise<ParticipantDto> {
    return this.toDto(ctx, p, (await networkIdsOf(manager, ctx, 'participants', [p.id])).get(p.id) ?? []);
  }

  private async recordView(ctx: RequestContext, shown: ParticipantDto[], manager?: EntityManager, list = false): Promise<void> {
    const ids = shown.filter((p) => p.fullName !== undefined).map((p) => p.id);
    await this.views.record(ctx, ENTITY, ids, { manager, list });
  }

  private toDto(ctx: RequestContext, p: Participant, networkIds: string[]): ParticipantDto {
    const identity =
      mayViewIdentity(ctx, p.countryCode) && !p.erasedAt && p.fullNameEnc
        ? { fullName: this.cipher.decrypt(p.fullNameEnc, NAME_CONTEXT), phone: p.phoneEnc ? this.cipher.decrypt(p.phoneEnc, PHONE_CONTEXT) : null }
        : {};
    return {
      id: p.id,
      code: p.code,
      countryCode: p.countryCode,
      ...identity,
      gender: p.gender,
      ageBand: p.ageBand,
      stakeholderGroup: p.stakeholderGroup,
      affiliation: p.affiliation,
      networkIds,
      consent: { given: p.consentGiven, recordedOn: p.consentRecordedOn, scope: p.consentScope },
      version: p.version,
      createdAt: p.createdAt.toISOString(),
      updatedAt: p.updatedAt.toISOString(),
      archivedAt: p.archivedAt?.toISOString() ?? null,
      erasedAt: p.erasedAt?.toISOString() ?? null,
    };
  }
}

function consentView(c: ConsentDto): ParticipantDto['consent'] {
  return { given: c.given, recordedOn: c.recordedOn ?? null, scope: c.scope ?? null };
}

function consentColumns(c: ConsentDto): Pick<Participant, 'consentGiven' | 'consentRecordedOn' | 'consentScope'> {
  return { consentGiven: c.given, consentRecordedOn: c.recordedOn ?? null, consentScope: c.scope ?? null };
}

/** The non-identity fields an audit diff compares. */
function auditable(p: ParticipantDto) {
  return {
    gender: p.gender,
    ageBand: p.ageBand,
    stakeholderGroup: p.stakeholderGroup,
    affiliation: p.affiliation,
    networkIds: [...p.networkIds].sort(),
    ...auditableConsent(p.consent),
  };
}

/** Whether and when consent was given stay readable in the audit; what it covers is free text, audited by name (SENSITIVE). */
function auditableConsent(c: ParticipantDto['consent']) {
  return { consent: { given: c.given, recordedOn: c.recordedOn }, consentScope: c.scope };
}

function pick<T extends object, K extends keyof T>(source: T, keys: readonly K[]): Partial<Pick<T, K>> {
  const out: Partial<Pick<T, K>> = {};
  for (const key of keys) if (source[key] !== undefined) out[key] = source[key];
  return out;
}
