import { createHash } from 'node:crypto';

export const GENESIS_HASH = '0'.repeat(64);

/**
 * JSON with object keys sorted at every level, so that a value hashes the same after a jsonb round
 * trip. Audit hashes and stored request hashes depend on its exact output: it must never change.
 * (Written as loops over sorted keys: it runs on every POST body and audit row.)
 */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value ?? null);
  if (value instanceof Date) return JSON.stringify(value.toISOString());
  if (Array.isArray(value)) {
    let out = '[';
    for (let i = 0; i < value.length; i++) {
      if (i > 0) out += ',';
      // A hole (never in parsed JSON) stays empty, as Array#map + join left it.
      if (i in value) out += canonicalJson(value[i]);
    }
    return `${out}]`;
  }
  const record = value as Record<string, unknown>;
  // Default sort order is UTF-16 code units, the order `<` gives strings.
  const keys = Object.keys(record).sort();
  let out = '{';
  let first = true;
  for (const key of keys) {
    const v = record[key];
    if (v === undefined) continue;
    out += `${first ? '' : ','}${JSON.stringify(key)}:${canonicalJson(v)}`;
    first = false;
  }
  return `${out}}`;
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
