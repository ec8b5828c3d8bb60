import { DataSource } from 'typeorm';
import { RequestContext } from '../common/context/request-context';
import { mayViewAnyFreeText, mayViewFreeText } from '../common/crypto/free-text';
import { PersonalDataCipher } from '../common/crypto/personal-data-cipher';
import { keysetClause } from '../common/pagination/cursor';
import { ScopedTable } from '../common/scope/readable-ids';
import { scopeCondition } from '../common/scope/scope';
import { mayReadPersonRecords } from '../people/personal-data';
import { JsonField, jsonObjectSql } from '../common/sql/json-object-sql';
import { ListSessionsQueryDto } from './dto/session.dto';
import { openSessionText, ShownSessionText, WITHHELD_SESSION_TEXT } from './session-text';

/** Where a session keeps the facts that decide who sees it (common/scope). */
export const SESSION_SCOPE = { country: 's.country_code', network: 's.network_id' };
export const SESSION_TABLE: ScopedTable = { table: 'sessions', alias: 's', columns: SESSION_SCOPE };

/**
 * A list item as PostgreSQL writes it, in SessionSummaryDto's shape and key order. A page is 50
 * of these joined, not 50 rows of 23 columns parsed into objects and stringified again
 * (common/sql/json-object-sql). The e2e test compares the item with the full record of the same
 * session, and each kind's NULL (`?`) with the column's in the schema.
 *
 * The free text (title, place, summary) is one ciphertext, which PostgreSQL cannot open: it writes
 * the ciphertext where the title goes and null for the place and the summary, and Node puts the
 * three in (withFreeText). Measured: the ciphertext inside the one JSON text costs the query far
 * less than returning it, or the item in pieces around it, as columns of their own. For a caller
 * who may read no free text the query writes null in all three and reads no ciphertext at all.
 */
export const SESSION_ITEM_FIELDS: readonly JsonField[] = itemFields('(SELECT x.text_enc FROM sessions x WHERE x.id = s.id)');
/** For callers who may read neither free text nor who attended (hq_analyst): no ciphertext, no counts of people. */
const WITHOUT_TEXT_FIELDS = itemFields('NULL::text', false);

function itemFields(title: string, people = true): JsonField[] {
  const count = (sql: string) => (people ? ([sql, 'number'] as const) : (['NULL::int', 'number?'] as const));
  return [
    ['id', 's.id', 'uuid'], ['networkId', 's.network_id', 'uuid'], ['countryCode', 's.country_code', 'string'],
    ['title', title, 'string?'], ['kind', 's.kind', 'string'], ['heldOn', 's.held_on', 'date'],
    ['durationMinutes', 's.duration_minutes', 'number?'], ['place', 'NULL::text', 'string?'],
    ['facilitatorPartnerId', 'f.facilitator_partner_id', 'uuid?'], ['topics', 's.topics', 'strings'], ['summary', 'NULL::text', 'string?'],
    ['unnamedAttendance', [['women', ...count('s.unnamed_women')], ['men', ...count('s.unnamed_men')], ['youth', ...count('s.unnamed_youth')]]],
    ['version', 's.version', 'number'], ['archivedAt', 's.archived_at', 'instant?'], ['createdAt', 's.created_at', 'instant'], ['updatedAt', 's.updated_at', 'instant'],
    ['attendanceCounts', [['participants', ...count('a.participants')], ['policePartners', ...count('a.police_partners')]]],
    ['actionPointCounts', [['open', 'p.open', 'number'], ['done', 'p.done', 'number'], ['dropped', 'p.dropped', 'number']]],
  ];
}
const SESSION_ITEM_JSON = jsonObjectSql(SESSION_ITEM_FIELDS);
const WITHOUT_TEXT_JSON = jsonObjectSql(WITHOUT_TEXT_FIELDS);

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

/** A row of the page query: the item's JSON and its keyset, for the next cursor. */
export interface SessionPageRow {
  json: string;
  heldOn: string;
  id: string;
}

/**
 * The page query (the bench's floor runs it too): the sessions matching `where` (on alias `s`)
 * first, LIMIT on sessions alone, then the counts and the JSON of those rows only. Without
 * `withText` the item holds no ciphertext and no counts of people (hq_analyst). `facilitatorVisible` (on `s`) decides
 * whether facilitatorPartnerId is written or null.
 */
export function sessionPageSql(where: string, orderBy: string, rows: number, withText = true, facilitatorVisible = 'TRUE'): string {
  return `SELECT ${withText ? SESSION_ITEM_JSON : WITHOUT_TEXT_JSON} AS json, to_char(s.held_on, 'YYYY-MM-DD') AS "heldOn", s.id
       FROM (SELECT ${PAGE_COLUMNS} FROM sessions s WHERE ${where} ORDER BY ${orderBy} LIMIT ${rows}) s
       CROSS JOIN LATERAL (SELECT CASE WHEN ${facilitatorVisible} THEN s.facilitator_partner_id END AS facilitator_partner_id) f ${SESSION_COUNTS}
      ORDER BY ${orderBy}`;
}

/**
 * When the facilitating partner may be named to the caller (`f` above): a partner user sees its
 * own organisation only, as GET /partners/{id} would; country staff and hq/admin see them all.
 */
export const FACILITATOR_SCOPE = { country: 's.country_code', partner: 's.facilitator_partner_id' };

/**
 * What the page's sort carries: every column but the ciphertext, which is read for the page's
 * rows only (a scalar subquery by primary key), so the sort of a busy network's sessions does not
 * drag a few hundred bytes of ciphertext per session through it.
 */
const PAGE_COLUMNS = ['id', 'network_id', 'country_code', 'kind', 'held_on', 'duration_minutes', 'facilitator_partner_id', 'topics', 'unnamed_women',
  'unnamed_men', 'unnamed_youth', 'version', 'archived_at', 'created_at', 'updated_at'].map((c) => `s.${c}`).join(', ');

const TITLE = '"title":"';
const COUNTRY = '"countryCode":"';

/**
 * An item written with the ciphertext as its title, with the free text as `show(countryCode)`
 * allows: the three fields in clear, or null. Every value before and between the three keys is a
 * uuid, a code, a date or a number, so the keys are found where they are and nowhere else.
 */
export function withFreeText(json: string, open: (sealed: string) => ShownSessionText, show: (countryCode: string) => boolean): string {
  const at = json.indexOf(TITLE);
  if (at < 0) return json; // written without text: null already
  const end = json.indexOf('"', at + TITLE.length);
  const country = json.indexOf(COUNTRY) + COUNTRY.length;
  const text = show(json.slice(country, country + 2)) ? open(json.slice(at + TITLE.length, end)) : WITHHELD_SESSION_TEXT;
  const place = json.indexOf('"place":null', end);
  const summary = json.indexOf('"summary":null', place);
  if (place < 0 || summary < 0) throw new Error('a session list item without its place or summary');
  return `${json.slice(0, at)}"title":${JSON.stringify(text.title)}${json.slice(end + 1, place)}"place":${JSON.stringify(text.place)}${
    json.slice(place + 12, summary)}"summary":${JSON.stringify(text.summary)}${json.slice(summary + 14)}`;
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
  const keyset = keysetClause(query, { list: 'GET /sessions', sortExpression: 's.held_on', tieBreaker: 's.id', direction: 'DESC' });
  if (keyset.condition) where(keyset.condition.sql, keyset.condition.params);
  // Items with text and counts of people, or (hq_analyst, who may read neither) without both.
  const withText = mayViewAnyFreeText(ctx) && mayReadPersonRecords(ctx);
  const facilitator = scopeCondition(ctx.principal, FACILITATOR_SCOPE);
  const [sql, values] = dataSource.driver.escapeQueryWithParameters(
    sessionPageSql(conditions.map((c) => `(${c})`).join(' AND '), keyset.orderBy, keyset.limit + 1, withText, facilitator.sql),
    { ...params, ...facilitator.params },
  );
  const rows: SessionPageRow[] = await dataSource.query(sql, values);
  const { data, nextCursor } = keyset.cursor.page(rows, (r) => [r.heldOn, r.id]);
  const open = (sealed: string) => openSessionText(cipher, sealed);
  const show = (countryCode: string) => mayViewFreeText(ctx, countryCode);
  const items = withText ? data.map((r) => withFreeText(r.json, open, show)) : data.map((r) => r.json);
  return `{"data":[${items.join(',')}],"nextCursor":${JSON.stringify(nextCursor)}}`;
}
