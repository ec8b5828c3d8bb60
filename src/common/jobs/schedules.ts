import type { RepeatOptions } from 'bullmq';
import { JOBS, QUEUES } from './job-names';

export interface Schedule {
  /** Job scheduler id: upserting the same id replaces the schedule instead of adding another. */
  id: string;
  queue: string;
  name: string;
  repeat: Omit<RepeatOptions, 'key'>;
  /** The data every scheduled job gets (flat parameters, like any job data). */
  data?: Record<string, string | number | boolean>;
}

/** Recurring jobs, upserted by the worker at start-up (BullMQ 6 job schedulers). */
export const SCHEDULES: readonly Schedule[] = [
  {
    id: 'housekeeping-purge-expired-hourly',
    queue: QUEUES.housekeeping,
    name: JOBS.housekeeping.purgeExpired,
    repeat: { pattern: '7 * * * *', tz: 'UTC' },
  },
  {
    // 02:30 UTC, after field offices in every programme time zone have closed the day; the job
    // resolves "previous month" when it runs, so a delayed run still covers the right month.
    id: 'learning-summaries-previous-month-nightly',
    queue: QUEUES.learningSummaries,
    name: JOBS.learningSummaries.schedulePreviousMonth,
    repeat: { pattern: '30 2 * * *', tz: 'UTC' },
    data: { period: 'previous-month' },
  },
];
