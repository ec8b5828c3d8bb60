import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiSecurity, ApiTags } from '@nestjs/swagger';
import { DataSource } from 'typeorm';
import { Roles } from '../../auth/access.decorators';
import { paginate } from '../pagination/cursor';
import { ApiProblems } from '../openapi/api-problems.decorator';
import { AuditEvent } from './audit-event.entity';
import { AuditEventDto, AuditEventPageDto, ListAuditEventsQueryDto } from './audit-events.dto';

/** Who did what and when, newest first (admin). */
@ApiTags('audit')
@ApiBearerAuth('bearer')
@ApiSecurity('apiKey')
@Controller('audit-events')
export class AuditEventsController {
  constructor(private readonly dataSource: DataSource) {}

  @Get()
  @Roles('admin')
  @ApiOkResponse({ type: AuditEventPageDto })
  @ApiProblems(400)
  async list(@Query() query: ListAuditEventsQueryDto): Promise<AuditEventPageDto> {
    const qb = this.dataSource.getRepository(AuditEvent).createQueryBuilder('a');
    if (query.entity) qb.andWhere('a.entity = :entity', { entity: query.entity });
    if (query.entityId) qb.andWhere('a.entity_id = :entityId', { entityId: query.entityId });
    if (query.actorId) qb.andWhere('a.actor_id = :actorId', { actorId: query.actorId });
    if (query.actorKind) qb.andWhere('a.actor_kind = :actorKind', { actorKind: query.actorKind });
    if (query.action) qb.andWhere('a.action = :action', { action: query.action });
    if (query.from) qb.andWhere('a.occurred_at >= :from', { from: query.from });
    if (query.to) qb.andWhere('a.occurred_at < :to', { to: query.to });
    const page = await paginate(qb, query, {
      list: 'GET /audit-events',
      sortExpression: 'a.seq',
      tieBreaker: 'a.seq',
      direction: 'DESC',
      keyOf: (e) => [e.seq, e.seq],
    });
    return { data: page.data.map(toDto), nextCursor: page.nextCursor };
  }
}

function toDto(e: AuditEvent): AuditEventDto {
  return {
    id: e.id,
    seq: e.seq,
    occurredAt: e.occurredAt.toISOString(),
    actor: { kind: e.actorKind, id: e.actorId, role: e.actorRole },
    action: e.action,
    entity: e.entity,
    entityId: e.entityId,
    changes: e.changes,
    requestId: e.requestId,
    hash: e.hash,
  };
}
