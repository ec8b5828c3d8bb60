import { randomUUID } from 'node:crypto';
import { PoolClient } from 'pg';
import { auditMaterialAroundSeq } from '../../src/common/audit/audit-chain';
import { REDACTED } from '../../src/common/audit/audit.service';
import { personalDataCipherFrom } from '../../src/common/crypto/cipher-from-config';
import { PersonalDataCipher } from '../../src/common/crypto/personal-data-cipher';
import { loadConfig } from '../../src/config/app-config';
import { FIELD_WORK_CIPHER, sealSessionText } from '../../src/field-work/session-text';
import { BENCH_COUNTRY, BenchKey } from '../lib/bench-keys';
import { withClient } from '../lib/bench-database';

/** Networks and consenting participants of the bench country, the references a new session names. */
export interface SessionFixtures {
  networks: string[];
  participants: string[];
}

export async function loadSessionFixtures(database: string): Promise<SessionFixtures> {
  return withClient(database, async (client) => {
    const networks = await client.query<{ id: string }>(
      `SELECT id FROM networks WHERE country_code = $1 AND archived_at IS NULL ORDER BY id LIMIT 50`, [BENCH_COUNTRY]);
    const participants = await client.query<{ id: string }>(
      `SELECT id FROM participants WHERE country_code = $1 AND consent_given AND archived_at IS NULL ORDER BY id LIMIT 800`, [BENCH_COUNTRY]);
    return { networks: networks.rows.map((r) => r.id), participants: participants.rows.map((r) => r.id) };
  });
}

export interface NewSession {
  networkId: string;
  title: string;
  kind: 'dialogue';
  heldOn: string;
  durationMinutes: number;
  topics: string[];
  attendance: { participantId: string; role: 'attendee' | 'facilitator' }[];
  actionPoints: { description: string; dueOn: string }[];
  unnamedAttendance: { women: number; men: number; youth: number };
}

/** Body i of POST /sessions: 8 named attendees and 2 action points, as the issue asks. */
export function sessionBody(f: SessionFixtures, i: number): NewSession {
  const start = (i * 8) % (f.participants.length - 8);
  return {
    networkId: f.networks[i % f.networks.length],
    title: `Bench dialogue ${i}`,
    kind: 'dialogue',
    heldOn: '2025-05-20',
    durationMinutes: 120,
    topics: ['crime', 'police_conduct'],
    attendance: f.participants.slice(start, start + 8).map((participantId, k) => ({ participantId, role: k === 0 ? 'facilitator' : 'attendee' })),
    actionPoints: [
      { description: 'Police to attend the next market-day meeting', dueOn: '2025-06-15' },
      { description: 'Elders to report back on the land case', dueOn: '2025-06-30' },
    ],
    unnamedAttendance: { women: 4, men: 6, youth: 3 },
  };
}

export interface FloorActor {
  key: BenchKey;
  /** Extra row the API writes with the session: the Idempotency-Key or the sync operation claim. */
  claim: { kind: 'idempotency'; key: string; responseBody: string } | { kind: 'sync'; clientId: string; hash: string };
}

/**
 * The floor of one session write: the same reference checks (one query), the same rows (session,
 * attendance, action points, the idempotency or sync claim, the chained audit event) in one
 * transaction, with as few round trips as PostgreSQL allows.
 *
 * An Idempotency-Key is claimed in a statement of its own before the transaction, as any
 * implementation of the contract must: "a request arriving while the first with that key is still
 * running gets 409" (docs/api.md) needs the claim visible to other connections while the write
 * runs, i.e. committed before it. The response is then stored inside the write's transaction
 * (one UPDATE of the claimed row), which is the least the contract allows.
 */
let floorCipher: PersonalDataCipher | undefined;

export async function writeSessionFloor(client: PoolClient, body: NewSession, actor: FloorActor): Promise<void> {
  // The same rows as the API's: the free text encrypted (with the bench's configured key).
  floorCipher ??= personalDataCipherFrom(loadConfig());
  const id = randomUUID();
  const principalKey = `api_key:${actor.key.id}`;
  const participantIds = body.attendance.map((a) => a.participantId);
  const claimToken = randomUUID();
  if (actor.claim.kind === 'idempotency') {
    await client.query(
      `INSERT INTO idempotency_keys (principal_key, key, request_hash, state, claim_token, lease_until, created_at, expires_at)
       VALUES ($1, $2::text, repeat('0', 64), 'in_progress', $3, now() + interval '60 seconds', now(), now() + interval '168 hours')`,
      [principalKey, actor.claim.key, claimToken],
    );
  }
  await client.query('BEGIN');
  const { rows } = await client.query<{ country: string | null; ok: number }>(
    `SELECT (SELECT country_code FROM networks WHERE id = $1 AND archived_at IS NULL AND country_code = ANY($3)) AS country,
            (SELECT count(*)::int FROM participants WHERE id = ANY($2) AND archived_at IS NULL AND country_code = ANY($3) AND consent_given) AS ok`,
    [body.networkId, participantIds, actor.key.countryCodes],
  );
  if (!rows[0].country || rows[0].ok !== participantIds.length) throw new Error('floor: a reference check failed');
  // The audit event, staged in the same statement: the database chains it while the transaction commits.
  const event = {
    id: randomUUID(), occurredAt: new Date(), actorKind: 'api_key', actorId: actor.key.id, actorRole: actor.key.role,
    action: 'create', entity: 'session', entityId: id, changes: { title: { to: REDACTED }, attendance: { to: 8 }, actionPoints: { to: 2 } }, requestId: randomUUID(),
  };
  const material = auditMaterialAroundSeq(event);
  const claimSql = actor.claim.kind === 'idempotency'
    ? `UPDATE idempotency_keys SET state = 'completed', response_status = 201, response_body = $19::jsonb, response_location = '/api/v1/sessions/' || $1
        WHERE principal_key = $17 AND key = $18::text AND claim_token = $32 AND state = 'in_progress'`
    : `INSERT INTO sync_operations (principal_key, client_id, resource, method, request_hash, status, resource_id, created_at)
       VALUES ($17, $18::text::uuid, 'sessions', 'POST', $19, 201, $1, now())`;
  await client.query(
    `WITH s AS (
       INSERT INTO sessions (id, network_id, country_code, text_enc, kind, held_on, duration_minutes, topics, unnamed_women, unnamed_men, unnamed_youth)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)),
     a AS (INSERT INTO session_attendance (id, session_id, participant_id, police_partner_id, role, position)
       SELECT gen_random_uuid(), $1, p, NULL, r, o - 1 FROM unnest($12::uuid[], $13::text[]) WITH ORDINALITY AS x(p, r, o)),
     ap AS (INSERT INTO action_points (id, session_id, description_enc, due_on, status, position)
       SELECT gen_random_uuid(), $1, d, due, 'open', o - 1 FROM unnest($14::text[], $15::date[]) WITH ORDINALITY AS x(d, due, o)),
     c AS (${claimSql}),
     e AS (INSERT INTO audit_pending (id, occurred_at, actor_kind, actor_id, actor_role, action, entity, entity_id, changes, request_id, material_before, material_after)
       VALUES ($20, $21, $22, $23, $24, $25, $26, $27, $28::jsonb, $29, $30, $31))
     SELECT $16::int AS done`,
    [id, body.networkId, rows[0].country, sealSessionText(floorCipher, { title: body.title, place: null, summary: null }), body.kind, body.heldOn, body.durationMinutes, body.topics,
     body.unnamedAttendance.women, body.unnamedAttendance.men, body.unnamedAttendance.youth,
     participantIds, body.attendance.map((a) => a.role), body.actionPoints.map((p) => floorCipher!.encrypt(p.description, FIELD_WORK_CIPHER.actionPointDescription)), body.actionPoints.map((p) => p.dueOn), 1,
     principalKey, actor.claim.kind === 'idempotency' ? actor.claim.key : actor.claim.clientId,
     actor.claim.kind === 'idempotency' ? actor.claim.responseBody : actor.claim.hash,
     event.id, event.occurredAt, event.actorKind, event.actorId, event.actorRole, event.action, event.entity, event.entityId,
     JSON.stringify(event.changes), event.requestId, material.before, material.after,
     ...(actor.claim.kind === 'idempotency' ? [claimToken] : [])],
  );
  await client.query('COMMIT');
}
