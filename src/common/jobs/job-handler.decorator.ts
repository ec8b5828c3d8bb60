import { SetMetadata } from '@nestjs/common';
import type { Job } from 'bullmq';
import { JobName, QueueKey, QueueName, QUEUES } from './job-names';

export const JOB_HANDLER_KEY = 'jsd:job-handler';
export const JOB_FAILED_HANDLER_KEY = 'jsd:job-failed-handler';

export type JobHandlerFn = (job: Job) => Promise<unknown>;
export type JobFailedHandlerFn = (job: Job, error: Error) => Promise<void>;

export interface JobHandlerMetadata {
  queue: string;
  name: string;
}

/**
 * Marks a provider method as the handler of one job. The worker discovers these at start-up
 * and refuses to start unless every job in job-names.ts has exactly one.
 */
/** The key of the queue named Q (inferring the key from the queue argument itself: with two or
 * more queues, inferring K from `(typeof QUEUES)[K]` widens K to the union and allows no job). */
type KeyOfQueue<Q extends QueueName> = { [K in QueueKey]: (typeof QUEUES)[K] extends Q ? K : never }[QueueKey];

export const JobHandler = <Q extends QueueName>(queue: Q, name: JobName<KeyOfQueue<Q>>) =>
  SetMetadata<string, JobHandlerMetadata>(JOB_HANDLER_KEY, { queue, name: name as string });

/**
 * Marks a provider method to be called when BullMQ has failed a job for good (no retry left),
 * including failures decided without the handler running: a job whose worker died more than
 * JOB_MAX_STALLED_COUNT times is failed by BullMQ's stalled check, and a handler that mirrors the
 * job's state in PostgreSQL would otherwise never hear of it. At most one per job; optional.
 */
export const JobFailedHandler = <Q extends QueueName>(queue: Q, name: JobName<KeyOfQueue<Q>>) =>
  SetMetadata<string, JobHandlerMetadata>(JOB_FAILED_HANDLER_KEY, { queue, name: name as string });
