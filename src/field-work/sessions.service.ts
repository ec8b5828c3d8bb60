import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { actorOf, AuditService, diffChanges } from '../common/audit/audit.service';
import { assertVersion } from '../common/concurrency/etag';
import { RequestContext } from '../common/context/request-context';
import { mayViewFreeText } from '../common/crypto/free-text';
import { PersonalDataCipher } from '../common/crypto/personal-data-cipher';
import { IdempotencyService } from '../common/idempotency/idempotency.service';
import { notFound } from '../common/problem/problem';
import { applyScope } from '../common/scope/scope';
import { CreateSessionDto, ListSessionsQueryDto, SessionDto, UpdateSessionDto } from './dto/session.dto';
import { listSessions, SESSION_SCOPE } from './session-list';
import { insertSession, NewSessionFields } from './session-insert';
import { loadSessionDto } from './session-mapper';
import { requireFacilitator, requireSessionReferences } from './session-references';
import { openSessionText, sealSessionText, SESSION_TEXT_FIELDS, SessionText } from './session-text';
import { Session } from './session.entity';

/** Who may log and change sessions and their action points (hq_analyst reads only). */
export const SESSION_WRITERS = ['admin', 'country_staff', 'partner'] as const;

/** The Location of a created session. */
export const sessionLocation = (id: string): string => `/api/v1/sessions/${id}`;

@Injectable()
export class SessionsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly audit: AuditService,
    private readonly idempotency: IdempotencyService,
    private readonly cipher: PersonalDataCipher,
  ) {}

  /** POST /sessions: its answer (201, Location) is stored for Idempotency-Key replays by the write's own transaction. */
  create(ctx: RequestContext, dto: CreateSessionDto): Promise<SessionDto> {
    return this.dataSource.transaction((manager) => this.createIn(manager, ctx, dto, { storeResponse: true }));
  }

  /**
   * The session, its attendance and its action points, in the caller's transaction: every
   * reference is checked before the first insert, so a refused session writes nothing.
   */
  async createIn(manager: EntityManager, ctx: RequestContext, dto: CreateSessionDto, options: { storeResponse?: boolean } = {}): Promise<SessionDto> {
    const network = await requireSessionReferences(manager, ctx, dto);
    const attendance = dto.attendance ?? [];

    const fields: NewSessionFields = {
      networkId: network.id,
      countryCode: network.countryCode,
      title: dto.title,
      kind: dto.kind,
      heldOn: dto.heldOn,
      durationMinutes: dto.durationMinutes ?? null,
      place: dto.place ?? null,
      facilitatorPartnerId: dto.facilitatorPartnerId ?? null,
      topics: dto.topics ?? [],
      summary: dto.summary ?? null,
      unnamedWomen: dto.unnamedAttendance?.women ?? 0,
      unnamedMen: dto.unnamedAttendance?.men ?? 0,
      unnamedYouth: dto.unnamedAttendance?.youth ?? 0,
    };
    const actionPoints = dto.actionPoints ?? [];
    // One audit row for the whole session; attendance is summarised, never listed person by person,
    // and the free text is recorded as set, never copied. (Sync batches call this per operation
    // under the batch's own key: they store their own answer.)
    const entry = {
      action: 'create',
      entity: 'session',
      changes: {
        ...diffChanges(null, { ...fields }, SESSION_TEXT_FIELDS),
        attendance: { to: attendance.length },
        actionPoints: { to: actionPoints.length },
      },
    };
    const showText = mayViewFreeText(ctx, network.countryCode);
    return insertSession(manager, this.cipher, showText, fields, attendance, actionPoints, network.writtenAt, (created, firstParam) => {
      const response = options.storeResponse ? this.idempotency.prepare(ctx, 201, created, sessionLocation(created.id)) : undefined;
      return this.audit.staging(manager, actorOf(ctx), { ...entry, entityId: created.id }, response, firstParam);
    });
  }

  async get(ctx: RequestContext, id: string): Promise<SessionDto> {
    const qb = this.dataSource.getRepository(Session).createQueryBuilder('s').where('s.id = :id', { id });
    const session = await applyScope(qb, ctx, SESSION_SCOPE).getOne();
    if (!session) throw notFound('session');
    return loadSessionDto(this.dataSource.manager, this.cipher, ctx, session);
  }

  /** The page as JSON text (a SessionPageDto), written by PostgreSQL: see session-list. */
  list(ctx: RequestContext, query: ListSessionsQueryDto): Promise<string> {
    return listSessions(this.dataSource, this.cipher, ctx, query);
  }

  update(ctx: RequestContext, id: string, expectedVersion: number | undefined, dto: UpdateSessionDto): Promise<SessionDto> {
    return this.dataSource.transaction((manager) => this.updateIn(manager, ctx, id, expectedVersion, dto));
  }

  async updateIn(manager: EntityManager, ctx: RequestContext, id: string, expectedVersion: number | undefined, dto: UpdateSessionDto): Promise<SessionDto> {
    const current = await this.lock(manager, ctx, id);
    assertVersion(current.version, expectedVersion);
    if (dto.facilitatorPartnerId) await requireFacilitator(manager, ctx, dto.facilitatorPartnerId, current.countryCode);
    const { unnamedAttendance, title, place, summary, ...scalars } = dto;
    const patch: Record<string, unknown> = Object.fromEntries(Object.entries(scalars).filter(([, value]) => value !== undefined));
    if (unnamedAttendance) Object.assign(patch, { unnamedWomen: unnamedAttendance.women, unnamedMen: unnamedAttendance.men, unnamedYouth: unnamedAttendance.youth });
    const before: Record<string, unknown> = {};
    for (const key of Object.keys(patch)) before[key] = current[key as keyof Session];
    // The free text is compared in clear and written back sealed, all three together.
    const sentText = Object.fromEntries(Object.entries({ title, place, summary }).filter(([, value]) => value !== undefined)) as Partial<SessionText>;
    const textBefore = Object.keys(sentText).length ? openSessionText(this.cipher, current.textEnc) : undefined;
    if (textBefore) for (const key of Object.keys(sentText)) before[key] = textBefore[key as keyof SessionText];
    const changes = diffChanges(before, { ...patch, ...sentText }, SESSION_TEXT_FIELDS);
    if (!Object.keys(changes).length) return loadSessionDto(manager, this.cipher, ctx, current);
    const textChanged = SESSION_TEXT_FIELDS.some((field) => changes[field]);
    if (textBefore && textChanged) patch.textEnc = sealSessionText(this.cipher, { ...textBefore, ...sentText });
    await manager
      .createQueryBuilder()
      .update(Session)
      .set({ ...(patch as Partial<Session>), version: () => 'version + 1' })
      .where('id = :id AND version = :version', { id, version: current.version })
      .execute();
    await this.audit.record(manager, actorOf(ctx), { action: 'update', entity: 'session', entityId: id, changes });
    return loadSessionDto(manager, this.cipher, ctx, await manager.findOneByOrFail(Session, { id }));
  }

  async archive(ctx: RequestContext, id: string): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      const current = await this.lock(manager, ctx, id);
      if (current.archivedAt) return; // archiving twice changes nothing
      await manager.update(Session, { id }, { archivedAt: () => 'now()', version: () => 'version + 1' });
      await this.audit.record(manager, actorOf(ctx), { action: 'archive', entity: 'session', entityId: id });
    });
  }

  /** The session row, locked for update, if the caller may see it; else 404. */
  private async lock(manager: EntityManager, ctx: RequestContext, id: string): Promise<Session> {
    const qb = manager.getRepository(Session).createQueryBuilder('s').setLock('pessimistic_write').where('s.id = :id', { id });
    const session = await applyScope(qb, ctx, SESSION_SCOPE).getOne();
    if (!session) throw notFound('session');
    return session;
  }
}
