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
const CONCURRENCY: Record<string, number> = { housekeeping: 1, 'learning-summaries': 1 };
const SCHEDULE_RETRY_MS = 30_000;
/** How long SIGTERM waits for active jobs; below the worker's hard shutdown limit and docker's stop_grace_period. */
const ACTIVE_JOBS_GRACE_MS = 50_000;
/** With no job running, closing only has to tell Redis; a dead Redis must not hold up the exit. */
const IDLE_CLOSE_MS = 2_000;

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms).unref());

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
  private stopped = false;
  private active = 0;
  private lastErrorLog = 0;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly registry: JobRegistry,
    private readonly queues: Queues,
  ) {}

  onApplicationBootstrap(): void {
    for (const queue of ALL_QUEUE_NAMES) {
      const worker = new Worker(queue, (job: Job) => this.run(queue, job), {
        connection: redisConnection(this.config, 'worker'),
        prefix: this.config.queuePrefix,
        concurrency: CONCURRENCY[queue] ?? 1,
        // A worker killed mid-job stops renewing its lock; after lockDuration another worker's
        // stalled check (every stalledInterval) moves the job back to wait and runs it again.
        lockDuration: this.config.jobs.lockDurationMs,
        stalledInterval: this.config.jobs.stalledIntervalMs,
        // A killed worker (deploy, OOM kill, lost node) is rarely the job's fault: BullMQ's default
        // of 1 failed a job whose worker died twice, without the handler ever hearing of it.
        maxStalledCount: this.config.jobs.maxStalledCount,
      });
      worker.on('completed', (job: Job, result: unknown) =>
        this.logger.log({ queue, job: job.name, jobId: job.id, result }, 'job completed'),
      );
      worker.on('failed', (job: Job | undefined, error: Error) => {
        this.logger.warn({ queue, job: job?.name, jobId: job?.id, attempt: job?.attemptsMade, err: error }, 'job failed');
        // finishedOn is set only when the job failed for good (no retry scheduled).
        if (job && typeof job.finishedOn === 'number') void this.failedForGood(queue, job, error);
      });
      worker.on('error', (error: Error) => {
        if (Date.now() - this.lastErrorLog < 60_000) return; // one line a minute while Redis is down
        this.lastErrorLog = Date.now();
        this.logger.warn({ queue, err: error }, 'worker error');
      });
      this.workers.push(worker);
    }
    // Not awaited: with Redis down at start-up the call waits for the reconnection (or fails and
    // is retried), and the worker must start and stop cleanly meanwhile.
    void this.upsertSchedules();
  }

  async onModuleDestroy(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.scheduleTimer);
    // close() stops fetching new jobs and resolves once the active ones have finished (and Redis
    // has acknowledged, which never happens while it is down: hence the deadline).
    const deadline = this.active > 0 ? ACTIVE_JOBS_GRACE_MS : IDLE_CLOSE_MS;
    const closed = await Promise.race([Promise.all(this.workers.map((w) => w.close())).then(() => true), sleep(deadline).then(() => false)]);
    if (!closed) {
      this.logger.warn(`workers did not close within ${deadline / 1000}s (${this.active} job(s) active); disconnecting`);
      await Promise.race([Promise.all(this.workers.map((w) => w.disconnect())), sleep(1_000)]);
    }
  }

  private async run(queue: string, job: Job): Promise<unknown> {
    const handler = this.registry.handlerFor(queue, job.name);
    if (!handler) throw new UnrecoverableError(`no handler for ${queue}/${job.name}`);
    this.active++;
    try {
      return await handler(job);
    } finally {
      this.active--;
    }
  }

  private async failedForGood(queue: string, job: Job, error: Error): Promise<void> {
    const handler = this.registry.failedHandlerFor(queue, job.name);
    if (!handler) return;
    try {
      await handler(job, error);
    } catch (failure) {
      this.logger.error({ queue, job: job.name, jobId: job.id, err: failure }, 'job failure handler failed');
    }
  }

  private async upsertSchedules(): Promise<void> {
    if (this.stopped) return;
    try {
      for (const schedule of SCHEDULES) {
        await this.queues.get(schedule.queue).upsertJobScheduler(schedule.id, schedule.repeat, { name: schedule.name, data: schedule.data ?? {} });
      }
      this.logger.log(`job schedules upserted: ${SCHEDULES.map((s) => s.id).join(', ')}`);
    } catch (error) {
      this.logger.warn({ err: error, retryInSeconds: SCHEDULE_RETRY_MS / 1000 }, 'could not upsert job schedules; retrying');
      this.scheduleTimer = setTimeout(() => void this.upsertSchedules(), SCHEDULE_RETRY_MS);
    }
  }
}
