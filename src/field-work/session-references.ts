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

/** The network a session is logged for, if it is active and visible to the caller; else 404. */
export async function requireSessionNetwork(manager: EntityManager, ctx: RequestContext, networkId: string): Promise<{ id: string; countryCode: string }> {
  const scope = scopeCondition(ctx.principal, { country: 'n.country_code', network: 'n.id' });
  const row = await manager
    .createQueryBuilder()
    .select('n.id', 'id')
    .addSelect('n.country_code', 'countryCode')
    .from('networks', 'n')
    .where('n.id = :networkId AND n.archived_at IS NULL', { networkId })
    .andWhere(scope.sql, scope.params)
    .getRawOne<{ id: string; countryCode: string }>();
  if (!row) throw referenceNotFound('networkId', 'network');
  return row;
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
    .from('partners', 'p')
    .where('p.id = :partnerId AND p.archived_at IS NULL', { partnerId })
    .andWhere(scope.sql, scope.params)
    .getRawOne<{ countryCode: string }>();
  if (!row) throw referenceNotFound('facilitatorPartnerId', 'partner');
  if (row.countryCode !== countryCode) {
    throw badRequest('The facilitating partner works in another country than the session\'s network.', [
      { field: 'facilitatorPartnerId', message: `must be a partner in ${countryCode}` },
    ]);
  }
}

interface PersonRow {
  id: string;
  countryCode: string;
  visible: boolean;
  consentGiven: boolean | null;
}

const KINDS = {
  participantId: { table: 'participants', links: 'participant_networks', linkColumn: 'participant_id', what: 'participant', consent: true },
  policePartnerId: { table: 'police_partners', links: 'police_partner_networks', linkColumn: 'police_partner_id', what: 'police partner', consent: false },
} as const;

/**
 * Checks a session's named attendance, with one query per kind of person: every person exists,
 * is visible to the caller (country staff: their countries; partners: people in one of their
 * networks), is in the session's country, appears once, and — for participants — has consent.
 * Missing or invisible → 404 naming `attendance[i].participantId`; another country or a
 * duplicate → 400; no consent → 409. This is the one function to replace with
 * PeopleService.requireAttendable once the people module provides it.
 */
export async function checkAttendance(manager: EntityManager, ctx: RequestContext, countryCode: string, attendance: readonly AttendanceDto[]): Promise<void> {
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

  for (const [field, kind] of Object.entries(KINDS) as [keyof typeof KINDS, (typeof KINDS)[keyof typeof KINDS]][]) {
    const ids = attendance.map((a) => a[field]).filter((id): id is string => id !== undefined);
    if (!ids.length) continue;
    const byCountry = scopeCondition(ctx.principal, { country: 'x.country_code' });
    const byNetwork = scopeCondition(ctx.principal, { network: 'l.network_id' });
    const rows = await manager
      .createQueryBuilder()
      .select('x.id', 'id')
      .addSelect('x.country_code', 'countryCode')
      .addSelect(kind.consent ? 'x.consent_given' : 'NULL', 'consentGiven')
      .addSelect(`(${byCountry.sql}) OR EXISTS (SELECT 1 FROM ${kind.links} l WHERE l.${kind.linkColumn} = x.id AND ${byNetwork.sql})`, 'visible')
      .from(kind.table, 'x')
      .where('x.id IN (:...ids) AND x.archived_at IS NULL', { ids })
      .setParameters({ ...byCountry.params, ...byNetwork.params })
      .getRawMany<PersonRow>();
    const found = new Map(rows.map((r) => [r.id, r]));
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
