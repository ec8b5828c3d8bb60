import { Injectable, OnModuleInit } from '@nestjs/common';
import { ActionPointsService } from './action-points.service';
import { CreateSessionDto, UpdateActionPointDto, UpdateSessionDto } from './dto/session.dto';
import { SESSION_WRITERS, SessionsService } from './sessions.service';
import { SyncRegistry } from './sync-registry';

/** What field apps can do offline with sessions and action points. */
@Injectable()
export class FieldWorkSyncHandlers implements OnModuleInit {
  constructor(
    private readonly registry: SyncRegistry,
    private readonly sessions: SessionsService,
    private readonly actionPoints: ActionPointsService,
  ) {}

  onModuleInit(): void {
    this.registry.register({
      resource: 'sessions',
      method: 'POST',
      bodyType: CreateSessionDto,
      roles: SESSION_WRITERS,
      needsIdAndVersion: false,
      successStatus: 201,
      apply: async (manager, ctx, op) => ({ id: (await this.sessions.createIn(manager, ctx, op.body as CreateSessionDto)).id }),
      current: (ctx, id) => this.sessions.get(ctx, id),
    });
    this.registry.register({
      resource: 'sessions',
      method: 'PATCH',
      bodyType: UpdateSessionDto,
      roles: SESSION_WRITERS,
      needsIdAndVersion: true,
      successStatus: 200,
      apply: async (manager, ctx, op) => ({ id: (await this.sessions.updateIn(manager, ctx, op.id!, op.version, op.body as UpdateSessionDto)).id }),
      current: (ctx, id) => this.sessions.get(ctx, id),
    });
    this.registry.register({
      resource: 'action-points',
      method: 'PATCH',
      bodyType: UpdateActionPointDto,
      roles: SESSION_WRITERS,
      needsIdAndVersion: true,
      successStatus: 200,
      apply: async (manager, ctx, op) => ({ id: (await this.actionPoints.updateIn(manager, ctx, null, op.id!, op.version, op.body as UpdateActionPointDto)).id }),
      current: (ctx, id) => this.actionPoints.get(ctx, id),
    });
  }
}
