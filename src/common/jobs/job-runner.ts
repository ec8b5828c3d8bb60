import { Inject, Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { Job, UnrecoverableError, Worker } from 'bullmq';
import { AppConfig } from '../../config/app-config';
import { APP_CONFIG } from '../../config/config.module';
import { ALL_QUEUE_NAMES } from './job-names';
import { JobRegistry } from './job-registry';
import { Queues } from './queues';
import { redisConnection } from './redis-connection';
import { SCHEDULES } from './schedules';

/** How many jobs of one queue a worker process runs at once. */
const CONCURRENCY: Record<string, number> = { housekeeping: 1 };
const SCHEDULE_RETRY_MS = 30_000;

/**
 * Runs in the worker only: one BullMQ Worker per declared queue, dispatching each job to its
 * registered handler, and the job schedulers of schedules.ts. On shutdown the workers stop taking
 * jobs and wait for the active ones before the database and Redis connections close.
 */
@Injectable()
export class JobRunner implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('JobRunner');
  private readonly workers: Worker[] = [];
  private scheduleTimer: NodeJS.Timeout | undefined;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly registry: JobRegistry,
    private readonly queues: Queues,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    for (const queue of ALL_QUEUE_NAMES) {
      const worker = new Worker(queue, (job: Job) => this.run(queue, job), {
        connection: redisConnection(this.config, 'worker'),
        prefix: this.config.queuePrefix,
        concurrency: CONCURRENCY[queue] ?? 1,
      });
      worker.on('completed', (job: Job, result: unknown) =>
        this.logger.log({ queue, job: job.name, jobId: job.id, result }, 'job completed'),
      );
      worker.on('failed', (job: Job | undefined, error: Error) =>
        this.logger.warn({ queue, job: job?.name, jobId: job?.id, attempt: job?.attemptsMade, error: error.message }, 'job failed'),
      );
      worker.on('error', (error: Error) => this.logger.warn(`worker ${queue}: ${error.message}`));
      this.workers.push(worker);
    }
    // Redis may be down at start-up: keep trying in the background rather than refusing to start.
    await this.upsertSchedules();
  }

  async onModuleDestroy(): Promise<void> {
    clearTimeout(this.scheduleTimer);
    // close() stops fetching new jobs and resolves once the active ones have finished.
    await Promise.all(this.workers.map((worker) => worker.close()));
  }

  private async run(queue: string, job: Job): Promise<unknown> {
    const handler = this.registry.handlerFor(queue, job.name);
    if (!handler) throw new UnrecoverableError(`no handler for ${queue}/${job.name}`);
    return handler(job);
  }

  private async upsertSchedules(): Promise<void> {
    try {
      for (const schedule of SCHEDULES) {
        await this.queues.get(schedule.queue).upsertJobScheduler(schedule.id, schedule.repeat, { name: schedule.name, data: {} });
      }
      this.logger.log(`job schedules upserted: ${SCHEDULES.map((s) => s.id).join(', ')}`);
    } catch (error) {
      this.logger.warn(`could not upsert job schedules, retrying in ${SCHEDULE_RETRY_MS / 1000}s: ${error instanceof Error ? error.message : error}`);
      this.scheduleTimer = setTimeout(() => void this.upsertSchedules(), SCHEDULE_RETRY_MS);
    }
  }
}
