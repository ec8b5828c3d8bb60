import { DataSource } from 'typeorm';
import { RequestContext } from '../common/context/request-context';
import { applyKeyset, pageOf } from '../common/pagination/cursor';
import { applyScope } from '../common/scope/scope';
import { ListSessionsQueryDto, SessionPageDto, SessionSummaryDto } from './dto/session.dto';
import { Session } from './session.entity';

/** Where a session keeps the facts that decide who sees it (common/scope). */
export const SESSION_SCOPE = { country: 's.country_code', network: 's.network_id' };

/**
 * An instant as Date#toISOString() writes it (UTC, milliseconds truncated like the pg driver's
 * Date), formatted by PostgreSQL: parsing 150 timestamps per page into Dates only to print them
 * again was a visible share of the list's CPU profile.
 */
const iso = (column: string) => `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

/** The session columns a list item shows, read as plain values (dates as `YYYY-MM-DD`). */
const COLUMNS: [string, string][] = [
  ['s.id', 'id'], ['s.network_id', 'networkId'], ['s.country_code', 'countryCode'], ['s.title', 'title'], ['s.kind', 'kind'],
  [`to_char(s.held_on, 'YYYY-MM-DD')`, 'heldOn'], ['s.duration_minutes', 'durationMinutes'], ['s.place', 'place'],
  ['s.facilitator_partner_id', 'facilitatorPartnerId'], ['s.topics', 'topics'], ['s.summary', 'summary'],
  ['s.unnamed_women', 'unnamedWomen'], ['s.unnamed_men', 'unnamedMen'], ['s.unnamed_youth', 'unnamedYouth'],
  ['s.version', 'version'], [iso('s.archived_at'), 'archivedAt'], [iso('s.created_at'), 'createdAt'], [iso('s.updated_at'), 'updatedAt'],
];

type Row = Omit<SessionSummaryDto, 'unnamedAttendance' | 'attendanceCounts' | 'actionPointCounts'> & {
  unnamedWomen: number; unnamedMen: number; unnamedYouth: number;
  participants: number; policePartners: number; open: number; done: number; dropped: number;
};

/**
 * One page of sessions with their attendance and action-point counts in one query: the scoped,
 * filtered keyset page first (LIMIT applied to sessions alone), then the counts for those rows
 * only. Plain rows, no entity hydration: a list is a read, not a write (conventions: reporting
 * reads are SQL).
 */
export async function listSessions(dataSource: DataSource, ctx: RequestContext, query: ListSessionsQueryDto): Promise<SessionPageDto> {
  const qb = applyScope(dataSource.getRepository(Session).createQueryBuilder('s').select(COLUMNS[0][0], COLUMNS[0][1]), ctx, SESSION_SCOPE);
  for (const [expression, alias] of COLUMNS.slice(1)) qb.addSelect(expression, alias);
  if (!query.includeArchived) qb.andWhere('s.archived_at IS NULL');
  if (query.countryCode) qb.andWhere('s.country_code = :countryCode', { countryCode: query.countryCode });
  if (query.networkId) qb.andWhere('s.network_id = :networkId', { networkId: query.networkId });
  if (query.from) qb.andWhere('s.held_on >= :from', { from: query.from });
  if (query.to) qb.andWhere('s.held_on <= :to', { to: query.to });
  if (query.kind) qb.andWhere('s.kind = :kind', { kind: query.kind });
  if (query.topic) qb.andWhere('s.topics @> CAST(ARRAY[:topic] AS text[])', { topic: query.topic });
  if (query.partnerId) qb.andWhere('s.facilitator_partner_id = :partnerId', { partnerId: query.partnerId });
  if (query.hasStatePartner !== undefined) {
    const exists = 'EXISTS (SELECT 1 FROM session_attendance sa WHERE sa.session_id = s.id AND sa.police_partner_id IS NOT NULL)';
    qb.andWhere(query.hasStatePartner ? exists : `NOT ${exists}`);
  }
  // Most recent first; the id breaks ties between sessions of one day.
  const limit = applyKeyset(qb, query, { sortExpression: 's.held_on', tieBreaker: 's.id', direction: 'DESC' });
  const [page, params] = qb.getQueryAndParameters();
  const rows: Row[] = await dataSource.query(
    `SELECT s.*, coalesce(a.participants, 0) AS participants, coalesce(a."policePartners", 0) AS "policePartners",
            coalesce(p.open, 0) AS open, coalesce(p.done, 0) AS done, coalesce(p.dropped, 0) AS dropped
       FROM (${page}) s
       LEFT JOIN LATERAL (SELECT count(participant_id)::int AS participants, count(police_partner_id)::int AS "policePartners"
                            FROM session_attendance WHERE session_id = s.id) a ON true
       LEFT JOIN LATERAL (SELECT count(*) FILTER (WHERE status = 'open')::int AS open, count(*) FILTER (WHERE status = 'done')::int AS done,
                                 count(*) FILTER (WHERE status = 'dropped')::int AS dropped
                            FROM action_points WHERE session_id = s.id) p ON true
      ORDER BY s."heldOn" DESC, s.id DESC`,
    params,
  );
  const { data, nextCursor } = pageOf(rows, limit, (r) => [r.heldOn, r.id]);
  return { data: data.map(summaryOf), nextCursor };
}

function summaryOf(r: Row): SessionSummaryDto {
  return {
    id: r.id,
    networkId: r.networkId,
    countryCode: r.countryCode,
    title: r.title,
    kind: r.kind,
    heldOn: r.heldOn,
    durationMinutes: r.durationMinutes,
    place: r.place,
    facilitatorPartnerId: r.facilitatorPartnerId,
    topics: r.topics,
    summary: r.summary,
    unnamedAttendance: { women: r.unnamedWomen, men: r.unnamedMen, youth: r.unnamedYouth },
    version: r.version,
    archivedAt: r.archivedAt,
    createdAt: r.createdAt,
    updatedAt: r.updatedAt,
    attendanceCounts: { participants: r.participants, policePartners: r.policePartners },
    actionPointCounts: { open: r.open, done: r.done, dropped: r.dropped },
  };
}
