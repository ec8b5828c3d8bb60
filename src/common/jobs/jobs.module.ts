import { Global, Module } from '@nestjs/common';
import { OutboxService } from './outbox/outbox.service';
import { queueProviders, Queues } from './queues';
import { RedisHealth } from './redis-health';

/**
 * The producer side of the queues, imported by the API and the worker: one fail-fast BullMQ
 * Queue per declared queue (inject with `@InjectQueue(QUEUES.x)` from @nestjs/bullmq), the outbox
 * for enqueueing inside a transaction, and the Redis health ping. Running jobs is the worker's
 * business (worker.module.ts); nothing here consumes a queue.
 */
@Global()
@Module({
  providers: [...queueProviders, Queues, RedisHealth, OutboxService],
  exports: [...queueProviders, Queues, RedisHealth, OutboxService],
})
export class JobsModule {}
