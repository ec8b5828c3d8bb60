import { EntityManager } from 'typeorm';
import { RequestContext } from '../common/context/request-context';
import { readableIds } from '../common/scope/readable-ids';
import { mayReadPersonRecords, PARTICIPANT_TABLE, POLICE_PARTNER_TABLE } from '../people/personal-data';
import { PARTNER_TABLE } from '../programme/references';
import { mayViewFreeText, unseal } from '../common/crypto/free-text';
import { PersonalDataCipher } from '../common/crypto/personal-data-cipher';
import { ActionPoint } from './action-point.entity';
import { ActionPointDto, AttendanceRecordDto, SessionDto } from './dto/session.dto';
import { SessionAttendance } from './session-attendance.entity';
import { FIELD_WORK_CIPHER, openSessionText, ShownSessionText, WITHHELD_SESSION_TEXT } from './session-text';
import { Session } from './session.entity';

type SessionFields = Omit<SessionDto, 'attendance' | 'actionPoints'>;
type SessionColumns = Omit<Session, 'textEnc' | 'network' | 'country' | 'facilitatorPartner'>;

/**
 * From an entity read back, or from what insertSession() wrote; `text` as the caller may see it.
 * Without `people` (mayReadPersonRecords) the counts of who attended are null: exact counts of one
 * session would undo the metrics' disclosure control.
 */
export function sessionFields(s: SessionColumns, text: ShownSessionText, people = true): SessionFields {
  return {
    id: s.id,
    networkId: s.networkId,
    countryCode: s.countryCode,
    title: text.title,
    kind: s.kind,
    heldOn: s.heldOn,
    durationMinutes: s.durationMinutes,
    place: text.place,
    facilitatorPartnerId: s.facilitatorPartnerId,
    topics: s.topics,
    summary: text.summary,
    unnamedAttendance: people ? { women: s.unnamedWomen, men: s.unnamedMen, youth: s.unnamedYouth } : { women: null, men: null, youth: null },
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

/** `description` in clear, or null when withheld. */
export function actionPointDto(a: Omit<ActionPoint, 'descriptionEnc' | 'session'>, description: string | null): ActionPointDto {
  return {
    id: a.id,
    sessionId: a.sessionId,
    description,
    dueOn: a.dueOn,
    status: a.status,
    version: a.version,
    createdAt: a.createdAt.toISOString(),
    updatedAt: a.updatedAt.toISOString(),
  };
}

/** An action point as the caller may see it (`countryCode`: its session's). */
export function shownActionPoint(cipher: PersonalDataCipher, ctx: RequestContext, countryCode: string, a: ActionPoint): ActionPointDto {
  return actionPointDto(a, unseal(cipher, mayViewFreeText(ctx, countryCode), a.descriptionEnc, FIELD_WORK_CIPHER.actionPointDescription));
}

/** The session's free text as the caller may see it. */
export function shownSessionText(cipher: PersonalDataCipher, ctx: RequestContext, s: Pick<Session, 'countryCode' | 'textEnc'>): ShownSessionText {
  return mayViewFreeText(ctx, s.countryCode) ? openSessionText(cipher, s.textEnc) : WITHHELD_SESSION_TEXT;
}

/**
 * The full record of one session the caller may see: three queries, whatever its size, and for
 * roles that do not see everything one per kind of record it names. Attendees and the
 * facilitating partner are named only when the caller may read them (readableIds): country staff
 * may record people of any network of the country, and a partner user of the session's network
 * is not to learn who they are or which other partner facilitated.
 */
export async function loadSessionDto(manager: EntityManager, cipher: PersonalDataCipher, ctx: RequestContext, session: Session): Promise<SessionDto> {
  // Sequential: inside a transaction both run on one connection anyway.
  const attendance = await manager.find(SessionAttendance, { where: { sessionId: session.id }, order: { position: 'ASC' } });
  const actionPoints = await manager.find(ActionPoint, { where: { sessionId: session.id }, order: { position: 'ASC' } });
  const participants = await readableIds(manager, ctx, PARTICIPANT_TABLE, attendance.map((a) => a.participantId));
  const police = await readableIds(manager, ctx, POLICE_PARTNER_TABLE, attendance.map((a) => a.policePartnerId));
  const facilitator = await readableIds(manager, ctx, PARTNER_TABLE, [session.facilitatorPartnerId]);
  return {
    ...sessionFields(session, shownSessionText(cipher, ctx, session), mayReadPersonRecords(ctx)),
    facilitatorPartnerId: session.facilitatorPartnerId && facilitator.has(session.facilitatorPartnerId) ? session.facilitatorPartnerId : null,
    attendance: attendance
      .filter((a) => (a.participantId ? participants.has(a.participantId) : police.has(a.policePartnerId!)))
      .map(attendanceRecord),
    actionPoints: actionPoints.map((a) => shownActionPoint(cipher, ctx, session.countryCode, a)),
  };
}
