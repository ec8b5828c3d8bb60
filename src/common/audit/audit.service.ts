import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { RequestContext } from '../context/request-context';
import type { PreparedResponse } from '../idempotency/idempotency.service';
import { auditHash, GENESIS_HASH } from './audit-chain';
import { AuditEvent } from './audit-event.entity';

export interface AuditActor {
  kind: 'user' | 'api_key' | 'system';
  id: string | null;
  role: string | null;
  requestId: string | null;
  /** Set for requests with an Idempotency-Key (see IdempotencyService). */
  idempotent?: boolean;
}

/** Writes made by the system itself (bootstrap admin, housekeeping). */
export const SYSTEM_ACTOR: AuditActor = { kind: 'system', id: null, role: null, requestId: null };

export function actorOf(ctx: RequestContext): AuditActor {
  return { kind: ctx.principal.kind, id: ctx.principal.id, role: ctx.principal.role, requestId: ctx.requestId, idempotent: ctx.idempotent };
}

export interface AuditEntry {
  /** create | update | archive | restore | erase | transition | revoke | view_personal_data | … */
  action: string;
  /** The resource name as clients know it: `user`, `country`, `api_key`, `participant`, … */
  entity: string;
  entityId: string;
  changes?: Record<string, unknown>;
}

export const REDACTED = '[redacted]';

/**
 * `{ field: { from, to } }` for every field whose value differs; `sensitive` fields keep their
 * name but not their values, so the audit log never becomes a second copy of personal data.
 */
export function diffChanges(
  before: Record<string, unknown> | null,
  after: Record<string, unknown>,
  sensitive: readonly string[] = [],
): Record<string, { from?: unknown; to?: unknown }> {
  const changes: Record<string, { from?: unknown; to?: unknown }> = {};
  for (const [field, to] of Object.entries(after)) {
    const from = before ? before[field] : undefined;
    if (before && JSON.stringify(from) === JSON.stringify(to)) continue;
    const hide = sensitive.includes(field);
    changes[field] = before
      ? { from: hide ? REDACTED : (from ?? null), to: hide ? REDACTED : (to ?? null) }
      : { to: hide ? REDACTED : (to ?? null) };
  }
  return changes;
}

// Any constant works; it only has to be the same for every writer of the chain.
const AUDIT_CHAIN_LOCK = 7_412_001;

@Injectable()
export class AuditService {
  /**
   * Appends one event inside the caller's transaction, so the event exists if and only if the
   * write commits. Takes a transaction-scoped advisory lock to extend the hash chain one writer
   * at a time; call it as the last statement before commit to hold that lock briefly.
   * `response` (IdempotencyService.prepare) is stored with the key in the same statement.
   */
  async record(manager: EntityManager, actor: AuditActor, entry: AuditEntry, response?: PreparedResponse): Promise<AuditEvent> {
    if (!manager.queryRunner?.isTransactionActive) {
      throw new Error('AuditService.record must run inside the transaction of the write it records');
    }
    if (actor.idempotent && actor.requestId) {
      // Every write is audited in its own transaction, so this is the one place that can mark an
      // Idempotency-Key as committed atomically with the write: a retry after a crash between
      // commit and storing the response then gets a 409 instead of a duplicate. In the lock's
      // statement, to save a round trip: the key's row is this request's alone, so it waits for nobody.
      // With a prepared response the key goes straight to `completed`: the response commits with the write.
      const [{ marked }] = (await manager.query(
        `WITH committed AS (
           UPDATE idempotency_keys
              SET state = CASE WHEN $3::int IS NULL THEN 'committed' ELSE 'completed' END,
                  response_status = $3, response_body = $4::jsonb, response_location = $5
            WHERE request_id = $2 AND state = 'in_progress' RETURNING 1)
         SELECT pg_advisory_xact_lock($1), c.n AS marked FROM (SELECT count(*)::int AS n FROM committed) c`,
        [AUDIT_CHAIN_LOCK, actor.requestId, response?.status ?? null, response?.sealed ?? null, response?.location ?? null],
      )) as { marked: number }[];
      if (response && marked > 0) response.handle.stored = response;
    } else {
      await manager.query('SELECT pg_advisory_xact_lock($1)', [AUDIT_CHAIN_LOCK]);
    }
    // A statement of its own, after the lock: its snapshot must include the previous holder's event.
    const [last] = (await manager.query('SELECT seq, hash FROM audit_events ORDER BY seq DESC LIMIT 1')) as {
      seq: string;
      hash: string;
    }[];
    const row = {
      seq: String(last ? BigInt(last.seq) + 1n : 1n),
      id: randomUUID(),
      occurredAt: new Date(),
      actorKind: actor.kind,
      actorId: actor.id,
      actorRole: actor.role,
      action: entry.action,
      entity: entry.entity,
      entityId: entry.entityId,
      changes: entry.changes ?? {},
      requestId: actor.requestId,
      prevHash: last?.hash ?? GENESIS_HASH,
    };
    const event = manager.create(AuditEvent, { ...row, hash: auditHash(row) });
    await manager.query(
      `INSERT INTO audit_events (seq, id, occurred_at, actor_kind, actor_id, actor_role, action, entity, entity_id,
         changes, request_id, prev_hash, hash)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)`,
      [event.seq, event.id, event.occurredAt, event.actorKind, event.actorId, event.actorRole, event.action,
       event.entity, event.entityId, JSON.stringify(event.changes), event.requestId, event.prevHash, event.hash],
    );
    return event;
  }
}
