import type { EntityManager } from 'typeorm';
import type { ActiveLink, Association, CompletedInitiative, CountrySummaryContent } from './learning-summary-content';
import type { SummaryPeriod } from './learning-summary-period';

/**
 * The aggregate SQL behind a learning summary (definitions in learning-summary-content.ts). Every
 * count is made by PostgreSQL; only the results (a few dozen values and the lists a summary shows)
 * come back to Node. Periods are half-open: `>= from AND < toExclusive`.
 */

interface DisputeAssociationsRow {
  resolved: number;
  with_links: number;
  links: number;
  linked_sessions: number;
  topics: Association[];
  kinds: Association[];
}

const ASSOCIATIONS_SQL = `
WITH resolved AS (
  SELECT d.id FROM disputes d
   WHERE d.country_code = $1 AND d.archived_at IS NULL AND d.resolved_on >= $2 AND d.resolved_on < $3
), linked AS (
  SELECT ds.dispute_id, s.id AS session_id, s.kind, s.topics
    FROM resolved r
    JOIN dispute_sessions ds ON ds.dispute_id = r.id
    JOIN sessions s ON s.id = ds.session_id AND s.archived_at IS NULL
), totals AS (
  SELECT (SELECT count(*) FROM resolved)::int AS resolved,
         (SELECT count(DISTINCT dispute_id) FROM linked)::int AS with_links,
         (SELECT count(*) FROM linked)::int AS links,
         (SELECT count(DISTINCT session_id) FROM linked)::int AS linked_sessions
), by_topic AS (
  SELECT t.topic AS value, count(DISTINCT l.dispute_id)::int AS disputes, count(DISTINCT l.session_id)::int AS sessions
    FROM linked l CROSS JOIN LATERAL unnest(l.topics) AS t(topic)
   GROUP BY t.topic
), by_kind AS (
  SELECT l.kind AS value, count(DISTINCT l.dispute_id)::int AS disputes, count(DISTINCT l.session_id)::int AS sessions
    FROM linked l
   GROUP BY l.kind
)
SELECT t.resolved, t.with_links, t.links, t.linked_sessions,
  COALESCE((SELECT jsonb_agg(jsonb_build_object('value', x.value, 'resolvedDisputes', x.disputes, 'sessions', x.sessions,
                      'shareOfLinkedResolved', round(x.disputes::numeric / t.with_links, 4)::float8)
                    ORDER BY x.disputes DESC, x.sessions DESC, x.value) FROM by_topic x), '[]'::jsonb) AS topics,
  COALESCE((SELECT jsonb_agg(jsonb_build_object('value', x.value, 'resolvedDisputes', x.disputes, 'sessions', x.sessions,
                      'shareOfLinkedResolved', round(x.disputes::numeric / t.with_links, 4)::float8)
                    ORDER BY x.disputes DESC, x.sessions DESC, x.value) FROM by_kind x), '[]'::jsonb) AS kinds
FROM totals t`;

interface InitiativesRow {
  total: number;
  by_category: Record<string, number>;
  items: CompletedInitiative[];
}

const INITIATIVES_SQL = `
WITH completed AS (
  SELECT i.id, i.category, i.network_id,
         COALESCE(i.end_on, (SELECT min(h.occurred_at AT TIME ZONE 'UTC')::date FROM initiative_history h
                              WHERE h.initiative_id = i.id AND h.to_status = 'completed')) AS completed_on
    FROM initiatives i
   WHERE i.country_code = $1 AND i.status = 'completed' AND i.archived_at IS NULL
), in_period AS (
  SELECT * FROM completed WHERE completed_on >= $2 AND completed_on < $3
)
SELECT (SELECT count(*) FROM in_period)::int AS total,
  COALESCE((SELECT jsonb_object_agg(c.category, c.n) FROM (SELECT category, count(*)::int AS n FROM in_period GROUP BY category) c), '{}'::jsonb) AS by_category,
  COALESCE((SELECT jsonb_agg(jsonb_build_object('id', p.id, 'category', p.category, 'networkId', p.network_id, 'completedOn', p.completed_on)
                    ORDER BY p.completed_on, p.id) FROM in_period p), '[]'::jsonb) AS items`;

/**
 * $1: a country code, or null for the links of every country. Only confirmed links count: a
 * proposal the other country has not accepted (or declined) is no collaboration yet.
 */
const LINKS_SQL = `
WITH active_networks AS (
  SELECT s.network_id, count(*)::int AS sessions FROM sessions s
   WHERE s.archived_at IS NULL AND s.held_on >= $2 AND s.held_on < $3
   GROUP BY s.network_id
)
SELECT count(*)::int AS total,
  COALESCE(jsonb_agg(jsonb_build_object(
    'linkId', l.id, 'kind', l.kind, 'since', l.since,
    'from', jsonb_build_object('networkId', a.id, 'name', a.name, 'countryCode', a.country_code, 'sessions', fa.sessions),
    'to', jsonb_build_object('networkId', b.id, 'name', b.name, 'countryCode', b.country_code, 'sessions', fb.sessions))
    ORDER BY a.country_code, a.name, b.country_code, b.name, l.id), '[]'::jsonb) AS links
FROM network_links l
JOIN networks a ON a.id = l.from_network_id
JOIN networks b ON b.id = l.to_network_id
JOIN active_networks fa ON fa.network_id = a.id
JOIN active_networks fb ON fb.network_id = b.id
WHERE l.archived_at IS NULL AND l.status = 'confirmed' AND l.since < $3 AND a.country_code <> b.country_code
  AND ($1::text IS NULL OR a.country_code = $1 OR b.country_code = $1)`;

const SESSIONS_SQL = `SELECT count(*)::int AS n FROM sessions s WHERE s.country_code = $1 AND s.archived_at IS NULL AND s.held_on >= $2 AND s.held_on < $3`;

export async function activeCrossCountryLinks(manager: EntityManager, countryCode: string | null, period: SummaryPeriod): Promise<ActiveLink[]> {
  const [row] = (await manager.query(LINKS_SQL, [countryCode, period.from, period.toExclusive])) as { total: number; links: ActiveLink[] }[];
  return row.links;
}

/** One country's summary for one period (without the impact figures: learning-summary-figures.ts). */
export async function computeCountrySummary(manager: EntityManager, countryCode: string, period: SummaryPeriod): Promise<CountrySummaryContent> {
  const params = [countryCode, period.from, period.toExclusive];
  const [computed] = (await manager.query('SELECT clock_timestamp() AS at')) as { at: Date }[];
  const [disputes] = (await manager.query(ASSOCIATIONS_SQL, params)) as DisputeAssociationsRow[];
  const [initiatives] = (await manager.query(INITIATIVES_SQL, params)) as InitiativesRow[];
  const links = await activeCrossCountryLinks(manager, countryCode, period);
  const [sessions] = (await manager.query(SESSIONS_SQL, params)) as { n: number }[];
  return {
    countryCode,
    period: period.label,
    from: period.from,
    to: period.to,
    resolvedDisputes: { total: disputes.resolved, withLinkedSessions: disputes.with_links, topics: disputes.topics, sessionKinds: disputes.kinds },
    initiativesCompleted: { total: initiatives.total, byCategory: initiatives.by_category, items: initiatives.items },
    crossCountryLinks: links,
    provenance: {
      computedAt: computed.at.toISOString(),
      sourceRows: {
        sessionsInPeriod: sessions.n,
        resolvedDisputes: disputes.resolved,
        disputeSessionLinks: disputes.links,
        linkedSessions: disputes.linked_sessions,
        completedInitiatives: initiatives.total,
        crossCountryLinks: links.length,
      },
    },
  };
}
