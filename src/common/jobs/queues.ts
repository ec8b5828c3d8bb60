import { getQueueToken } from '@nestjs/bullmq';
import { Injectable, Logger, OnApplicationShutdown, OnModuleInit, Provider } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { DefaultJobOptions, Queue } from 'bullmq';
import { AppConfig } from '../../config/app-config';
import { APP_CONFIG } from '../../config/config.module';
import { ALL_QUEUE_NAMES, QUEUES } from './job-names';
import { redisConnection } from './redis-connection';

const logger = new Logger('Queues');
let lastErrorLog = 0;

export const DEFAULT_JOB_OPTIONS: DefaultJobOptions = {
  attempts: 3,
  backoff: { type: 'exponential', delay: 5_000 },
  // Completed jobs stay a day so that a re-relayed outbox message with the same jobId is
  // recognised as a duplicate; failed ones stay a month for inspection.
  removeOnComplete: { age: 24 * 3600, count: 10_000 },
  removeOnFail: { age: 30 * 24 * 3600 },
};

/** The defaults of one queue's jobs: learning summaries take their attempts and backoff from the configuration. */
export function defaultJobOptionsFor(name: string, config: AppConfig): DefaultJobOptions {
  if (name === QUEUES.learningSummaries) {
    const { attempts, backoffMs } = config.learningSummaries;
    return { ...DEFAULT_JOB_OPTIONS, attempts, backoff: { type: 'exponential', delay: backoffMs } };
  }
  return DEFAULT_JOB_OPTIONS;
}

/**
 * The producer Queue of one declared queue, fail-fast, under the configured prefix. Registered
 * under @nestjs/bullmq's token so `@InjectQueue(QUEUES.x)` works; built here rather than with
 * BullModule.registerQueue so that the error listener exists before the first connection attempt
 * (otherwise BullMQ prints every refused reconnection to stderr while Redis is down).
 */
export function createQueue(name: string, config: AppConfig): Queue {
  const queue = new Queue(name, {
    connection: redisConnection(config, 'producer'),
    prefix: config.queuePrefix,
    defaultJobOptions: defaultJobOptionsFor(name, config),
  });
  queue.on('error', (error: Error) => {
    if (Date.now() - lastErrorLog < 60_000) return; // one line a minute while Redis is down
    lastErrorLog = Date.now();
    logger.warn(`Redis unavailable for queue ${name}: ${error.message}`);
  });
  return queue;
}

export const queueProviders: Provider[] = ALL_QUEUE_NAMES.map((name) => ({
  provide: getQueueToken(name),
  inject: [APP_CONFIG],
  useFactory: (config: AppConfig) => createQueue(name, config),
}));

/** Every declared queue, looked up by name (the outbox relay and the scheduler need this). */
@Injectable()
export class Queues implements OnModuleInit, OnApplicationShutdown {
  private readonly byName = new Map<string, Queue>();

  constructor(private readonly moduleRef: ModuleRef) {}

  onModuleInit(): void {
    for (const name of ALL_QUEUE_NAMES) this.byName.set(name, this.moduleRef.get<Queue>(getQueueToken(name), { strict: false }));
  }

  find(name: string): Queue | undefined {
    return this.byName.get(name);
  }

  get(name: string): Queue {
    const queue = this.byName.get(name);
    if (!queue) throw new Error(`Unknown queue "${name}"`);
    return queue;
  }

  async onApplicationShutdown(): Promise<void> {
    await Promise.all([...this.byName.values()].map((queue) => queue.close()));
  }
}
