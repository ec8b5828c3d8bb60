import { createHash } from 'node:crypto';

export const GENESIS_HASH = '0'.repeat(64);

/** JSON with object keys sorted at every level, so that a value hashes the same after a jsonb round trip. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value ?? null);
  if (value instanceof Date) return JSON.stringify(value.toISOString());
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
}

export interface ChainedFields {
  seq: string;
  id: string;
  occurredAt: Date;
  actorKind: string;
  actorId: string | null;
  actorRole: string | null;
  action: string;
  entity: string;
  entityId: string;
  changes: Record<string, unknown>;
  requestId: string | null;
  prevHash: string;
}

/** The hash of one audit row: everything it records plus the previous row's hash. */
export function auditHash(row: ChainedFields): string {
  const material = canonicalJson({
    seq: String(row.seq),
    id: row.id,
    occurredAt: row.occurredAt.toISOString(),
    actorKind: row.actorKind,
    actorId: row.actorId,
    actorRole: row.actorRole,
    action: row.action,
    entity: row.entity,
    entityId: row.entityId,
    changes: row.changes,
    requestId: row.requestId,
  });
  return createHash('sha256').update(row.prevHash).update('\n').update(material).digest('hex');
}
