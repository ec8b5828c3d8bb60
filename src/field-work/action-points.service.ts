import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { actorOf, AuditService, diffChanges } from '../common/audit/audit.service';
import { assertVersion } from '../common/concurrency/etag';
import { RequestContext } from '../common/context/request-context';
import { ListCursor } from '../common/pagination/cursor';
import { notFound } from '../common/problem/problem';
import { applyScope } from '../common/scope/scope';
import { ActionPoint } from './action-point.entity';
import { ActionPointDto, ActionPointListItemDto, ActionPointPageDto, ListActionPointsQueryDto, UpdateActionPointDto } from './dto/session.dto';
import { actionPointDto } from './session-mapper';
import { SESSION_SCOPE } from './session-list';

/** Action points are followed up one by one, each with its own version. */
@Injectable()
export class ActionPointsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly audit: AuditService,
  ) {}

  async get(ctx: RequestContext, id: string): Promise<ActionPointDto> {
    const point = await this.visible(this.dataSource.manager, ctx, id, false);
    if (!point) throw notFound('action point');
    return actionPointDto(point);
  }

  update(ctx: RequestContext, sessionId: string, id: string, expectedVersion: number | undefined, dto: UpdateActionPointDto): Promise<ActionPointDto> {
    return this.dataSource.transaction((manager) => this.updateIn(manager, ctx, sessionId, id, expectedVersion, dto));
  }

  /** `sessionId` null: the caller names the action point alone (POST /sync). */
  async updateIn(
    manager: EntityManager,
    ctx: RequestContext,
    sessionId: string | null,
    id: string,
    expectedVersion: number | undefined,
    dto: UpdateActionPointDto,
  ): Promise<ActionPointDto> {
    const current = await this.visible(manager, ctx, id, true);
    if (!current || (sessionId !== null && current.sessionId !== sessionId)) throw notFound('action point');
    assertVersion(current.version, expectedVersion);
    const before: Record<string, unknown> = {};
    for (const key of Object.keys(dto)) before[key] = current[key as keyof ActionPoint];
    const changes = diffChanges(before, { ...dto });
    if (!Object.keys(changes).length) return actionPointDto(current);
    await manager
      .createQueryBuilder()
      .update(ActionPoint)
      .set({ ...dto, version: () => 'version + 1' })
      .where('id = :id AND version = :version', { id, version: current.version })
      .execute();
    await this.audit.record(manager, actorOf(ctx), { action: 'update', entity: 'action_point', entityId: id, changes });
    return actionPointDto(await manager.findOneByOrFail(ActionPoint, { id }));
  }

  /** Action points of one network, oldest session first, with the session they came from. */
  async list(ctx: RequestContext, query: ListActionPointsQueryDto): Promise<ActionPointPageDto> {
    const cursor = new ListCursor('GET /action-points', query);
    const limit = cursor.limit;
    const qb = this.dataSource
      .createQueryBuilder()
      .select(['a.id AS id', 'a.session_id AS "sessionId"', 'a.description AS description', 'a.due_on::text AS "dueOn"', 'a.status AS status'])
      .addSelect(['a.version AS version', 'a.created_at AS "createdAt"', 'a.updated_at AS "updatedAt"', 'a.position AS position'])
      .addSelect(['s.network_id AS "networkId"', 's.held_on::text AS "heldOn"', 's.title AS "sessionTitle"'])
      .from(ActionPoint, 'a')
      .innerJoin('sessions', 's', 's.id = a.session_id')
      .where('s.network_id = :networkId AND s.archived_at IS NULL', { networkId: query.networkId });
    applyScope(qb, ctx, SESSION_SCOPE);
    if (query.status) qb.andWhere('a.status = :status', { status: query.status });
    // Keyset on (heldOn, session, position): the order the points were agreed in.
    const after = cursor.after(2);
    if (after) {
      const [heldOn, tie] = after;
      const [sessionId, position] = String(tie).split('/');
      qb.andWhere('(s.held_on, a.session_id, a.position) > (CAST(:heldOn AS date), CAST(:sessionId AS uuid), CAST(:position AS int))', { heldOn, sessionId, position: Number(position) });
    }
    const rows = await qb.orderBy('s.held_on', 'ASC').addOrderBy('a.session_id', 'ASC').addOrderBy('a.position', 'ASC').limit(limit + 1).getRawMany<
      Omit<ActionPointListItemDto, 'createdAt' | 'updatedAt'> & { createdAt: Date; updatedAt: Date; position: number }
    >();
    const data = rows.slice(0, limit);
    const last = data[data.length - 1];
    return {
      data: data.map(({ position: _position, createdAt, updatedAt, ...r }) => ({ ...r, createdAt: createdAt.toISOString(), updatedAt: updatedAt.toISOString() })),
      nextCursor: rows.length > limit ? cursor.next([last.heldOn, `${last.sessionId}/${last.position}`]) : null,
    };
  }

  /** The action point if the caller may see its session; locked when about to be written. */
  private async visible(manager: EntityManager, ctx: RequestContext, id: string, lock: boolean): Promise<ActionPoint | null> {
    const qb = manager.getRepository(ActionPoint).createQueryBuilder('a').innerJoin('sessions', 's', 's.id = a.session_id').where('a.id = :id', { id });
    if (lock) qb.setLock('pessimistic_write', undefined, ['a']);
    return applyScope(qb, ctx, SESSION_SCOPE).getOne();
  }
}
