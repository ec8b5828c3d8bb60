import { Pool } from 'pg';
import { verifyAuditChain } from './processes';

/** The countries the migrations seed (reference data, not a write of anyone's): the rest came through the API. */
const SEEDED_COUNTRIES = ['NP', 'IQ', 'LY', 'TZ', 'YE', 'BF', 'ML', 'NE', 'NG', 'TN', 'SN'];

/**
 * Tables whose rows the drills create, with the audit entity name their create events use, the
 * column the events name them by and which rows count (all but the seeded countries).
 */
const AUDITED_TABLES: [table: string, entity: string, key?: string, rows?: string][] = [
  ['countries', 'country', 'code', `code NOT IN (${SEEDED_COUNTRIES.map((c) => `'${c}'`).join(', ')})`],
  ['network_links', 'network_link'],
  ['sessions', 'session'],
  ['participants', 'participant'],
  ['networks', 'network'],
  ['users', 'user'],
  ['partners', 'partner'],
  ['disputes', 'dispute'],
  ['police_partners', 'police_partner'],
  ['early_warnings', 'early_warning'],
  ['indicator_values', 'indicator_value'],
  ['initiatives', 'initiative'],
  ['learning_summary_runs', 'learning_summary_run'],
];

/**
 * The worker's writes of a run: a completed run has its `complete` event (the transaction that
 * stored its summaries), a failed one its `fail` event; every stored summary and cross-country
 * document was written by a run with a `complete` event. Each: [label, records, unaudited, phantom].
 */
const RUN_OUTCOMES_SQL = `
SELECT 'dispute transitions' AS table,
       (SELECT count(*)::int FROM dispute_history WHERE from_status IS NOT NULL) AS records,
       (SELECT count(*)::int FROM disputes d WHERE
          (SELECT count(*) FROM dispute_history h WHERE h.dispute_id = d.id AND h.from_status IS NOT NULL) <>
          (SELECT count(*) FROM audit_events e WHERE e.entity = 'dispute' AND e.action = 'transition' AND e.entity_id = d.id::text)) AS unaudited,
       0 AS phantom
UNION ALL
SELECT 'learning_summary_runs completed',
       (SELECT count(*)::int FROM learning_summary_runs WHERE status = 'completed') AS records,
       (SELECT count(*)::int FROM learning_summary_runs r WHERE r.status = 'completed' AND NOT EXISTS
          (SELECT 1 FROM audit_events e WHERE e.entity = 'learning_summary_run' AND e.action = 'complete' AND e.entity_id = r.id::text)) AS unaudited,
       (SELECT count(*)::int FROM audit_events e WHERE e.entity = 'learning_summary_run' AND e.action = 'complete' AND NOT EXISTS
          (SELECT 1 FROM learning_summary_runs r WHERE r.id::text = e.entity_id AND r.status = 'completed')) AS phantom
UNION ALL
SELECT 'learning_summary_runs failed',
       (SELECT count(*)::int FROM learning_summary_runs WHERE status = 'failed'),
       (SELECT count(*)::int FROM learning_summary_runs r WHERE r.status = 'failed' AND NOT EXISTS
          (SELECT 1 FROM audit_events e WHERE e.entity = 'learning_summary_run' AND e.action = 'fail' AND e.entity_id = r.id::text)),
       (SELECT count(*)::int FROM audit_events e WHERE e.entity = 'learning_summary_run' AND e.action = 'fail' AND NOT EXISTS
          (SELECT 1 FROM learning_summary_runs r WHERE r.id::text = e.entity_id AND r.status = 'failed'))
UNION ALL
SELECT 'learning_summaries', count(*)::int,
       count(*) FILTER (WHERE NOT EXISTS (SELECT 1 FROM audit_events e WHERE e.entity = 'learning_summary_run' AND e.action = 'complete' AND e.entity_id = s.run_id::text))::int, 0
  FROM learning_summaries s
UNION ALL
SELECT 'learning_summary_cross_country', count(*)::int,
       count(*) FILTER (WHERE NOT EXISTS (SELECT 1 FROM audit_events e WHERE e.entity = 'learning_summary_run' AND e.action = 'complete' AND e.entity_id = c.run_id::text))::int, 0
  FROM learning_summary_cross_country c`;

export interface AuditCheck {
  chainOk: boolean;
  chainOutput: string;
  events: number;
  /** Per table: rows, rows without a create event, create events without a row. */
  entities: { table: string; records: number; unaudited: number; phantom: number }[];
  unaudited: number;
}

/**
 * Audit integrity after a drill: `audit:verify` (the hash chain, on the drill database) passes,
 * every record the drill created has its create event and vice versa, every dispute transition
 * its transition event, and every run outcome and stored summary has the event of the write that
 * made it, counted in SQL.
 */
export async function checkAudit(db: Pool, databaseUrl: string): Promise<AuditCheck> {
  const chain = verifyAuditChain(databaseUrl);
  const entities: AuditCheck['entities'] = [];
  for (const [table, entity, key = 'id', which = 'TRUE'] of AUDITED_TABLES) {
    const { rows } = await db.query<{ records: number; unaudited: number; phantom: number }>(
      `SELECT (SELECT count(*)::int FROM ${table} t WHERE ${which}) AS records,
              (SELECT count(*)::int FROM ${table} t WHERE ${which} AND NOT EXISTS
                 (SELECT 1 FROM audit_events e WHERE e.entity = $1 AND e.action = 'create' AND e.entity_id = t.${key}::text)) AS unaudited,
              (SELECT count(*)::int FROM audit_events e WHERE e.entity = $1 AND e.action = 'create' AND NOT EXISTS
                 (SELECT 1 FROM ${table} t WHERE t.${key}::text = e.entity_id)) AS phantom`,
      [entity],
    );
    entities.push({ table, ...rows[0] });
  }
  entities.push(...(await db.query<AuditCheck['entities'][number]>(RUN_OUTCOMES_SQL)).rows);
  return {
    chainOk: chain.ok,
    chainOutput: chain.output,
    events: chain.events,
    entities,
    unaudited: entities.reduce((sum, e) => sum + e.unaudited + e.phantom, 0),
  };
}
