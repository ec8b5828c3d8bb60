import { randomUUID } from 'node:crypto';
import { EntityManager } from 'typeorm';
import { ActionPointStatus, AttendanceRole } from './field-work-enums';
import { SessionDto } from './dto/session.dto';
import { actionPointDto, attendanceRecord, sessionFields } from './session-mapper';

/** The session's own columns, as createIn() checked and filled them in. */
export interface NewSessionFields {
  networkId: string;
  countryCode: string;
  title: string;
  kind: SessionDto['kind'];
  heldOn: string;
  durationMinutes: number | null;
  place: string | null;
  facilitatorPartnerId: string | null;
  topics: SessionDto['topics'];
  summary: string | null;
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

interface Returned {
  id: string | null;
  version: number;
  createdAt: Date;
  updatedAt: Date;
}

const INSERT_SESSION = `
WITH s AS (
  INSERT INTO sessions (id, network_id, country_code, title, kind, held_on, duration_minutes, place, facilitator_partner_id, topics, summary,
                        unnamed_women, unnamed_men, unnamed_youth)
  VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)
  RETURNING version, created_at, updated_at),
a AS (
  INSERT INTO session_attendance (id, session_id, participant_id, police_partner_id, role, position)
  SELECT x.id, $1, x.participant_id, x.police_partner_id, x.role, x.n - 1
    FROM unnest($15::uuid[], $16::uuid[], $17::uuid[], $18::text[]) WITH ORDINALITY AS x(id, participant_id, police_partner_id, role, n)),
ap AS (
  INSERT INTO action_points (id, session_id, description, due_on, status, position)
  SELECT x.id, $1, x.description, x.due_on, x.status, x.n - 1
    FROM unnest($19::uuid[], $20::text[], $21::date[], $22::text[]) WITH ORDINALITY AS x(id, description, due_on, status, n)
  RETURNING id, version, created_at, updated_at)
SELECT NULL::uuid AS id, version, created_at AS "createdAt", updated_at AS "updatedAt" FROM s
UNION ALL
SELECT id, version, created_at, updated_at FROM ap`;

/**
 * Writes a session with its attendance and action points in one statement, and answers with the
 * record as GET /sessions/{id} shows it: what was written, plus the columns PostgreSQL filled in
 * (version, timestamps) from RETURNING, so there is nothing to read back. The caller has checked
 * every reference and runs this in the write's transaction.
 */
export async function insertSession(
  manager: EntityManager,
  fields: NewSessionFields,
  attendance: readonly NewAttendance[],
  actionPoints: readonly NewActionPoint[],
): Promise<SessionDto> {
  const id = randomUUID();
  const points = actionPoints.map((p) => ({ id: randomUUID(), description: p.description, dueOn: p.dueOn ?? null, status: p.status ?? 'open' }));
  const rows: Returned[] = await manager.query(INSERT_SESSION, [
    id, fields.networkId, fields.countryCode, fields.title, fields.kind, fields.heldOn, fields.durationMinutes, fields.place,
    fields.facilitatorPartnerId, fields.topics, fields.summary, fields.unnamedWomen, fields.unnamedMen, fields.unnamedYouth,
    attendance.map(() => randomUUID()), attendance.map((a) => a.participantId ?? null), attendance.map((a) => a.policePartnerId ?? null),
    attendance.map((a) => a.role),
    points.map((p) => p.id), points.map((p) => p.description), points.map((p) => p.dueOn), points.map((p) => p.status),
  ]);
  const session = rows.find((r) => r.id === null)!;
  const returned = new Map(rows.map((r) => [r.id, r]));
  // Mapped exactly as loadSessionDto() maps a session read back, so the POST answer equals a later GET.
  return {
    ...sessionFields({ id, ...fields, version: session.version, archivedAt: null, createdAt: session.createdAt, updatedAt: session.updatedAt }),
    attendance: attendance.map(attendanceRecord),
    actionPoints: points.map((p, position) => {
      const { version, createdAt, updatedAt } = returned.get(p.id)!;
      return actionPointDto({ ...p, sessionId: id, position, version, createdAt, updatedAt });
    }),
  };
}
