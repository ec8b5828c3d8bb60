import { EntityManager, In } from 'typeorm';
import { PersonalDataCipher } from '../common/crypto/personal-data-cipher';
import { CIPHER, DisputeChildren } from './dispute-mapper';
import { DisputeMediator } from './dispute-mediator.entity';
import { DisputeParty } from './dispute-party.entity';
import { DisputeSession } from './dispute-session.entity';
import { DisputePartyDto } from './dto/dispute.dto';

/** Replaces a dispute's parties (in the order given, labels encrypted). */
export async function writeParties(manager: EntityManager, cipher: PersonalDataCipher, disputeId: string, parties: readonly DisputePartyDto[]): Promise<void> {
  await manager.delete(DisputeParty, { disputeId });
  await manager.insert(
    DisputeParty,
    parties.map((p, position) => ({ disputeId, position, labelEnc: cipher.encrypt(p.label, CIPHER.partyLabel), participantId: p.participantId ?? null })),
  );
}

export async function writeMediators(manager: EntityManager, disputeId: string, participantIds: readonly string[]): Promise<void> {
  await manager.delete(DisputeMediator, { disputeId });
  if (participantIds.length) await manager.insert(DisputeMediator, participantIds.map((participantId) => ({ disputeId, participantId })));
}

export async function writeSessions(manager: EntityManager, disputeId: string, sessionIds: readonly string[]): Promise<void> {
  await manager.delete(DisputeSession, { disputeId });
  if (sessionIds.length) await manager.insert(DisputeSession, sessionIds.map((sessionId) => ({ disputeId, sessionId })));
}

/** Parties, mediators and sessions of a page of disputes: one query per relation, never one per dispute. */
export async function loadChildren(manager: EntityManager, disputeIds: readonly string[]): Promise<Map<string, DisputeChildren>> {
  const result = new Map<string, DisputeChildren>(disputeIds.map((id) => [id, { parties: [], mediatorIds: [], sessionIds: [] }]));
  if (!disputeIds.length) return result;
  const ids = In([...disputeIds]);
  // Sequential: inside a transaction the three share one connection anyway.
  const parties = await manager.find(DisputeParty, { where: { disputeId: ids }, order: { disputeId: 'ASC', position: 'ASC' } });
  const mediators = await manager.find(DisputeMediator, { where: { disputeId: ids } });
  const sessions = await manager.find(DisputeSession, { where: { disputeId: ids } });
  for (const p of parties) result.get(p.disputeId)?.parties.push(p);
  for (const m of mediators) result.get(m.disputeId)?.mediatorIds.push(m.participantId);
  for (const s of sessions) result.get(s.disputeId)?.sessionIds.push(s.sessionId);
  return result;
}
