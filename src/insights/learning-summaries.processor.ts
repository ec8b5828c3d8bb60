import { Inject, Injectable, Logger } from '@nestjs/common';
import { Job, UnrecoverableError } from 'bullmq';
import { DataSource } from 'typeorm';
import { AuditService, SYSTEM_ACTOR } from '../common/audit/audit.service';
import { JobFailedHandler, JobHandler } from '../common/jobs/job-handler.decorator';
import { JOBS, QUEUES } from '../common/jobs/job-names';
import { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';
import { ImpactMetricsService } from './impact-metrics.service';
import type { CountrySummaryContent } from './learning-summary-content';
import { computeSummaryFigures } from './learning-summary-figures';
import { parsePeriod, previousMonth, SummaryPeriod } from './learning-summary-period';
import { ComputeJobData, LearningSummaryRunsService } from './learning-summary-runs.service';
import { activeCrossCountryLinks, computeCountrySummary } from './learning-summary.sql';
import { ComputedCountry, storeRunResults } from './learning-summary-store';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export interface ComputeResult {
  runId: string;
  summaries: number;
  crossCountryLinks: number;
  skipped?: 'missing' | 'already completed';
}

/** Turns an error into words safe for the run's `error` (the API shows it): never SQL or internals. */
export function publicError(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  if (code === '55P03') return 'The summaries could not be written: their tables stayed locked by another transaction longer than LEARNING_SUMMARY_LOCK_TIMEOUT_MS.';
  if (code === '57014') return 'A summary query was cancelled (statement timeout).';
  if (code === 'ECONNREFUSED' || code === '57P01' || code === '08006') return 'The database could not be reached.';
  if (error instanceof UnrecoverableError) return error.message;
  return `Internal error (${error instanceof Error ? error.name : 'unknown'}); the worker log has the details.`;
}

/**
 * Runs in the worker. `compute` computes each country's summary of the run's period, then their
 * impact figures (ImpactMetricsService) and the active cross-country links, reporting progress as
 * it goes (to BullMQ and to the run row, which the API reads), and finally writes everything in
 * one transaction (learning-summary-store.ts).
 * Reading happens outside that transaction, so a retry or a restart after a crash simply computes
 * again from scratch: nothing half-written ever exists.
 */
@Injectable()
export class LearningSummariesProcessor {
  private readonly logger = new Logger('LearningSummaries');

  constructor(
    private readonly dataSource: DataSource,
    private readonly audit: AuditService,
    private readonly runs: LearningSummaryRunsService,
    private readonly metrics: ImpactMetricsService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @JobHandler(QUEUES.learningSummaries, JOBS.learningSummaries.compute)
  async compute(job: Job): Promise<ComputeResult> {
    const data = job.data as Partial<ComputeJobData>;
    const period = parsePeriod(data.period);
    const codes = data.countryCodes;
    if (typeof data.runId !== 'string' || !UUID.test(data.runId) || !period || !Array.isArray(codes) || !codes.every((c) => typeof c === 'string' && /^[A-Z]{2}$/.test(c))) {
      throw new UnrecoverableError('compute-summaries job data must be { runId (uuid), period, countryCodes[] }');
    }
    const runId = data.runId;
    const started = (await this.dataSource.query(
      `UPDATE learning_summary_runs SET status = 'running', progress = 0, attempts = $2, started_at = COALESCE(started_at, now()), updated_at = now()
        WHERE id = $1 AND status <> 'completed' RETURNING id`,
      [runId, job.attemptsStarted],
    )) as [unknown[], number];
    if (started[1] === 0) {
      // Delivered again after it completed (at-least-once): the results are already stored.
      const [exists] = (await this.dataSource.query('SELECT 1 FROM learning_summary_runs WHERE id = $1', [runId])) as unknown[];
      return { runId, summaries: 0, crossCountryLinks: 0, skipped: exists ? 'already completed' : 'missing' };
    }
    try {
      return await this.computeAndStore(job, runId, period, codes);
    } catch (error) {
      const message = publicError(error);
      const final = error instanceof UnrecoverableError || job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
      this.logger.warn({ runId, jobId: job.id, attempt: job.attemptsMade + 1, final, err: error }, 'learning summaries failed');
      // Final: failed for good (audited, like completion). Otherwise queued again, waiting for BullMQ's retry after the backoff.
      if (final) await this.markFailed(runId, message);
      else await this.dataSource.query(`UPDATE learning_summary_runs SET status = 'queued', error = $2, updated_at = now() WHERE id = $1`, [runId, message]);
      throw error instanceof UnrecoverableError ? error : new Error(message);
    }
  }

  /**
   * BullMQ failed the job for good. Usually compute() has already recorded that (then this changes
   * nothing), but a job whose worker died more than JOB_MAX_STALLED_COUNT times is failed by
   * BullMQ's stalled check without compute() running: the run would stay `running` for ever, and
   * every later request for its period and countries would join it instead of running.
   */
  @JobFailedHandler(QUEUES.learningSummaries, JOBS.learningSummaries.compute)
  async computeFailed(job: Job, error: Error): Promise<void> {
    const runId = (job.data as Partial<ComputeJobData>).runId;
    if (typeof runId !== 'string' || !UUID.test(runId)) return;
    const message = /stalled more than allowable limit/.test(error.message)
      ? 'The worker computing this run stopped in the middle (it crashed or was killed) more often than JOB_MAX_STALLED_COUNT allows; request the run again.'
      : publicError(error);
    if (await this.markFailed(runId, message)) this.logger.warn({ runId, jobId: job.id, err: error }, 'learning-summary run failed outside its handler');
  }

  /** queued/running → failed with its audit event, in one transaction; false when the run had already ended. */
  private async markFailed(runId: string, message: string): Promise<boolean> {
    return this.dataSource.transaction(async (tx) => {
      const [, changed] = (await tx.query(
        `UPDATE learning_summary_runs SET status = 'failed', error = $2, finished_at = now(), updated_at = now() WHERE id = $1 AND status IN ('queued', 'running')`,
        [runId, message],
      )) as [unknown, number];
      if (!changed) return false;
      await this.audit.record(tx, SYSTEM_ACTOR, { action: 'fail', entity: 'learning_summary_run', entityId: runId, changes: { status: { to: 'failed' }, error: { to: message } } });
      return true;
    });
  }

  /** Nightly: the previous calendar month, for every country, as a run like any other (joins one already queued). */
  @JobHandler(QUEUES.learningSummaries, JOBS.learningSummaries.schedulePreviousMonth)
  async schedulePreviousMonth(job: Job): Promise<{ runId: string; period: string; joined: boolean }> {
    const period = previousMonth(new Date(job.timestamp));
    const run = await this.runs.request({ principal: null, actor: SYSTEM_ACTOR }, { period });
    this.logger.log({ runId: run.id, period, joined: run.joined }, 'nightly learning-summary run requested');
    return { runId: run.id, period, joined: run.joined };
  }

  private async computeAndStore(job: Job, runId: string, period: SummaryPeriod, codes: string[]): Promise<ComputeResult> {
    const manager = this.dataSource.manager;
    const contents: CountrySummaryContent[] = [];
    for (const [index, code] of codes.entries()) {
      contents.push(await computeCountrySummary(manager, code, period));
      await this.progress(job, runId, Math.floor((80 * (index + 1)) / codes.length));
    }
    // One metrics question for all the run's countries, so their figures are suppressed together.
    const figures = await computeSummaryFigures(this.metrics, codes, period);
    await this.progress(job, runId, 90);
    const countries: ComputedCountry[] = contents.map((content) => ({ content, figures: figures.get(content.countryCode) ?? null }));
    const links = await activeCrossCountryLinks(manager, null, period);
    await this.progress(job, runId, 95);
    await this.dataSource.transaction((tx) =>
      storeRunResults(tx, this.audit, { runId, period, countries, links, computedAt: new Date() }, this.config.learningSummaries.lockTimeoutMs),
    );
    await job.updateProgress(100);
    return { runId, summaries: countries.length, crossCountryLinks: links.length };
  }

  private async progress(job: Job, runId: string, value: number): Promise<void> {
    await job.updateProgress(value);
    await this.dataSource.query(`UPDATE learning_summary_runs SET progress = $2, updated_at = now() WHERE id = $1 AND status = 'running'`, [runId, value]);
  }
}
