import { createHash, randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { Principal } from '../auth/principal';
import { AuditActor, AuditService } from '../common/audit/audit.service';
import { JOBS, QUEUES } from '../common/jobs/job-names';
import { OutboxService } from '../common/jobs/outbox/outbox.service';
import { badRequest, notFound, ProblemException } from '../common/problem/problem';
import { scopeCondition } from '../common/scope/scope';
import { CreatedLearningSummaryRunDto, LearningSummaryRunDto } from './dto/learning-summary-run.dto';
import { parsePeriod } from './learning-summary-period';
import { LearningSummaryRun } from './learning-summary-run.entity';

export interface ComputeJobData {
  runId: string;
  period: string;
  countryCodes: string[];
}

export interface RunRequest {
  period: string;
  countryCodes?: string[];
}

/** Who asks for a run: a caller (principal + audit actor), or the nightly schedule (principal null: every country). */
export interface RunRequester {
  principal: Principal | null;
  actor: AuditActor;
}

/** Past this length the country list in a job key is replaced by its hash (BullMQ ids stay short). */
const MAX_CODES_IN_KEY = 120;

/** `summary-2016-Q3-IQ.NP`: from the input only, so the same request always gets the same key. */
export function runJobKey(period: string, sortedCodes: readonly string[]): string {
  const codes = sortedCodes.join('.');
  const part = codes.length <= MAX_CODES_IN_KEY ? codes : `h${createHash('sha256').update(codes).digest('hex').slice(0, 20)}`;
  return `summary-${period}-${part}`;
}

/**
 * Creating and reading runs. A request creates a run row and its outbox message in one
 * transaction (the worker relays the job after commit), unless a run with the same period and
 * countries is queued or running: then it joins that one (same id, no second job).
 */
@Injectable()
export class LearningSummaryRunsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly audit: AuditService,
    private readonly outbox: OutboxService,
  ) {}

  async request(requester: RunRequester, input: RunRequest): Promise<CreatedLearningSummaryRunDto> {
    if (!parsePeriod(input.period)) throw badRequest('The period is not one this API knows.', [{ field: 'period', message: 'must be a year (2016), a quarter (2016-Q3) or a month (2016-07), years 2000–2100' }]);
    const codes = await this.countriesOf(requester.principal, input.countryCodes);
    const jobKey = runJobKey(input.period, codes);
    // A lost race (the active run finished between our insert and our look-up) is simply retried.
    for (let attempt = 0; attempt < 3; attempt++) {
      const result = await this.dataSource.transaction((manager) => this.createOrJoin(manager, requester, input.period, codes, jobKey));
      if (result) return result;
    }
    throw new ProblemException(409, 'Runs of this period and these countries are being created and finished concurrently; try again.');
  }

  async get(principal: Principal, id: string): Promise<LearningSummaryRunDto> {
    // Visible when every country of the run is in the caller's scope.
    const { sql, params } = scopeCondition(principal, { country: 'c.code' });
    const run = await this.dataSource
      .getRepository(LearningSummaryRun)
      .createQueryBuilder('r')
      .where('r.id = :id', { id })
      .andWhere(`NOT EXISTS (SELECT 1 FROM unnest(r.country_codes) AS c(code) WHERE NOT (${sql}))`, params)
      .getOne();
    if (!run) throw notFound('learning-summary run');
    return toRunDto(run);
  }

  private async createOrJoin(manager: EntityManager, requester: RunRequester, period: string, codes: string[], jobKey: string): Promise<CreatedLearningSummaryRunDto | null> {
    const id = randomUUID();
    const inserted = (await manager.query(
      `INSERT INTO learning_summary_runs (id, job_key, generation, job_id, period, country_codes, requested_by_kind, requested_by_id)
       SELECT $1, $2, g.n, $2 || '-' || g.n, $3, $4, $5, $6
         FROM (SELECT COALESCE(max(generation), 0) + 1 AS n FROM learning_summary_runs WHERE job_key = $2) g
       ON CONFLICT DO NOTHING
       RETURNING job_id`,
      [id, jobKey, period, codes, requester.actor.kind, requester.actor.id],
    )) as { job_id: string }[];
    if (inserted.length === 0) {
      const active = await manager
        .getRepository(LearningSummaryRun)
        .createQueryBuilder('r')
        .where('r.job_key = :jobKey AND r.status IN (:...active)', { jobKey, active: ['queued', 'running'] })
        .getOne();
      return active ? { ...toRunDto(active), joined: true } : null;
    }
    const data: ComputeJobData = { runId: id, period, countryCodes: codes };
    await this.outbox.enqueue(manager, { queue: QUEUES.learningSummaries, name: JOBS.learningSummaries.compute, jobId: inserted[0].job_id, data: { ...data } });
    await this.audit.record(manager, requester.actor, {
      action: 'create',
      entity: 'learning_summary_run',
      entityId: id,
      changes: { period: { to: period }, countryCodes: { to: codes } },
    });
    return { ...toRunDto(await manager.findOneByOrFail(LearningSummaryRun, { id })), joined: false };
  }

  /**
   * The run's countries, sorted: the ones asked for (each must exist: 400 naming the unknown), or
   * every live country; country_staff may only ask for, and by default get, their own countries.
   */
  private async countriesOf(principal: Principal | null, requested: string[] | undefined): Promise<string[]> {
    const staff = principal?.role === 'country_staff' ? principal.countryCodes : null;
    const wanted = requested ? [...new Set(requested)].sort() : null;
    if (staff && wanted) {
      const outside = wanted.filter((code) => !staff.includes(code));
      if (outside.length) throw new ProblemException(403, `You may run learning summaries only for your own countries, not ${outside.join(', ')}.`);
    }
    const rows = (await this.dataSource.query(
      `SELECT code::text AS code FROM countries WHERE archived_at IS NULL AND ($1::text[] IS NULL OR code = ANY($1::text[])) ORDER BY code`,
      [wanted ?? staff],
    )) as { code: string }[];
    const known = rows.map((r) => r.code);
    if (wanted) {
      const unknown = wanted.filter((code) => !known.includes(code));
      if (unknown.length) throw badRequest(`Unknown country code(s): ${unknown.join(', ')}.`, [{ field: 'countryCodes', message: `unknown country code(s): ${unknown.join(', ')}` }]);
    }
    if (!known.length) throw badRequest('There is no country to summarise.', [{ field: 'countryCodes', message: 'no existing country' }]);
    return known;
  }
}

export function toRunDto(r: LearningSummaryRun): LearningSummaryRunDto {
  return {
    id: r.id,
    period: r.period,
    countryCodes: r.countryCodes,
    status: r.status,
    progress: r.progress,
    ...(r.error ? { error: r.error } : {}),
    attempts: r.attempts,
    createdAt: r.createdAt.toISOString(),
    ...(r.startedAt ? { startedAt: r.startedAt.toISOString() } : {}),
    ...(r.finishedAt ? { finishedAt: r.finishedAt.toISOString() } : {}),
  };
}
