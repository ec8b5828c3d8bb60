import { Injectable, Logger } from '@nestjs/common';
import { Job, UnrecoverableError } from 'bullmq';
import { DataSource } from 'typeorm';
import { JobHandler } from '../common/jobs/job-handler.decorator';
import { JOBS, QUEUES } from '../common/jobs/job-names';
import { CRITICAL_WARNING_TRIGGERS, CriticalWarningTrigger, KIND_OF_TRIGGER } from './notification-triggers';

export interface CriticalWarningJobData {
  earlyWarningId: string;
  trigger: CriticalWarningTrigger;
}

export interface NotifyResult {
  notified: number;
  skipped?: 'missing' | 'archived' | 'no longer critical';
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Runs in the worker: one notification per active country_staff user of the warning's country.
 * Idempotent by the unique (user, kind, warning) key: a job delivered twice notifies nobody twice.
 * Users are read with explicit SQL (auth/ owns the table) in the same statement as the insert.
 */
@Injectable()
export class CriticalWarningNotifier {
  private readonly logger = new Logger('CriticalWarningNotifier');

  constructor(private readonly dataSource: DataSource) {}

  @JobHandler(QUEUES.notifications, JOBS.notifications.criticalEarlyWarning)
  async handle(job: Job): Promise<NotifyResult> {
    const data = job.data as Partial<CriticalWarningJobData>;
    if (typeof data.earlyWarningId !== 'string' || !UUID.test(data.earlyWarningId) || !CRITICAL_WARNING_TRIGGERS.includes(data.trigger as CriticalWarningTrigger)) {
      throw new UnrecoverableError('critical-early-warning job data must be { earlyWarningId (uuid), trigger }');
    }
    return this.notify(data as CriticalWarningJobData);
  }

  async notify({ earlyWarningId, trigger }: CriticalWarningJobData): Promise<NotifyResult> {
    const [warning] = (await this.dataSource.query('SELECT country_code, severity, archived_at FROM early_warnings WHERE id = $1', [earlyWarningId])) as {
      country_code: string;
      severity: string;
      archived_at: Date | null;
    }[];
    // Checked when the job runs, not when it was queued: a report downgraded or archived in the
    // meantime no longer needs anyone's attention.
    if (!warning) return { notified: 0, skipped: 'missing' };
    if (warning.archived_at) return { notified: 0, skipped: 'archived' };
    if (warning.severity !== 'critical') return { notified: 0, skipped: 'no longer critical' };
    const inserted = (await this.dataSource.query(
      `INSERT INTO notifications (id, user_id, kind, early_warning_id)
       SELECT gen_random_uuid(), u.id, $1, $2 FROM users u
        WHERE u.role = 'country_staff' AND u.status = 'active' AND $3 = ANY(u.country_codes)
       ON CONFLICT (user_id, kind, early_warning_id) DO NOTHING
       RETURNING id`,
      [KIND_OF_TRIGGER[trigger], earlyWarningId, warning.country_code],
    )) as { id: string }[];
    const notified = inserted.length;
    this.logger.log({ earlyWarningId, trigger, notified }, 'critical early warning notified');
    return { notified };
  }
}
