import { DataSource } from 'typeorm';
import { RequestContext } from '../common/context/request-context';
import { keysetClause, pageOf } from '../common/pagination/cursor';
import { scopeCondition } from '../common/scope/scope';
import { ListSessionsQueryDto, SessionPageDto, SessionSummaryDto } from './dto/session.dto';

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

/** The page's select list, written once (TypeORM's query builder rebuilt and re-quoted it on every request). */
const PAGE_COLUMNS = COLUMNS.map(([expression, alias]) => `${expression} AS "${alias}"`).join(', ');

/**
 * One page of sessions with their attendance and action-point counts in one query: the scoped,
 * filtered keyset page first (LIMIT applied to sessions alone), then the counts for those rows
 * only. Plain rows, no entity hydration: a list is a read, not a write (conventions: reporting
 * reads are SQL). The SQL is assembled from fixed fragments and named parameters, with the
 * caller's scope from scopeCondition() (the one scoping helper) as its first condition: building
 * it with the query builder cost about as much CPU as the rest of the request's own code.
 */
export async function listSessions(dataSource: DataSource, ctx: RequestContext, query: ListSessionsQueryDto): Promise<SessionPageDto> {
  const scope = scopeCondition(ctx.principal, SESSION_SCOPE);
  const conditions = [scope.sql];
  const params: Record<string, unknown> = { ...scope.params };
  const where = (sql: string, values: Record<string, unknown> = {}) => {
    conditions.push(sql);
    Object.assign(params, values);
  };
  if (!query.includeArchived) where('s.archived_at IS NULL');
  if (query.countryCode) where('s.country_code = :countryCode', { countryCode: query.countryCode });
  if (query.networkId) where('s.network_id = :networkId', { networkId: query.networkId });
  if (query.from) where('s.held_on >= :from', { from: query.from });
  if (query.to) where('s.held_on <= :to', { to: query.to });
  if (query.kind) where('s.kind = :kind', { kind: query.kind });
  if (query.topic) where('s.topics @> CAST(ARRAY[:topic] AS text[])', { topic: query.topic });
  if (query.partnerId) where('s.facilitator_partner_id = :partnerId', { partnerId: query.partnerId });
  if (query.hasStatePartner !== undefined) {
    const exists = 'EXISTS (SELECT 1 FROM session_attendance sa WHERE sa.session_id = s.id AND sa.police_partner_id IS NOT NULL)';
    where(query.hasStatePartner ? exists : `NOT ${exists}`);
  }
  // Most recent first; the id breaks ties between sessions of one day.
  const keyset = keysetClause(query, { sortExpression: 's.held_on', tieBreaker: 's.id', direction: 'DESC' });
  if (keyset.condition) where(keyset.condition.sql, keyset.condition.params);
  const [page, values] = dataSource.driver.escapeQueryWithParameters(
    `SELECT ${PAGE_COLUMNS} FROM sessions s WHERE ${conditions.map((c) => `(${c})`).join(' AND ')} ORDER BY ${keyset.orderBy} LIMIT ${keyset.limit + 1}`,
    params,
  );
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
    values,
  );
  const { data, nextCursor } = pageOf(rows, keyset.limit, (r) => [r.heldOn, r.id]);
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
