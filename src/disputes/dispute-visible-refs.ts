import { EntityManager } from 'typeorm';
import { RequestContext } from '../common/context/request-context';
import { readableIds } from '../common/scope/readable-ids';
import { SESSION_TABLE } from '../field-work/session-list';
import { PARTICIPANT_TABLE } from '../people/personal-data';
import { PARTNER_TABLE } from '../programme/references';
import { DisputeDto } from './dto/dispute-response.dto';
import { DisputePartyDto } from './dto/dispute.dto';

/**
 * A dispute names sessions, participants (mediators, parties) and its reporting partner. Country
 * staff may link a session of a neighbouring network or name a mediator from elsewhere in the
 * country; a partner user of the dispute's network sees only what it may itself read (its
 * networks' sessions and people, its own organisation). Everything else is left out (lists) or
 * null (single ids), decided by PostgreSQL: one query per kind for a whole page.
 */
export async function hideUnreadableRefs(manager: EntityManager, ctx: RequestContext, disputes: DisputeDto[]): Promise<DisputeDto[]> {
  const sessions = await readableIds(manager, ctx, SESSION_TABLE, disputes.flatMap((d) => d.sessionIds));
  const people = await readableIds(manager, ctx, PARTICIPANT_TABLE, disputes.flatMap((d) => [...d.mediatorIds, ...d.parties.map((p) => p.participantId)]));
  const partners = await readableIds(manager, ctx, PARTNER_TABLE, disputes.map((d) => d.reportedByPartnerId));
  return disputes.map((d) => ({
    ...d,
    reportedByPartnerId: d.reportedByPartnerId && partners.has(d.reportedByPartnerId) ? d.reportedByPartnerId : null,
    parties: d.parties.map((p) => ({ ...p, participantId: p.participantId && people.has(p.participantId) ? p.participantId : null })),
    mediatorIds: d.mediatorIds.filter((id) => people.has(id)),
    sessionIds: d.sessionIds.filter((id) => sessions.has(id)),
  }));
}

interface DisputeLinks {
  parties: DisputePartyDto[];
  mediatorIds: string[];
  sessionIds: string[];
}

/**
 * What a PATCH stores when the caller sent links it only partly sees: it manages the part it can
 * read, and the links hidden from it stay. A party sent back without a participant keeps the
 * hidden participant of a current party with the same label (the caller saw that party with
 * participantId null).
 */
export async function keepUnreadableRefs(manager: EntityManager, ctx: RequestContext, current: DisputeLinks, sent: DisputeLinks): Promise<DisputeLinks> {
  const sessions = await readableIds(manager, ctx, SESSION_TABLE, current.sessionIds);
  const people = await readableIds(manager, ctx, PARTICIPANT_TABLE, [...current.mediatorIds, ...current.parties.map((p) => p.participantId)]);
  const hiddenSessions = current.sessionIds.filter((id) => !sessions.has(id) && !sent.sessionIds.includes(id));
  const hiddenMediators = current.mediatorIds.filter((id) => !people.has(id) && !sent.mediatorIds.includes(id));
  const hiddenParties = current.parties.filter((p) => p.participantId && !people.has(p.participantId));
  const parties = sent.parties.map((p) => {
    if (p.participantId) return p;
    const i = hiddenParties.findIndex((h) => h.label === p.label);
    if (i < 0) return p;
    const [kept] = hiddenParties.splice(i, 1);
    return { label: p.label, participantId: kept.participantId };
  });
  return {
    parties,
    mediatorIds: [...sent.mediatorIds, ...hiddenMediators].sort(),
    sessionIds: [...sent.sessionIds, ...hiddenSessions].sort(),
  };
}
