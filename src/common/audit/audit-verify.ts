import type { ClientBase } from 'pg';
import { auditHash, GENESIS_HASH } from './audit-chain';

export interface AuditVerification {
  ok: boolean;
  checked: number;
  /** The first row that does not match the chain, and why. */
  brokenAt?: { seq: string; reason: string };
}

interface Row {
  seq: string;
  id: string;
  occurred_at: Date;
  actor_kind: string;
  actor_id: string | null;
  actor_role: string | null;
  action: string;
  entity: string;
  entity_id: string;
  changes: Record<string, unknown>;
  request_id: string | null;
  prev_hash: string;
  hash: string;
}

const BATCH = 5_000;

/**
 * Walks the whole chain in order and recomputes every hash: an edited row breaks its own hash, a
 * deleted row leaves a gap in seq, and a re-hashed forgery breaks the next row's prev_hash.
 */
export async function verifyAuditChain(client: ClientBase): Promise<AuditVerification> {
  let expectedSeq = 1n;
  let prevHash = GENESIS_HASH;
  let checked = 0;
  for (;;) {
    const { rows } = await client.query<Row>('SELECT * FROM audit_events WHERE seq >= $1 ORDER BY seq LIMIT $2', [
      expectedSeq.toString(),
      BATCH,
    ]);
    if (!rows.length) return { ok: true, checked };
    for (const row of rows) {
      const fail = (reason: string): AuditVerification => ({ ok: false, checked, brokenAt: { seq: row.seq, reason } });
      if (BigInt(row.seq) !== expectedSeq) return fail(`expected seq ${expectedSeq}: rows are missing`);
      if (row.prev_hash !== prevHash) return fail('prev_hash does not match the previous row');
      const recomputed = auditHash({
        seq: row.seq,
        id: row.id,
        occurredAt: row.occurred_at,
        actorKind: row.actor_kind,
        actorId: row.actor_id,
        actorRole: row.actor_role,
        action: row.action,
        entity: row.entity,
        entityId: row.entity_id,
        changes: row.changes,
        requestId: row.request_id,
        prevHash: row.prev_hash,
      });
      if (recomputed !== row.hash) return fail('the row was altered after it was written');
      prevHash = row.hash;
      expectedSeq += 1n;
      checked += 1;
    }
  }
}
