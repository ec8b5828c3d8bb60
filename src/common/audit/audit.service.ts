import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { RequestContext } from '../context/request-context';
import type { IdempotencyClaim, PreparedResponse } from '../idempotency/idempotency.service';
import { auditMaterialAroundSeq, EventFields } from './audit-chain';

export interface AuditActor {
  kind: 'user' | 'api_key' | 'system';
  id: string | null;
  role: string | null;
  /** For tracing only: the client may choose it (X-Request-Id), so nothing is ever found by it. */
  requestId: string | null;
  /** The claim of the request's Idempotency-Key, which the write marks committed (see IdempotencyService). */
  idempotency?: IdempotencyClaim;
}

/** Writes made by the system itself (bootstrap admin, housekeeping). */
export const SYSTEM_ACTOR: AuditActor = { kind: 'system', id: null, role: null, requestId: null };

export function actorOf(ctx: RequestContext): AuditActor {
  return { kind: ctx.principal.kind, id: ctx.principal.id, role: ctx.principal.role, requestId: ctx.requestId, idempotency: ctx.idempotency };
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
 *
 * On an update (`before` given) a field whose new value is `undefined` was not sent and is left
 * out: validated DTO instances carry every declared property, unsent ones as `undefined`, and
 * merging one over the current record (`{ ...before, ...dto }`) used to record every unsent field
 * as changed to null. A client clears a field by sending `null`, which is recorded.
 */
export function diffChanges(
  before: Record<string, unknown> | null,
  after: Record<string, unknown>,
  sensitive: readonly string[] = [],
): Record<string, { from?: unknown; to?: unknown }> {
  const changes: Record<string, { from?: unknown; to?: unknown }> = {};
  for (const [field, to] of Object.entries(after)) {
    if (before && to === undefined) continue;
    const from = before ? before[field] : undefined;
    if (before && JSON.stringify(from) === JSON.stringify(to)) continue;
    const hide = sensitive.includes(field);
    changes[field] = before
      ? { from: hide ? REDACTED : (from ?? null), to: hide ? REDACTED : (to ?? null) }
      : { to: hide ? REDACTED : (to ?? null) };
  }
  return changes;
}

/**
 * An audit event to be staged by the write's own statement: `ctes` go into its WITH list,
 * `marked` into its select list, and `settle` is called with that column's value once the
 * statement has run.
 */
export interface AuditStaging {
  ctes: string;
  params: unknown[];
  /** 1 when the request's Idempotency-Key was marked as committed with the write, else 0. */
  marked: string;
  settle(marked: number): void;
}

@Injectable()
export class AuditService {
  /**
   * Records one event inside the caller's transaction, so the event exists if and only if the
   * write commits. The event is staged here and linked into the hash chain by the database while
   * the transaction commits (migration AuditChainAtCommit), so its seq and hash exist only after
   * COMMIT and no writer waits for another before then. `response` (IdempotencyService.prepare)
   * is stored with the key in the same statement.
   */
  async record(manager: EntityManager, actor: AuditActor, entry: AuditEntry, response?: PreparedResponse): Promise<void> {
    const staging = this.staging(manager, actor, entry, response, 1);
    const [{ marked }] = (await manager.query(`WITH ${staging.ctes} SELECT ${staging.marked} AS marked`, staging.params)) as { marked: number }[];
    staging.settle(marked);
  }

  /**
   * What record() does, as parts of the caller's own statement (parameters from `$firstParam`),
   * for a write that can ill afford another round trip (POST /sessions, each operation of a sync batch).
   */
  staging(manager: EntityManager, actor: AuditActor, entry: AuditEntry, response: PreparedResponse | undefined, firstParam: number): AuditStaging {
    if (!manager.queryRunner?.isTransactionActive) {
      throw new Error('AuditService.record must run inside the transaction of the write it records');
    }
    const fields = {
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
    } satisfies EventFields;
    const { before, after } = auditMaterialAroundSeq(fields);
    const $ = (n: number) => `$${firstParam + n - 1}`;
    const params: unknown[] = [fields.id, fields.occurredAt, fields.actorKind, fields.actorId, fields.actorRole, fields.action,
      fields.entity, fields.entityId, JSON.stringify(fields.changes), fields.requestId, before, after];
    let ctes = `audit_staged AS (
      INSERT INTO audit_pending (id, occurred_at, actor_kind, actor_id, actor_role, action, entity, entity_id, changes,
          request_id, material_before, material_after)
        VALUES (${$(1)}, ${$(2)}, ${$(3)}, ${$(4)}, ${$(5)}, ${$(6)}, ${$(7)}, ${$(8)}, ${$(9)}::jsonb, ${$(10)}, ${$(11)}, ${$(12)}))`;
    const claim = actor.idempotency;
    if (!claim) return { ctes, params, marked: '0', settle: () => undefined };
    // Every write is audited in its own transaction, so this is the one place that can mark an
    // Idempotency-Key as committed atomically with the write: a retry after a crash between
    // commit and storing the response then gets a 409 instead of a duplicate. In the staging
    // statement, to save a round trip. With a prepared response the key goes straight to
    // `completed`: the response commits with the write. Matched by the caller, the key and the
    // claim's server-made token (the primary key plus one column), never by the request id.
    ctes += `, idempotency_committed AS (
      UPDATE idempotency_keys
         SET state = CASE WHEN ${$(16)}::int IS NULL THEN 'committed' ELSE 'completed' END,
             response_status = ${$(16)}, response_body = ${$(17)}::jsonb, response_location = ${$(18)}
       WHERE principal_key = ${$(13)} AND key = ${$(14)} AND claim_token = ${$(15)}::uuid AND state = 'in_progress' RETURNING 1)`;
    params.push(claim.principalKey, claim.key, claim.claimToken, response?.status ?? null, response?.sealed ?? null, response?.location ?? null);
    return {
      ctes,
      params,
      marked: '(SELECT count(*)::int FROM idempotency_committed)',
      settle: (marked) => {
        if (response && marked > 0) response.handle.stored = response;
      },
    };
  }
}
