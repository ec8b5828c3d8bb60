import { EntityManager } from 'typeorm';
import { ActionPoint } from './action-point.entity';
import { ActionPointDto, AttendanceRecordDto, SessionDto } from './dto/session.dto';
import { SessionAttendance } from './session-attendance.entity';
import { Session } from './session.entity';

type SessionFields = Omit<SessionDto, 'attendance' | 'actionPoints'>;

/** From an entity read back, or from what insertSession() wrote plus its RETURNING. */
export function sessionFields(s: Session): SessionFields {
  return {
    id: s.id,
    networkId: s.networkId,
    countryCode: s.countryCode,
    title: s.title,
    kind: s.kind,
    heldOn: s.heldOn,
    durationMinutes: s.durationMinutes,
    place: s.place,
    facilitatorPartnerId: s.facilitatorPartnerId,
    topics: s.topics,
    summary: s.summary,
    unnamedAttendance: { women: s.unnamedWomen, men: s.unnamedMen, youth: s.unnamedYouth },
    version: s.version,
    archivedAt: s.archivedAt?.toISOString() ?? null,
    createdAt: s.createdAt.toISOString(),
    updatedAt: s.updatedAt.toISOString(),
  };
}

/** People by pseudonymous id only: names stay behind /participants and its access rules. */
export function attendanceRecord(a: { participantId?: string | null; policePartnerId?: string | null; role: AttendanceRecordDto['role'] }): AttendanceRecordDto {
  return a.participantId ? { participantId: a.participantId, role: a.role } : { policePartnerId: a.policePartnerId!, role: a.role };
}

export function actionPointDto(a: ActionPoint): ActionPointDto {
  return {
    id: a.id,
    sessionId: a.sessionId,
    description: a.description,
    dueOn: a.dueOn,
    status: a.status,
    version: a.version,
    createdAt: a.createdAt.toISOString(),
    updatedAt: a.updatedAt.toISOString(),
  };
}

/** The full record of one session the caller may see: three queries, whatever its size. */
export async function loadSessionDto(manager: EntityManager, session: Session): Promise<SessionDto> {
  // Sequential: inside a transaction both run on one connection anyway.
  const attendance = await manager.find(SessionAttendance, { where: { sessionId: session.id }, order: { position: 'ASC' } });
  const actionPoints = await manager.find(ActionPoint, { where: { sessionId: session.id }, order: { position: 'ASC' } });
  return {
    ...sessionFields(session),
    attendance: attendance.map(attendanceRecord),
    actionPoints: actionPoints.map(actionPointDto),
  };
}
