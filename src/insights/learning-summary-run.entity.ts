import { Check, Column, CreateDateColumn, Entity, Index, PrimaryColumn, UpdateDateColumn } from 'typeorm';

export const RUN_STATUSES = ['queued', 'running', 'completed', 'failed'] as const;
export type RunStatus = (typeof RUN_STATUSES)[number];
export const ACTIVE_RUN_STATUSES: readonly RunStatus[] = ['queued', 'running'];

/**
 * One request to compute the learning summaries of a period for some countries, and the state of
 * its BullMQ job as the worker reports it (so the API answers from PostgreSQL alone).
 *
 * `jobKey` derives from the input (`summary-2016-Q3-IQ.NP`); at most one run per key is queued or
 * running (partial unique index), which is how a duplicate request joins the first. A finished
 * run frees the key: the next request is a re-run with the next `generation`, and its BullMQ job
 * id (`<jobKey>-<generation>`) is new, so BullMQ's memory of the completed job never swallows it.
 */
@Entity('learning_summary_runs')
@Index('UQ_learning_summary_runs_active_key', ['jobKey'], { unique: true, where: `"status" IN ('queued', 'running')` })
@Index('UQ_learning_summary_runs_key_generation', ['jobKey', 'generation'], { unique: true })
@Index(['createdAt', 'id'])
@Check('CHK_learning_summary_runs_status', `"status" IN ('queued', 'running', 'completed', 'failed')`)
@Check('CHK_learning_summary_runs_progress', `"progress" BETWEEN 0 AND 100`)
export class LearningSummaryRun {
  @PrimaryColumn('uuid')
  id!: string;

  @Column('text')
  jobKey!: string;

  @Column('int')
  generation!: number;

  /** The BullMQ job id: `<jobKey>-<generation>`. */
  @Column('text')
  jobId!: string;

  /** `2016`, `2016-Q3` or `2016-07`. */
  @Column('text')
  period!: string;

  /** Sorted, upper case, at least one. */
  @Column('text', { array: true })
  countryCodes!: string[];

  @Column('text', { default: 'queued' })
  status!: RunStatus;

  /** 0–100, of the current attempt. */
  @Column('smallint', { default: 0 })
  progress!: number;

  /** The last attempt's error, in words safe to show (never SQL). */
  @Column('text', { nullable: true })
  error!: string | null;

  /** Attempts started so far (a worker killed mid-run counts the restart too). */
  @Column('int', { default: 0 })
  attempts!: number;

  /** `user`, `api_key` or `system` (the nightly schedule). */
  @Column('text')
  requestedByKind!: string;

  @Column('uuid', { nullable: true })
  requestedById!: string | null;

  @CreateDateColumn({ type: 'timestamptz', precision: 3 })
  createdAt!: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt!: Date;

  @Column('timestamptz', { nullable: true })
  startedAt!: Date | null;

  @Column('timestamptz', { nullable: true })
  finishedAt!: Date | null;
}
