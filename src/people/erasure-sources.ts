import { CIPHER as DISPUTE_CIPHER } from '../disputes/dispute-mapper';
import { EARLY_WARNING_CIPHER } from '../early-warning/early-warning-text';
import { FIELD_WORK_CIPHER } from '../field-work/session-text';
import { INITIATIVE_CIPHER } from '../initiatives/initiative-text';

/**
 * Every column of free text a person can type a name into, as erasure reads and rewrites it.
 * Erasure is the one place that reaches into other modules' tables: a mention of a person can
 * be anywhere, and one list read in one transaction is what makes "every place" checkable
 * (test/security/erasure-complete.e2e-spec.ts reads the whole database to prove it).
 *
 * `select` reads the rows of one country, with parameters $1 country code, $2 ids of the sessions
 * the person attended, $3 ids of the disputes they are a party to or mediate, $4 the person's
 * id; it returns `key` (what `update` names the row by, $1, with the new value as $2), `entity`
 * and `entity_id` (the record the audit event and the version bump are about), `location` (the
 * record's URL, for stored responses), `value` and `linked` (the row belongs to a record the
 * person is linked to: name parts count as mentions there, see MentionMatcher).
 */
export interface FreeTextSource {
  /** The field name the audit event gives. */
  field: string;
  /** Cipher context; null for a column held in clear (people's own attributes, for now). */
  context: string | null;
  /** The value is a JSON object of several fields (sessions.text_enc). */
  json?: readonly string[];
  select: string;
  update: string;
}

const linked = {
  session: 's.id = ANY($2::uuid[])',
  dispute: 'd.id = ANY($3::uuid[])',
};

const sessions = `FROM sessions s WHERE s.country_code = $1`;
const disputes = `FROM disputes d WHERE d.country_code = $1`;
const initiatives = `FROM initiatives i WHERE i.country_code = $1`;

export const FREE_TEXT_SOURCES: readonly FreeTextSource[] = [
  {
    field: 'text',
    json: ['title', 'place', 'summary'],
    context: FIELD_WORK_CIPHER.sessionText,
    select: `SELECT s.id::text AS key, 'session' AS entity, s.id::text AS entity_id, '/api/v1/sessions/' || s.id AS location,
                    s.text_enc AS value, ${linked.session} AS linked ${sessions}`,
    update: `UPDATE sessions SET text_enc = $2 WHERE id = $1::uuid`,
  },
  {
    field: 'description',
    context: FIELD_WORK_CIPHER.actionPointDescription,
    select: `SELECT a.id::text AS key, 'action_point' AS entity, a.id::text AS entity_id, '/api/v1/sessions/' || s.id AS location,
                    a.description_enc AS value, ${linked.session} AS linked
               FROM action_points a JOIN sessions s ON s.id = a.session_id WHERE s.country_code = $1`,
    update: `UPDATE action_points SET description_enc = $2 WHERE id = $1::uuid`,
  },
  ...(['place', 'description'] as const).map((field) => ({
    field,
    context: EARLY_WARNING_CIPHER[field],
    select: `SELECT w.id::text AS key, 'early_warning' AS entity, w.id::text AS entity_id, '/api/v1/early-warnings/' || w.id AS location,
                    w.${field}_enc AS value, w.source_session_id = ANY($2::uuid[]) AS linked
               FROM early_warnings w WHERE w.country_code = $1 AND w.${field}_enc IS NOT NULL`,
    update: `UPDATE early_warnings SET ${field}_enc = $2 WHERE id = $1::uuid`,
  })),
  {
    field: 'historyNote',
    context: EARLY_WARNING_CIPHER.historyNote,
    select: `SELECT h.id::text AS key, 'early_warning' AS entity, w.id::text AS entity_id, '/api/v1/early-warnings/' || w.id AS location,
                    h.note_enc AS value, w.source_session_id = ANY($2::uuid[]) AS linked
               FROM early_warning_history h JOIN early_warnings w ON w.id = h.early_warning_id WHERE w.country_code = $1`,
    update: `UPDATE early_warning_history SET note_enc = $2 WHERE id = $1::uuid`,
  },
  {
    field: 'source',
    context: EARLY_WARNING_CIPHER.indicatorSource,
    select: `SELECT v.id::text AS key, 'indicator_value' AS entity, v.id::text AS entity_id, '/api/v1/indicator-values/' || v.id AS location,
                    v.source_enc AS value, FALSE AS linked
               FROM indicator_values v JOIN networks n ON n.id = v.network_id WHERE n.country_code = $1`,
    update: `UPDATE indicator_values SET source_enc = $2 WHERE id = $1::uuid`,
  },
  ...([['title', 'title_enc'], ['problemStatement', 'problem_statement_enc']] as const).map(([field, column]) => ({
    field,
    context: INITIATIVE_CIPHER[field],
    select: `SELECT i.id::text AS key, 'initiative' AS entity, i.id::text AS entity_id, '/api/v1/initiatives/' || i.id AS location,
                    i.${column} AS value, FALSE AS linked ${initiatives}`,
    update: `UPDATE initiatives SET ${column} = $2 WHERE id = $1::uuid`,
  })),
  {
    field: 'historyNote',
    context: INITIATIVE_CIPHER.historyNote,
    select: `SELECT h.id::text AS key, 'initiative' AS entity, i.id::text AS entity_id, '/api/v1/initiatives/' || i.id AS location,
                    h.note_enc AS value, FALSE AS linked
               FROM initiative_history h JOIN initiatives i ON i.id = h.initiative_id WHERE i.country_code = $1 AND h.note_enc IS NOT NULL`,
    update: `UPDATE initiative_history SET note_enc = $2 WHERE id = $1::uuid`,
  },
  {
    field: 'description',
    context: INITIATIVE_CIPHER.milestoneDescription,
    select: `SELECT m.id::text AS key, 'milestone' AS entity, m.id::text AS entity_id, '/api/v1/initiatives/' || i.id || '/milestones/' || m.id AS location,
                    m.description_enc AS value, FALSE AS linked
               FROM milestones m JOIN initiatives i ON i.id = m.initiative_id WHERE i.country_code = $1`,
    update: `UPDATE milestones SET description_enc = $2 WHERE id = $1::uuid`,
  },
  {
    field: 'reference',
    context: INITIATIVE_CIPHER.disbursementReference,
    select: `SELECT b.id::text AS key, 'disbursement' AS entity, b.id::text AS entity_id,
                    '/api/v1/initiatives/' || i.id || '/disbursements/' || b.id AS location, b.reference_enc AS value, FALSE AS linked
               FROM disbursements b JOIN initiatives i ON i.id = b.initiative_id WHERE i.country_code = $1 AND b.reference_enc IS NOT NULL`,
    update: `UPDATE disbursements SET reference_enc = $2 WHERE id = $1::uuid`,
  },
  ...([['description', 'description_enc'], ['resolutionTerms', 'resolution_terms_enc'], ['referralReference', 'referral_reference_enc']] as const).map(
    ([field, column]) => ({
      field,
      context: DISPUTE_CIPHER[field],
      select: `SELECT d.id::text AS key, 'dispute' AS entity, d.id::text AS entity_id, '/api/v1/disputes/' || d.id AS location,
                      d.${column} AS value, ${linked.dispute} AS linked ${disputes} AND d.${column} IS NOT NULL`,
      update: `UPDATE disputes SET ${column} = $2 WHERE id = $1::uuid`,
    }),
  ),
  {
    field: 'parties',
    context: DISPUTE_CIPHER.partyLabel,
    select: `SELECT p.dispute_id || '/' || p.position AS key, 'dispute' AS entity, d.id::text AS entity_id, '/api/v1/disputes/' || d.id AS location,
                    p.label_enc AS value, ${linked.dispute} AS linked
               FROM dispute_parties p JOIN disputes d ON d.id = p.dispute_id WHERE d.country_code = $1`,
    update: `UPDATE dispute_parties SET label_enc = $2 WHERE dispute_id = split_part($1, '/', 1)::uuid AND position = split_part($1, '/', 2)::smallint`,
  },
  {
    field: 'historyNote',
    context: DISPUTE_CIPHER.historyNote,
    select: `SELECT h.id::text AS key, 'dispute' AS entity, d.id::text AS entity_id, '/api/v1/disputes/' || d.id AS location,
                    h.note_enc AS value, ${linked.dispute} AS linked
               FROM dispute_history h JOIN disputes d ON d.id = h.dispute_id WHERE d.country_code = $1 AND h.note_enc IS NOT NULL`,
    update: `UPDATE dispute_history SET note_enc = $2 WHERE id = $1::uuid`,
  },
  // People's own free-text attributes are still held in clear (people module); another person's
  // record can name the one being erased ("sister of …").
  ...(['affiliation', 'consent_scope'] as const).map((column) => ({
    field: column === 'affiliation' ? 'affiliation' : 'consent',
    context: null,
    select: `SELECT p.id::text AS key, 'participant' AS entity, p.id::text AS entity_id, '/api/v1/participants/' || p.id AS location,
                    p.${column} AS value, p.id = $4::uuid AS linked
               FROM participants p WHERE p.country_code = $1 AND p.${column} IS NOT NULL`,
    update: `UPDATE participants SET ${column} = $2 WHERE id = $1::uuid`,
  })),
  ...(['rank', 'unit', 'station'] as const).map((column) => ({
    field: column,
    context: null,
    select: `SELECT p.id::text AS key, 'police_partner' AS entity, p.id::text AS entity_id, '/api/v1/police-partners/' || p.id AS location,
                    p.${column} AS value, p.id = $4::uuid AS linked
               FROM police_partners p WHERE p.country_code = $1 AND p.${column} IS NOT NULL`,
    update: `UPDATE police_partners SET ${column} = $2 WHERE id = $1::uuid`,
  })),
];

/** The table of each audited entity that carries a version (bumped once per record erasure rewrote). */
export const VERSIONED_TABLES: Readonly<Record<string, string>> = {
  session: 'sessions',
  action_point: 'action_points',
  early_warning: 'early_warnings',
  indicator_value: 'indicator_values',
  initiative: 'initiatives',
  milestone: 'milestones',
  dispute: 'disputes',
  participant: 'participants',
  police_partner: 'police_partners',
};
