import { randomUUID } from 'node:crypto';
import { EntityManager } from 'typeorm';
import { AuditStaging } from '../common/audit/audit.service';
import { PersonalDataCipher } from '../common/crypto/personal-data-cipher';
import { ActionPointStatus, AttendanceRole } from './field-work-enums';
import { SessionDto } from './dto/session.dto';
import { actionPointDto, attendanceRecord, sessionFields } from './session-mapper';
import { FIELD_WORK_CIPHER, sealSessionText, SessionText, WITHHELD_SESSION_TEXT } from './session-text';

/** The session's own columns, as createIn() checked and filled them in (its free text in clear: sealed here). */
export interface NewSessionFields extends SessionText {
  networkId: string;
  countryCode: string;
  kind: SessionDto['kind'];
  heldOn: string;
  durationMinutes: number | null;
  facilitatorPartnerId: string | null;
  topics: SessionDto['topics'];
  unnamedWomen: number;
  unnamedMen: number;
  unnamedYouth: number;
}

export interface NewAttendance {
  participantId?: string;
  policePartnerId?: string;
  role: AttendanceRole;
}

export interface NewActionPoint {
  description: string;
  dueOn?: string | null;
  status?: ActionPointStatus;
}

const INSERT_SESSION = `
WITH s AS (
  INSERT INTO sessions (id, network_id, country_code, text_enc, kind, held_on, duration_minutes, facilitator_partner_id, topics,
                        unnamed_women, unnamed_men, unnamed_youth)
  VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)),
a AS (
  INSERT INTO session_attendance (id, session_id, participant_id, police_partner_id, role, position)
  SELECT x.id, $1, x.participant_id, x.police_partner_id, x.role, x.n - 1
    FROM unnest($13::uuid[], $14::uuid[], $15::uuid[], $16::text[]) WITH ORDINALITY AS x(id, participant_id, police_partner_id, role, n)),
ap AS (
  INSERT INTO action_points (id, session_id, description_enc, due_on, status, position)
  SELECT x.id, $1, x.description_enc, x.due_on, x.status, x.n - 1
    FROM unnest($17::uuid[], $18::text[], $19::date[], $20::text[]) WITH ORDINALITY AS x(id, description_enc, due_on, status, n))`;
/** The audit event's parameters follow the session's 20. */
const AUDIT_FIRST_PARAM = 21;

/** New rows start at version 1 (the column's default). */
const FIRST_VERSION = 1;

/**
 * Writes a session with its attendance, its action points and its audit event in one statement,
 * and answers with the record as GET /sessions/{id} shows it. The answer is known before the
 * insert: the ids are made here, and the columns PostgreSQL fills in are the version's default
 * and `writtenAt`, the transaction's timestamp (requireSessionReferences), which is what now()
 * gives created_at and updated_at in this transaction. So the audit event, and the answer stored
 * for an Idempotency-Key, go into the same statement (`stageAudit` is given the answer and the
 * number of its first parameter). The free text is encrypted here, in Node, before the insert;
 * `showText` says whether the answer shows it (mayViewFreeText). The caller has checked every
 * reference and runs this in the write's transaction.
 */
export async function insertSession(
  manager: EntityManager,
  cipher: PersonalDataCipher,
  showText: boolean,
  fields: NewSessionFields,
  attendance: readonly NewAttendance[],
  actionPoints: readonly NewActionPoint[],
  writtenAt: Date,
  stageAudit: (created: SessionDto, firstParam: number) => AuditStaging,
): Promise<SessionDto> {
  const id = randomUUID();
  const points = actionPoints.map((p) => ({ id: randomUUID(), description: p.description, dueOn: p.dueOn ?? null, status: p.status ?? 'open' }));
  const written = { version: FIRST_VERSION, createdAt: writtenAt, updatedAt: writtenAt };
  const { title, place, summary, ...columns } = fields;
  // Mapped exactly as loadSessionDto() maps a session read back, so the POST answer equals a later GET.
  const created: SessionDto = {
    ...sessionFields({ id, ...columns, ...written, archivedAt: null }, showText ? { title, place, summary } : WITHHELD_SESSION_TEXT),
    attendance: attendance.map(attendanceRecord),
    actionPoints: points.map((p, position) => actionPointDto({ ...p, sessionId: id, position, ...written }, showText ? p.description : null)),
  };
  const audit = stageAudit(created, AUDIT_FIRST_PARAM);
  const [{ marked }] = (await manager.query(`${INSERT_SESSION}, ${audit.ctes} SELECT ${audit.marked} AS marked`, [
    id, fields.networkId, fields.countryCode, sealSessionText(cipher, { title, place, summary }), fields.kind, fields.heldOn, fields.durationMinutes,
    fields.facilitatorPartnerId, fields.topics, fields.unnamedWomen, fields.unnamedMen, fields.unnamedYouth,
    attendance.map(() => randomUUID()), attendance.map((a) => a.participantId ?? null), attendance.map((a) => a.policePartnerId ?? null),
    attendance.map((a) => a.role),
    points.map((p) => p.id), points.map((p) => cipher.encrypt(p.description, FIELD_WORK_CIPHER.actionPointDescription)), points.map((p) => p.dueOn),
    points.map((p) => p.status),
    ...audit.params,
  ])) as { marked: number }[];
  audit.settle(marked);
  return created;
}
