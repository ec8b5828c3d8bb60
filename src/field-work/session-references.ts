import { EntityManager } from 'typeorm';
import { RequestContext } from '../common/context/request-context';
import { badRequest, ProblemException } from '../common/problem/problem';
import { scopeCondition } from '../common/scope/scope';
import { AttendanceDto } from './dto/session.dto';

/** 404 that names the field holding the reference, never saying whether the record exists elsewhere. */
export function referenceNotFound(field: string, what: string): ProblemException {
  return new ProblemException(404, `The ${what} in ${field} does not exist or is not visible to you.`, {
    errors: [{ field, message: 'does not exist or is not visible to you' }],
  });
}

/** What createIn() checks before its first insert: the network, the facilitator, the named attendance. */
export interface SessionReferences {
  networkId: string;
  facilitatorPartnerId?: string | null;
  attendance?: readonly AttendanceDto[];
}

interface ReferenceRow {
  kind: 'network' | 'partner' | keyof typeof KINDS;
  id: string;
  countryCode: string;
  visible: boolean;
  consentGiven: boolean | null;
  writtenAt: Date;
}

/**
 * Every reference of a new session in one query (one round trip inside the write's transaction),
 * judged in the order a reader expects the errors: the network (404 unless active and visible),
 * the facilitating partner (visible, 404; in the network's country, 400), then the attendance
 * (checkAttendanceShape, then judgeAttendance). Returns the network, and the transaction's
 * timestamp: what now() (the default of created_at and updated_at) gives every row this
 * transaction writes, so that the new session's answer is known before it is inserted.
 */
export async function requireSessionReferences(
  manager: EntityManager,
  ctx: RequestContext,
  refs: SessionReferences,
): Promise<{ id: string; countryCode: string; writtenAt: Date }> {
  const network = scopeCondition(ctx.principal, { country: 'n.country_code', network: 'n.id' });
  const partner = scopeCondition(ctx.principal, { country: 'p.country_code', partner: 'p.id' });
  const parts = [
    `SELECT 'network' AS kind, n.id, n.country_code AS "countryCode", (${network.sql}) AS visible, NULL::boolean AS "consentGiven"
       FROM networks n WHERE n.id = :networkId AND n.archived_at IS NULL`,
  ];
  const params: Record<string, unknown> = { ...network.params, ...partner.params, networkId: refs.networkId };
  if (refs.facilitatorPartnerId) {
    parts.push(`SELECT 'partner', p.id, p.country_code, (${partner.sql}), NULL FROM partners p WHERE p.id = :partnerId AND p.archived_at IS NULL`);
    params.partnerId = refs.facilitatorPartnerId;
  }
  const attendance = refs.attendance ?? [];
  for (const [field, kind] of Object.entries(KINDS) as [keyof typeof KINDS, (typeof KINDS)[keyof typeof KINDS]][]) {
    const ids = attendance.map((a) => a[field]).filter((id): id is string => id !== undefined);
    if (!ids.length) continue;
    const person = personQuery(ctx, field, kind);
    parts.push(person.sql);
    Object.assign(params, person.params, { [`${field}s`]: ids });
  }
  const query = `SELECT r.*, transaction_timestamp() AS "writtenAt" FROM (${parts.join('\nUNION ALL\n')}) r`;
  const [sql, values] = manager.connection.driver.escapeQueryWithParameters(query, params);
  const rows: ReferenceRow[] = await manager.query(sql, values);
  const found = rows.find((r) => r.kind === 'network');
  if (!found || !found.visible) throw referenceNotFound('networkId', 'network');
  if (refs.facilitatorPartnerId) assertFacilitator(rows.find((r) => r.kind === 'partner'), found.countryCode);
  checkAttendanceShape(attendance);
  judgeAttendance(rows, found.countryCode, attendance);
  return { id: found.id, countryCode: found.countryCode, writtenAt: found.writtenAt };
}

/**
 * A facilitating partner must be visible to the caller (a partner user may name only its own
 * organisation) and work in the session's country.
 */
export async function requireFacilitator(manager: EntityManager, ctx: RequestContext, partnerId: string, countryCode: string): Promise<void> {
  const scope = scopeCondition(ctx.principal, { country: 'p.country_code', partner: 'p.id' });
  const row = await manager
    .createQueryBuilder()
    .select('p.country_code', 'countryCode')
    .addSelect('TRUE', 'visible')
    .from('partners', 'p')
    .where('p.id = :partnerId AND p.archived_at IS NULL', { partnerId })
    .andWhere(scope.sql, scope.params)
    .getRawOne<{ countryCode: string; visible: boolean }>();
  assertFacilitator(row, countryCode);
}

function assertFacilitator(row: { countryCode: string; visible: boolean } | undefined, countryCode: string): void {
  if (!row || !row.visible) throw referenceNotFound('facilitatorPartnerId', 'partner');
  if (row.countryCode !== countryCode) {
    throw badRequest('The facilitating partner works in another country than the session\'s network.', [
      { field: 'facilitatorPartnerId', message: `must be a partner in ${countryCode}` },
    ]);
  }
}

const KINDS = {
  participantId: { table: 'participants', links: 'participant_networks', linkColumn: 'participant_id', what: 'participant', consent: true },
  policePartnerId: { table: 'police_partners', links: 'police_partner_networks', linkColumn: 'police_partner_id', what: 'police partner', consent: false },
} as const;

/** The people of one kind named in an attendance list, with whether the caller may see each (params `:<field>s`). */
function personQuery(ctx: RequestContext, field: keyof typeof KINDS, kind: (typeof KINDS)[keyof typeof KINDS]): { sql: string; params: Record<string, unknown> } {
  const byCountry = scopeCondition(ctx.principal, { country: 'x.country_code' });
  const byNetwork = scopeCondition(ctx.principal, { network: 'l.network_id' });
  return {
    sql: `SELECT '${field}', x.id, x.country_code, (${byCountry.sql}) OR EXISTS (SELECT 1 FROM ${kind.links} l WHERE l.${kind.linkColumn} = x.id AND ${byNetwork.sql}),
                 ${kind.consent ? 'x.consent_given' : 'NULL::boolean'}
            FROM ${kind.table} x WHERE x.id IN (:...${field}s) AND x.archived_at IS NULL`,
    params: { ...byCountry.params, ...byNetwork.params },
  };
}

/** Each entry names exactly one person, and nobody twice (400 naming the entry). */
function checkAttendanceShape(attendance: readonly AttendanceDto[]): void {
  const seen = new Map<string, number>();
  attendance.forEach((a, i) => {
    const hasParticipant = a.participantId !== undefined;
    const hasPolicePartner = a.policePartnerId !== undefined;
    if (hasParticipant === hasPolicePartner) {
      throw badRequest('Each attendance entry names exactly one person.', [
        { field: `attendance[${i}]`, message: 'must have exactly one of participantId and policePartnerId' },
      ]);
    }
    const key = hasParticipant ? `p:${a.participantId}` : `s:${a.policePartnerId}`;
    const first = seen.get(key);
    if (first !== undefined) {
      const field = `attendance[${i}].${hasParticipant ? 'participantId' : 'policePartnerId'}`;
      throw badRequest(`A person may attend a session only once (also at attendance[${first}]).`, [{ field, message: 'is listed twice' }]);
    }
    seen.set(key, i);
  });
}

/**
 * Judges a session's named attendance against the people rows (kind = the attendance field),
 * participants first: every person exists, is visible to the caller (country staff: their
 * countries; partners: people in one of their networks), is in the session's country and — for
 * participants — has consent. Missing or invisible → 404 naming `attendance[i].participantId`;
 * another country → 400; no consent → 409. This and personQuery() are what to replace with
 * PeopleService.requireAttendable once the people module provides it.
 */
function judgeAttendance(rows: readonly ReferenceRow[], countryCode: string, attendance: readonly AttendanceDto[]): void {
  for (const [field, kind] of Object.entries(KINDS) as [keyof typeof KINDS, (typeof KINDS)[keyof typeof KINDS]][]) {
    const found = new Map(rows.filter((r) => r.kind === field).map((r) => [r.id, r]));
    attendance.forEach((a, i) => {
      const id = a[field];
      if (id === undefined) return;
      const row = found.get(id);
      const at = `attendance[${i}].${field}`;
      if (!row || !row.visible) throw referenceNotFound(at, kind.what);
      if (row.countryCode !== countryCode) {
        throw badRequest(`Attendees must be from the session's country (${countryCode}).`, [{ field: at, message: `must be a ${kind.what} in ${countryCode}` }]);
      }
      if (kind.consent && !row.consentGiven) {
        throw new ProblemException(409, `The participant at ${at} has not given consent to be recorded; record consent first or count them as unnamed attendance.`, {
          slug: 'consent-missing',
          errors: [{ field: at, message: 'has not given consent' }],
        });
      }
    });
  }
}
