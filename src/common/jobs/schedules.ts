import type { RepeatOptions } from 'bullmq';
import { JOBS, QUEUES } from './job-names';

export interface Schedule {
  /** Job scheduler id: upserting the same id replaces the schedule instead of adding another. */
  id: string;
  queue: string;
  name: string;
  repeat: Omit<RepeatOptions, 'key'>;
}

/** Recurring jobs, upserted by the worker at start-up (BullMQ 6 job schedulers). */
export const SCHEDULES: readonly Schedule[] = [
  {
    id: 'housekeeping-purge-expired-hourly',
    queue: QUEUES.housekeeping,
    name: JOBS.housekeeping.purgeExpired,
    repeat: { pattern: '7 * * * *', tz: 'UTC' },
  },
];
