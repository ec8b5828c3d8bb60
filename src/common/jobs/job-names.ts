/**
 * Every queue and job name, as typed constants: producers, the outbox and the worker's handler
 * registry all refer to these, and the worker refuses to start when a job listed here has no
 * handler or two (see job-registry.ts). Add a job here and its handler in the same change.
 *
 * Queue names may not contain ':' (BullMQ uses it in its keys).
 */
export const QUEUES = {
  housekeeping: 'housekeeping',
  notifications: 'notifications',
  learningSummaries: 'learning-summaries',
} as const;

export const JOBS = {
  housekeeping: {
    /** Deletes expired rows of every target in housekeeping/purge-targets.ts. */
    purgeExpired: 'purge-expired',
  },
  notifications: {
    /** Writes a notification for every country_staff user of a critical early warning's country. */
    criticalEarlyWarning: 'critical-early-warning',
  },
  learningSummaries: {
    /** Computes the summaries of one run (a period and its countries) and the period's cross-country document. */
    compute: 'compute-summaries',
    /** Nightly: creates (or joins) the run of the previous calendar month for every country. */
    schedulePreviousMonth: 'schedule-previous-month',
  },
} as const satisfies { [K in keyof typeof QUEUES]: Record<string, string> };

export type QueueKey = keyof typeof QUEUES;
export type QueueName = (typeof QUEUES)[QueueKey];
export type JobName<K extends QueueKey = QueueKey> = (typeof JOBS)[K][keyof (typeof JOBS)[K]];

export interface JobRef {
  queue: string;
  name: string;
}

/** The (queue, job) pairs the worker must handle, one entry per job constant. */
export function declaredJobs(queues: Record<string, string> = QUEUES, jobs: Record<string, Record<string, string>> = JOBS): JobRef[] {
  return Object.entries(queues).flatMap(([key, queue]) => Object.values(jobs[key] ?? {}).map((name) => ({ queue, name })));
}

export const ALL_QUEUE_NAMES: readonly QueueName[] = Object.values(QUEUES);

export function isDeclaredJob(queue: string, name: string): boolean {
  return declaredJobs().some((job) => job.queue === queue && job.name === name);
}

/**
 * BullMQ job ids may not contain ':' and a custom id that is an integer would collide with
 * BullMQ's own counters. Ids are derived from the job's input (e.g. `summary-IQ-2016-Q3`).
 */
export const JOB_ID_PATTERN = /^(?!\d+$)[A-Za-z0-9][A-Za-z0-9._-]{0,199}$/;
