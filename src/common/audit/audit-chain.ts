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

/** An event's fields that do not depend on the chain's head. */
export type EventFields = Omit<ChainedFields, 'seq' | 'prevHash'>;

/**
 * An event's hash material around its seq: the material is `before + JSON.stringify(seq) + after`.
 * The database links events into the chain as their transaction commits (migration
 * AuditChainAtCommit), so it finishes the hash once it knows the seq and the previous hash, from
 * these parts, with the bytes auditHash hashes. `seq` sorts after every other field name, so it
 * is the material's last member.
 */
export function auditMaterialAroundSeq(fields: EventFields): { before: string; after: string } {
  const rest = canonicalJson({
    id: fields.id,
    occurredAt: fields.occurredAt.toISOString(),
    actorKind: fields.actorKind,
    actorId: fields.actorId,
    actorRole: fields.actorRole,
    action: fields.action,
    entity: fields.entity,
    entityId: fields.entityId,
    changes: fields.changes,
    requestId: fields.requestId,
  });
  return { before: `${rest.slice(0, -1)},"seq":`, after: '}' };
}

/** The hash of one audit row: everything it records plus the previous row's hash. */
export function auditHash(row: ChainedFields): string {
  const { before, after } = auditMaterialAroundSeq(row);
  const material = `${before}${JSON.stringify(String(row.seq))}${after}`;
  return createHash('sha256').update(row.prevHash).update('\n').update(material).digest('hex');
}
