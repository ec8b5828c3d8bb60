import { DataSource } from 'typeorm';
import { RequestContext } from '../common/context/request-context';
import { mayViewAnyFreeText, mayViewFreeText } from '../common/crypto/free-text';
import { PersonalDataCipher } from '../common/crypto/personal-data-cipher';
import { keysetClause, pageOf } from '../common/pagination/cursor';
import { scopeCondition } from '../common/scope/scope';
import { jsonHoles, JsonField, jsonObjectSqlSegments } from '../common/sql/json-object-sql';
import { ListSessionsQueryDto } from './dto/session.dto';
import { openSessionText, SessionText, WITHHELD_SESSION_TEXT } from './session-text';

/** Where a session keeps the facts that decide who sees it (common/scope). */
export const SESSION_SCOPE = { country: 's.country_code', network: 's.network_id' };

/**
 * A list item as PostgreSQL writes it, in SessionSummaryDto's shape and key order. A page is 50
 * of these joined, not 50 rows of 23 columns parsed into objects and stringified again
 * (common/sql/json-object-sql). The free text (title, place, summary) is held encrypted, so
 * PostgreSQL writes the item around those three holes and Node fills them in (or writes null
 * where the caller may not see them). The e2e test compares the item with the full record of the
 * same session, and each kind's NULL (`?`) with the column's in the schema.
 */
export const SESSION_ITEM_FIELDS: readonly JsonField[] = [
  ['id', 's.id', 'uuid'], ['networkId', 's.network_id', 'uuid'], ['countryCode', 's.country_code', 'string'],
  ['title', '', 'hole'], ['kind', 's.kind', 'string'], ['heldOn', 's.held_on', 'date'],
  ['durationMinutes', 's.duration_minutes', 'number?'], ['place', '', 'hole'],
  ['facilitatorPartnerId', 's.facilitator_partner_id', 'uuid?'], ['topics', 's.topics', 'strings'], ['summary', '', 'hole'],
  ['unnamedAttendance', [['women', 's.unnamed_women', 'number'], ['men', 's.unnamed_men', 'number'], ['youth', 's.unnamed_youth', 'number']]],
  ['version', 's.version', 'number'], ['archivedAt', 's.archived_at', 'instant?'], ['createdAt', 's.created_at', 'instant'], ['updatedAt', 's.updated_at', 'instant'],
  ['attendanceCounts', [['participants', 'a.participants', 'number'], ['policePartners', 'a.police_partners', 'number']]],
  ['actionPointCounts', [['open', 'p.open', 'number'], ['done', 'p.done', 'number'], ['dropped', 'p.dropped', 'number']]],
];
const SESSION_ITEM_SEGMENTS = jsonObjectSqlSegments(SESSION_ITEM_FIELDS);
const SESSION_ITEM_HOLES = jsonHoles(SESSION_ITEM_FIELDS) as (keyof SessionText)[];
const SEGMENT_COLUMNS = SESSION_ITEM_SEGMENTS.map((sql, i) => `${sql} AS j${i}`).join(', ');

/**
 * One session's attendance and action-point counts. An aggregate without GROUP BY always yields
 * one row, so the laterals never drop a session and their counts are never NULL.
 */
const SESSION_COUNTS = `
  CROSS JOIN LATERAL (SELECT count(participant_id)::int AS participants, count(police_partner_id)::int AS police_partners
                        FROM session_attendance WHERE session_id = s.id) a
  CROSS JOIN LATERAL (SELECT count(*) FILTER (WHERE status = 'open')::int AS open, count(*) FILTER (WHERE status = 'done')::int AS done,
                             count(*) FILTER (WHERE status = 'dropped')::int AS dropped
                        FROM action_points WHERE session_id = s.id) p`;

/**
 * A row of the page query: the item's JSON as segments around the free text (`j0` … `j3`), the
 * sealed free text (null when the caller may see none), the country that decides whether it is
 * shown, and the keyset, for the next cursor.
 */
export interface SessionPageRow {
  j0: string;
  j1: string;
  j2: string;
  j3: string;
  textEnc: string | null;
  countryCode: string;
  heldOn: string;
  id: string;
}

/**
 * The page query (the bench's floor runs it too): the sessions matching `where` (on alias `s`)
 * first, LIMIT on sessions alone, then the counts and the JSON of those rows only. Without
 * `withText` the ciphertexts are not even read (hq_analyst).
 */
export function sessionPageSql(where: string, orderBy: string, rows: number, withText = true): string {
  return `SELECT ${SEGMENT_COLUMNS}, ${withText ? 's.text_enc' : 'NULL'} AS "textEnc", s.country_code AS "countryCode",
            to_char(s.held_on, 'YYYY-MM-DD') AS "heldOn", s.id
       FROM (SELECT * FROM sessions s WHERE ${where} ORDER BY ${orderBy} LIMIT ${rows}) s ${SESSION_COUNTS}
      ORDER BY ${orderBy}`;
}

/** The item's JSON: PostgreSQL's segments with the free text, as the caller may see it, in between. */
export function sessionItemJson(row: SessionPageRow, text: { [K in keyof SessionText]: SessionText[K] | null }): string {
  const segments = [row.j0, row.j1, row.j2, row.j3];
  let json = segments[0];
  SESSION_ITEM_HOLES.forEach((key, i) => (json += JSON.stringify(text[key]) + segments[i + 1]));
  return json;
}

/**
 * One page of sessions with their attendance and action-point counts in one query, as the JSON
 * text of a SessionPageDto. No entity hydration: a list is a read, not a write (conventions:
 * reporting reads are SQL). The SQL is assembled from fixed fragments and named parameters, with the
 * caller's scope from scopeCondition() (the one scoping helper) as its first condition: building
 * it with the query builder cost about as much CPU as the rest of the request's own code.
 */
export async function listSessions(dataSource: DataSource, cipher: PersonalDataCipher, ctx: RequestContext, query: ListSessionsQueryDto): Promise<string> {
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
  const withText = mayViewAnyFreeText(ctx);
  const [sql, values] = dataSource.driver.escapeQueryWithParameters(
    sessionPageSql(conditions.map((c) => `(${c})`).join(' AND '), keyset.orderBy, keyset.limit + 1, withText),
    params,
  );
  const rows: SessionPageRow[] = await dataSource.query(sql, values);
  const { data, nextCursor } = pageOf(rows, keyset.limit, (r) => [r.heldOn, r.id]);
  const items = data.map((r) =>
    sessionItemJson(r, r.textEnc !== null && mayViewFreeText(ctx, r.countryCode) ? openSessionText(cipher, r.textEnc) : WITHHELD_SESSION_TEXT),
  );
  return `{"data":[${items.join(',')}],"nextCursor":${JSON.stringify(nextCursor)}}`;
}
