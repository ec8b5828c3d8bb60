import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { actorOf, AuditService } from '../common/audit/audit.service';
import { RequestContext } from '../common/context/request-context';
import { paginate } from '../common/pagination/cursor';
import { Page } from '../common/pagination/page-query.dto';
import { notFound } from '../common/problem/problem';
import { ListNotificationsQueryDto, NotificationDto } from './dto/notification.dto';
import { Notification } from './notification.entity';

/**
 * The signed-in user's own notifications. Scope is the recipient, nothing else: another user's
 * notification is a 404, and API keys (not people) have none.
 */
@Injectable()
export class NotificationsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly audit: AuditService,
  ) {}

  async list(ctx: RequestContext, query: ListNotificationsQueryDto): Promise<Page<NotificationDto>> {
    const qb = this.dataSource.getRepository(Notification).createQueryBuilder('n').where('n.user_id = :userId', { userId: recipientOf(ctx) });
    if (query.unreadOnly) qb.andWhere('n.read_at IS NULL');
    const page = await paginate(qb, query, {
      list: 'GET /notifications',
      sortExpression: 'n.created_at',
      tieBreaker: 'n.id',
      direction: 'DESC',
      keyOf: (n) => [n.createdAt.toISOString(), n.id],
    });
    return { data: page.data.map(toDto), nextCursor: page.nextCursor };
  }

  /** Marks read; marking an already-read notification again changes (and audits) nothing. */
  async markRead(ctx: RequestContext, id: string): Promise<NotificationDto> {
    return this.dataSource.transaction(async (manager) => {
      const repo = manager.getRepository(Notification);
      const current = await repo
        .createQueryBuilder('n')
        .setLock('pessimistic_write')
        .where('n.id = :id AND n.user_id = :userId', { id, userId: recipientOf(ctx) })
        .getOne();
      if (!current) throw notFound('notification');
      if (current.readAt) return toDto(current);
      await repo.update({ id }, { readAt: () => 'now()' });
      await this.audit.record(manager, actorOf(ctx), { action: 'update', entity: 'notification', entityId: id, changes: { read: { from: false, to: true } } });
      return toDto(await repo.findOneByOrFail({ id }));
    });
  }
}

/** A nil uuid for API keys matches no row, so their list is empty and every id a 404. */
const recipientOf = (ctx: RequestContext) => (ctx.principal.kind === 'user' ? ctx.principal.id : '00000000-0000-0000-0000-000000000000');

function toDto(n: Notification): NotificationDto {
  return { id: n.id, kind: n.kind, earlyWarningId: n.earlyWarningId, createdAt: n.createdAt.toISOString(), readAt: n.readAt?.toISOString() ?? null };
}
