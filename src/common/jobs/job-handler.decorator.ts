import { SetMetadata } from '@nestjs/common';
import type { Job } from 'bullmq';
import { JobName, QueueKey, QueueName, QUEUES } from './job-names';

export const JOB_HANDLER_KEY = 'jsd:job-handler';

export type JobHandlerFn = (job: Job) => Promise<unknown>;

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
