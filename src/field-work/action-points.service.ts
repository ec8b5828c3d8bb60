import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { actorOf, AuditService, diffChanges } from '../common/audit/audit.service';
import { assertVersion } from '../common/concurrency/etag';
import { RequestContext } from '../common/context/request-context';
import { mayViewFreeText, unseal } from '../common/crypto/free-text';
import { PersonalDataCipher } from '../common/crypto/personal-data-cipher';
import { ListCursor } from '../common/pagination/cursor';
import { notFound } from '../common/problem/problem';
import { applyScope } from '../common/scope/scope';
import { ActionPoint } from './action-point.entity';
import { ActionPointDto, ActionPointListItemDto, ActionPointPageDto, ListActionPointsQueryDto, UpdateActionPointDto } from './dto/session.dto';
import { shownActionPoint } from './session-mapper';
import { SESSION_SCOPE } from './session-list';
import { FIELD_WORK_CIPHER, openSessionText } from './session-text';

/** The description is free text: audited by name only. */
const SENSITIVE = ['description'];

/** Action points are followed up one by one, each with its own version. */
@Injectable()
export class ActionPointsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly audit: AuditService,
    private readonly cipher: PersonalDataCipher,
  ) {}

  async get(ctx: RequestContext, id: string): Promise<ActionPointDto> {
    const found = await this.visible(this.dataSource.manager, ctx, id, false);
    if (!found) throw notFound('action point');
    return shownActionPoint(this.cipher, ctx, found.countryCode, found.point);
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
    const found = await this.visible(manager, ctx, id, true);
    if (!found || (sessionId !== null && found.point.sessionId !== sessionId)) throw notFound('action point');
    const { point: current, countryCode } = found;
    assertVersion(current.version, expectedVersion);
    const sent = Object.fromEntries(Object.entries(dto).filter(([, value]) => value !== undefined)) as UpdateActionPointDto;
    const before: Record<string, unknown> = {};
    for (const key of Object.keys(sent)) {
      before[key] = key === 'description' ? this.cipher.decrypt(current.descriptionEnc, FIELD_WORK_CIPHER.actionPointDescription) : current[key as keyof ActionPoint];
    }
    const changes = diffChanges(before, { ...sent }, SENSITIVE);
    if (!Object.keys(changes).length) return shownActionPoint(this.cipher, ctx, countryCode, current);
    const { description, ...columns } = sent;
    await manager
      .createQueryBuilder()
      .update(ActionPoint)
      .set({
        ...columns,
        ...(changes.description && description !== undefined ? { descriptionEnc: this.cipher.encrypt(description, FIELD_WORK_CIPHER.actionPointDescription) } : {}),
        version: () => 'version + 1',
      })
      .where('id = :id AND version = :version', { id, version: current.version })
      .execute();
    await this.audit.record(manager, actorOf(ctx), { action: 'update', entity: 'action_point', entityId: id, changes });
    return shownActionPoint(this.cipher, ctx, countryCode, await manager.findOneByOrFail(ActionPoint, { id }));
  }

  /** Action points of one network, oldest session first, with the session they came from. */
  async list(ctx: RequestContext, query: ListActionPointsQueryDto): Promise<ActionPointPageDto> {
    const cursor = new ListCursor('GET /action-points', query);
    const limit = cursor.limit;
    const qb = this.dataSource
      .createQueryBuilder()
      .select(['a.id AS id', 'a.session_id AS "sessionId"', 'a.description_enc AS "descriptionEnc"', 'a.due_on::text AS "dueOn"', 'a.status AS status'])
      .addSelect(['a.version AS version', 'a.created_at AS "createdAt"', 'a.updated_at AS "updatedAt"', 'a.position AS position'])
      .addSelect(['s.network_id AS "networkId"', 's.held_on::text AS "heldOn"', 's.text_enc AS "textEnc"', 's.country_code AS "countryCode"'])
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
      Omit<ActionPointListItemDto, 'createdAt' | 'updatedAt' | 'description' | 'sessionTitle'> & {
        createdAt: Date; updatedAt: Date; position: number; descriptionEnc: string; textEnc: string; countryCode: string;
      }
    >();
    const data = rows.slice(0, limit);
    const last = data[data.length - 1];
    return {
      data: data.map(({ position: _position, createdAt, updatedAt, descriptionEnc, textEnc, countryCode, ...r }) => {
        const show = mayViewFreeText(ctx, countryCode);
        return {
          id: r.id,
          sessionId: r.sessionId,
          description: unseal(this.cipher, show, descriptionEnc, FIELD_WORK_CIPHER.actionPointDescription),
          dueOn: r.dueOn,
          status: r.status,
          version: r.version,
          createdAt: createdAt.toISOString(),
          updatedAt: updatedAt.toISOString(),
          networkId: r.networkId,
          heldOn: r.heldOn,
          sessionTitle: show ? openSessionText(this.cipher, textEnc).title : null,
        };
      }),
      nextCursor: rows.length > limit ? cursor.next([last.heldOn, `${last.sessionId}/${last.position}`]) : null,
    };
  }

  /** The action point and its session's country if the caller may see its session; locked when about to be written. */
  private async visible(manager: EntityManager, ctx: RequestContext, id: string, lock: boolean): Promise<{ point: ActionPoint; countryCode: string } | null> {
    const qb = manager
      .getRepository(ActionPoint)
      .createQueryBuilder('a')
      .innerJoin('sessions', 's', 's.id = a.session_id')
      .addSelect('s.country_code', 'session_country_code')
      .where('a.id = :id', { id });
    if (lock) qb.setLock('pessimistic_write', undefined, ['a']);
    const { entities, raw } = await applyScope(qb, ctx, SESSION_SCOPE).getRawAndEntities<{ session_country_code: string }>();
    return entities.length ? { point: entities[0], countryCode: raw[0].session_country_code } : null;
  }
}
