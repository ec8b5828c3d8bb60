import { Pool } from 'pg';
import { verifyAuditChain } from './processes';

/** Tables whose rows the drills create, with the audit entity name their create events use. */
const AUDITED_TABLES: [table: string, entity: string][] = [
  ['sessions', 'session'],
  ['participants', 'participant'],
  ['networks', 'network'],
  ['users', 'user'],
];

export interface AuditCheck {
  chainOk: boolean;
  chainOutput: string;
  events: number;
  /** Per table: rows, rows without a create event, create events without a row. */
  entities: { table: string; records: number; unaudited: number; phantom: number }[];
  unaudited: number;
}

/**
 * Audit integrity after a drill: `audit:verify` (the hash chain, on the drill database) passes, and
 * every record the drill created has its create event and vice versa, counted in SQL.
 */
export async function checkAudit(db: Pool, databaseUrl: string): Promise<AuditCheck> {
  const chain = verifyAuditChain(databaseUrl);
  const entities: AuditCheck['entities'] = [];
  for (const [table, entity] of AUDITED_TABLES) {
    const { rows } = await db.query<{ records: number; unaudited: number; phantom: number }>(
      `SELECT (SELECT count(*)::int FROM ${table}) AS records,
              (SELECT count(*)::int FROM ${table} t WHERE NOT EXISTS
                 (SELECT 1 FROM audit_events e WHERE e.entity = $1 AND e.action = 'create' AND e.entity_id = t.id::text)) AS unaudited,
              (SELECT count(*)::int FROM audit_events e WHERE e.entity = $1 AND e.action = 'create' AND NOT EXISTS
                 (SELECT 1 FROM ${table} t WHERE t.id::text = e.entity_id)) AS phantom`,
      [entity],
    );
    entities.push({ table, ...rows[0] });
  }
  return {
    chainOk: chain.ok,
    chainOutput: chain.output,
    events: chain.events,
    entities,
    unaudited: entities.reduce((sum, e) => sum + e.unaudited + e.phantom, 0),
  };
}
