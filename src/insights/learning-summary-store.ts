import type { EntityManager } from 'typeorm';
import { AuditService, SYSTEM_ACTOR } from '../common/audit/audit.service';
import type { ActiveLink, CountrySummaryContent } from './learning-summary-content';
import { strongestIndicatorChanges, SummaryFigures } from './learning-summary-figures';
import type { SummaryPeriod } from './learning-summary-period';

export interface ComputedCountry {
  content: CountrySummaryContent;
  figures: SummaryFigures | null;
}

export interface RunResults {
  runId: string;
  period: SummaryPeriod;
  countries: ComputedCountry[];
  links: ActiveLink[];
  computedAt: Date;
}

// Any constant namespace works; it only keeps these advisory locks apart from others.
const PERIOD_LOCK_NAMESPACE = 7_412_101;

const UPSERT_SUMMARIES = `
INSERT INTO learning_summaries (id, period, period_from, period_to, country_code, content, figures, run_id, computed_at)
SELECT gen_random_uuid(), $1::text, $2::date, $3::date, x.country_code, x.content, x.figures, $4::uuid, (x.content->'provenance'->>'computedAt')::timestamptz
  FROM jsonb_to_recordset($5::jsonb) AS x(country_code text, content jsonb, figures jsonb)
ON CONFLICT ON CONSTRAINT "UQ_learning_summaries_period_country" DO UPDATE
   SET content = EXCLUDED.content, figures = EXCLUDED.figures, run_id = EXCLUDED.run_id, computed_at = EXCLUDED.computed_at,
       period_from = EXCLUDED.period_from, period_to = EXCLUDED.period_to,
       version = learning_summaries.version + 1, updated_at = now()`;

/** Rebuilt from every stored summary of the period (this run's and earlier runs' of other countries). */
const UPSERT_CROSS_COUNTRY = `
INSERT INTO learning_summary_cross_country (id, period, period_from, period_to, country_codes, content, figures, run_id, computed_at)
SELECT gen_random_uuid(), $1::text, $2::date, $3::date,
       COALESCE(array_agg(s.country_code::text ORDER BY s.country_code), '{}'),
       jsonb_build_object(
         'period', $1::text, 'from', $2::date, 'to', $3::date,
         'countries', COALESCE(jsonb_object_agg(s.country_code::text, s.content || jsonb_build_object('figures', s.figures)), '{}'::jsonb),
         'crossCountryLinks', $4::jsonb,
         'provenance', jsonb_build_object('computedAt', $6::text,
           'sourceRows', jsonb_build_object('countrySummaries', count(s.id), 'crossCountryLinks', jsonb_array_length($4::jsonb)))),
       $5::jsonb, $7::uuid, $6::timestamptz
  FROM learning_summaries s
 WHERE s.period = $1
ON CONFLICT ON CONSTRAINT "UQ_learning_summary_cross_country_period" DO UPDATE
   SET country_codes = EXCLUDED.country_codes, content = EXCLUDED.content, figures = EXCLUDED.figures, run_id = EXCLUDED.run_id,
       computed_at = EXCLUDED.computed_at, version = learning_summary_cross_country.version + 1, updated_at = now()`;

/**
 * Writes a run's results in the caller's transaction, all or nothing: the country summaries and
 * the period's cross-country document are upserted (a re-run replaces, never duplicates) and the
 * run is marked completed. The strongest indicator changes are ranked over every stored summary of
 * the period (at most 11 countries × 4 indicators: a handful of JSON values, not rows to count). Writers of one period take turns (advisory lock), so the cross-country
 * document of two overlapping runs always includes both runs' countries.
 */
export async function storeRunResults(manager: EntityManager, audit: AuditService, results: RunResults, lockTimeoutMs: number): Promise<void> {
  const { runId, period } = results;
  // Waiting for a table lock for ever would hold the job; failing lets BullMQ retry with backoff.
  await manager.query(`SET LOCAL lock_timeout = ${Math.trunc(lockTimeoutMs)}`);
  await manager.query('SELECT pg_advisory_xact_lock($1, hashtext($2))', [PERIOD_LOCK_NAMESPACE, period.label]);
  const rows = results.countries.map((c) => ({ country_code: c.content.countryCode, content: c.content, figures: c.figures }));
  await manager.query(UPSERT_SUMMARIES, [period.label, period.from, period.to, runId, JSON.stringify(rows)]);
  // Across every stored summary of the period (earlier runs' countries too), like the document itself.
  const stored = (await manager.query('SELECT country_code AS "countryCode", figures FROM learning_summaries WHERE period = $1', [period.label])) as {
    countryCode: string;
    figures: SummaryFigures | null;
  }[];
  const crossCountryFigures = { strongestIndicatorChanges: strongestIndicatorChanges(stored) };
  await manager.query(UPSERT_CROSS_COUNTRY, [
    period.label,
    period.from,
    period.to,
    JSON.stringify(results.links),
    JSON.stringify(crossCountryFigures),
    results.computedAt.toISOString(),
    runId,
  ]);
  await manager.query(
    `UPDATE learning_summary_runs SET status = 'completed', progress = 100, error = NULL, finished_at = now(), updated_at = now() WHERE id = $1`,
    [runId],
  );
  await audit.record(manager, SYSTEM_ACTOR, {
    action: 'complete',
    entity: 'learning_summary_run',
    entityId: runId,
    changes: { status: { to: 'completed' }, summaries: { to: rows.length } },
  });
}
