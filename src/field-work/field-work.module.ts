import { Module } from '@nestjs/common';
import { ActionPointsController } from './action-points.controller';
import { ActionPointsService } from './action-points.service';
import { FieldWorkSyncHandlers } from './field-work-sync';
import { SessionsController } from './sessions.controller';
import { SessionsService } from './sessions.service';
import { SyncController } from './sync.controller';
import { SyncRegistry } from './sync-registry';
import { SyncService } from './sync.service';

/** Sessions (+ attendance, action points) and POST /sync. Other modules register sync handlers through SyncRegistry. */
@Module({
  controllers: [SessionsController, ActionPointsController, SyncController],
  providers: [SessionsService, ActionPointsService, SyncRegistry, SyncService, FieldWorkSyncHandlers],
  exports: [SessionsService, SyncRegistry],
})
export class FieldWorkModule {}
