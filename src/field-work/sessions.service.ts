import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { actorOf, AuditService, diffChanges } from '../common/audit/audit.service';
import { assertVersion } from '../common/concurrency/etag';
import { RequestContext } from '../common/context/request-context';
import { paginate } from '../common/pagination/cursor';
import { notFound } from '../common/problem/problem';
import { applyScope } from '../common/scope/scope';
import { ActionPoint } from './action-point.entity';
import { CreateSessionDto, ListSessionsQueryDto, SessionDto, SessionPageDto, SessionSummaryDto, UpdateSessionDto } from './dto/session.dto';
import { loadSessionDto, sessionFields } from './session-mapper';
import { checkAttendance, requireFacilitator, requireSessionNetwork } from './session-references';
import { SessionAttendance } from './session-attendance.entity';
import { Session } from './session.entity';

/** Who may log and change sessions and their action points (hq_analyst reads only). */
export const SESSION_WRITERS = ['admin', 'country_staff', 'partner'] as const;

/** Where a session keeps the facts that decide who sees it (common/scope). */
export const SESSION_SCOPE = { country: 's.country_code', network: 's.network_id' };

@Injectable()
export class SessionsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly audit: AuditService,
  ) {}

  create(ctx: RequestContext, dto: CreateSessionDto): Promise<SessionDto> {
    return this.dataSource.transaction((manager) => this.createIn(manager, ctx, dto));
  }

  /**
   * The session, its attendance and its action points, in the caller's transaction: every
   * reference is checked before the first insert, so a refused session writes nothing.
   */
  async createIn(manager: EntityManager, ctx: RequestContext, dto: CreateSessionDto): Promise<SessionDto> {
    const network = await requireSessionNetwork(manager, ctx, dto.networkId);
    if (dto.facilitatorPartnerId) await requireFacilitator(manager, ctx, dto.facilitatorPartnerId, network.countryCode);
    const attendance = dto.attendance ?? [];
    await checkAttendance(manager, ctx, network.countryCode, attendance);

    const id = randomUUID();
    const fields = {
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
    await manager.insert(Session, { id, ...fields });
    if (attendance.length) {
      await manager.insert(
        SessionAttendance,
        attendance.map((a, position) => ({
          id: randomUUID(),
          sessionId: id,
          participantId: a.participantId ?? null,
          policePartnerId: a.policePartnerId ?? null,
          role: a.role,
          position,
        })),
      );
    }
    const actionPoints = dto.actionPoints ?? [];
    if (actionPoints.length) {
      await manager.insert(
        ActionPoint,
        actionPoints.map((p, position) => ({ id: randomUUID(), sessionId: id, description: p.description, dueOn: p.dueOn ?? null, status: p.status ?? 'open', position })),
      );
    }
    const created = await loadSessionDto(manager, await manager.findOneByOrFail(Session, { id }));
    // One audit row for the whole session; attendance is summarised, never listed person by person.
    // Last, after the read-back: the audit chain's lock serialises every writer until commit, so
    // nothing else may run while it is held (bench/RESULTS.md: it capped POST /sessions).
    await this.audit.record(manager, actorOf(ctx), {
      action: 'create',
      entity: 'session',
      entityId: id,
      changes: { ...diffChanges(null, fields), attendance: { to: attendance.length }, actionPoints: { to: actionPoints.length } },
    });
    return created;
  }

  async get(ctx: RequestContext, id: string): Promise<SessionDto> {
    const qb = this.dataSource.getRepository(Session).createQueryBuilder('s').where('s.id = :id', { id });
    const session = await applyScope(qb, ctx, SESSION_SCOPE).getOne();
    if (!session) throw notFound('session');
    return loadSessionDto(this.dataSource.manager, session);
  }

  async list(ctx: RequestContext, query: ListSessionsQueryDto): Promise<SessionPageDto> {
    const qb = applyScope(this.dataSource.getRepository(Session).createQueryBuilder('s'), ctx, SESSION_SCOPE);
    if (!query.includeArchived) qb.andWhere('s.archived_at IS NULL');
    if (query.countryCode) qb.andWhere('s.country_code = :countryCode', { countryCode: query.countryCode });
    if (query.networkId) qb.andWhere('s.network_id = :networkId', { networkId: query.networkId });
    if (query.from) qb.andWhere('s.held_on >= :from', { from: query.from });
    if (query.to) qb.andWhere('s.held_on <= :to', { to: query.to });
    if (query.kind) qb.andWhere('s.kind = :kind', { kind: query.kind });
    if (query.topic) qb.andWhere('s.topics @> CAST(ARRAY[:topic] AS text[])', { topic: query.topic });
    if (query.partnerId) qb.andWhere('s.facilitator_partner_id = :partnerId', { partnerId: query.partnerId });
    if (query.hasStatePartner !== undefined) {
      const exists = 'EXISTS (SELECT 1 FROM session_attendance sa WHERE sa.session_id = s.id AND sa.police_partner_id IS NOT NULL)';
      qb.andWhere(query.hasStatePartner ? exists : `NOT ${exists}`);
    }
    // Most recent first; the id breaks ties between sessions of one day.
    const page = await paginate(qb, query, { sortExpression: 's.held_on', tieBreaker: 's.id', direction: 'DESC', keyOf: (s) => [s.heldOn, s.id] });
    return { data: await this.summaries(page.data), nextCursor: page.nextCursor };
  }

  /** Counts for a page of sessions: one query per relation, never one per session. */
  private async summaries(sessions: Session[]): Promise<SessionSummaryDto[]> {
    if (!sessions.length) return [];
    const ids = sessions.map((s) => s.id);
    const attendance: { sessionId: string; participants: number; policePartners: number }[] = await this.dataSource.query(
      `SELECT session_id AS "sessionId", count(participant_id)::int AS participants, count(police_partner_id)::int AS "policePartners"
         FROM session_attendance WHERE session_id = ANY($1::uuid[]) GROUP BY session_id`,
      [ids],
    );
    const points: { sessionId: string; open: number; done: number; dropped: number }[] = await this.dataSource.query(
      `SELECT session_id AS "sessionId", count(*) FILTER (WHERE status = 'open')::int AS open,
              count(*) FILTER (WHERE status = 'done')::int AS done, count(*) FILTER (WHERE status = 'dropped')::int AS dropped
         FROM action_points WHERE session_id = ANY($1::uuid[]) GROUP BY session_id`,
      [ids],
    );
    const attendanceBy = new Map(attendance.map((a) => [a.sessionId, a]));
    const pointsBy = new Map(points.map((p) => [p.sessionId, p]));
    return sessions.map((s) => ({
      ...sessionFields(s),
      attendanceCounts: { participants: attendanceBy.get(s.id)?.participants ?? 0, policePartners: attendanceBy.get(s.id)?.policePartners ?? 0 },
      actionPointCounts: { open: pointsBy.get(s.id)?.open ?? 0, done: pointsBy.get(s.id)?.done ?? 0, dropped: pointsBy.get(s.id)?.dropped ?? 0 },
    }));
  }

  update(ctx: RequestContext, id: string, expectedVersion: number | undefined, dto: UpdateSessionDto): Promise<SessionDto> {
    return this.dataSource.transaction((manager) => this.updateIn(manager, ctx, id, expectedVersion, dto));
  }

  async updateIn(manager: EntityManager, ctx: RequestContext, id: string, expectedVersion: number | undefined, dto: UpdateSessionDto): Promise<SessionDto> {
    const current = await this.lock(manager, ctx, id);
    assertVersion(current.version, expectedVersion);
    if (dto.facilitatorPartnerId) await requireFacilitator(manager, ctx, dto.facilitatorPartnerId, current.countryCode);
    const { unnamedAttendance, ...scalars } = dto;
    const patch: Partial<Session> = { ...scalars };
    if (unnamedAttendance) Object.assign(patch, { unnamedWomen: unnamedAttendance.women, unnamedMen: unnamedAttendance.men, unnamedYouth: unnamedAttendance.youth });
    const before: Record<string, unknown> = {};
    for (const key of Object.keys(patch)) before[key] = current[key as keyof Session];
    const changes = diffChanges(before, patch);
    if (!Object.keys(changes).length) return loadSessionDto(manager, current);
    await manager
      .createQueryBuilder()
      .update(Session)
      .set({ ...patch, version: () => 'version + 1' })
      .where('id = :id AND version = :version', { id, version: current.version })
      .execute();
    await this.audit.record(manager, actorOf(ctx), { action: 'update', entity: 'session', entityId: id, changes });
    return loadSessionDto(manager, await manager.findOneByOrFail(Session, { id }));
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
