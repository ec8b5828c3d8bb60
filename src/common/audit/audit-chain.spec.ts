import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { auditHash, canonicalJson, GENESIS_HASH } from './audit-chain';

/** The first implementation, kept as the reference: hashes already stored were made with it. */
function reference(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value ?? null);
  if (value instanceof Date) return JSON.stringify(value.toISOString());
  if (Array.isArray(value)) return `[${value.map(reference).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${reference(v)}`).join(',')}}`;
}

describe('canonicalJson', () => {
  it('writes exactly what the first implementation wrote, for any JSON-like value', () => {
    const value = fc.letrec((tie) => ({
      any: fc.oneof({ depthSize: 'small' }, fc.constantFrom(null, undefined, true, false), fc.double(), fc.integer(), fc.string({ unit: 'binary' }), fc.date({ noInvalidDate: true }),
        fc.array(tie('any'), { maxLength: 5 }), fc.dictionary(fc.string({ unit: 'binary' }), tie('any'), { maxKeys: 6 })),
    })).any;
    fc.assert(fc.property(value, (v) => canonicalJson(v) === reference(v)), { numRuns: 2_000 });
  });

  it('sorts keys at every level and drops undefined members', () => {
    assert.equal(canonicalJson({ b: 1, a: { d: [1, { z: 1, y: undefined }], c: null }, é: 2, Z: 3 }), '{"Z":3,"a":{"c":null,"d":[1,{"z":1}]},"b":1,"é":2}');
    assert.equal(canonicalJson([undefined, new Date(0)]), '[null,"1970-01-01T00:00:00.000Z"]');
  });

  it('keeps the hash of a known audit row', () => {
    const row = {
      seq: '1', id: '00000000-0000-4000-8000-000000000001', occurredAt: new Date('2026-01-02T03:04:05.678Z'), actorKind: 'system', actorId: null, actorRole: null,
      action: 'create', entity: 'user', entityId: 'x', changes: { email: { to: 'a@b.c' } }, requestId: null, prevHash: GENESIS_HASH,
    };
    assert.equal(auditHash(row), auditHashOfReference(row));
  });
});

function auditHashOfReference(row: Parameters<typeof auditHash>[0]): string {
  const material = reference({
    seq: String(row.seq), id: row.id, occurredAt: row.occurredAt.toISOString(), actorKind: row.actorKind, actorId: row.actorId, actorRole: row.actorRole,
    action: row.action, entity: row.entity, entityId: row.entityId, changes: row.changes, requestId: row.requestId,
  });
  return createHash('sha256').update(row.prevHash).update('\n').update(material).digest('hex');
}
