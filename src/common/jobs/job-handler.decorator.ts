import { SetMetadata } from '@nestjs/common';
import type { Job } from 'bullmq';
import { JOBS, QUEUES, QueueKey } from './job-names';

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
export const JobHandler = <K extends QueueKey>(queue: (typeof QUEUES)[K], name: (typeof JOBS)[K][keyof (typeof JOBS)[K]]) =>
  SetMetadata<string, JobHandlerMetadata>(JOB_HANDLER_KEY, { queue, name: name as string });
