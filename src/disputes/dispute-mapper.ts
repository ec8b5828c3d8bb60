import { RequestContext } from '../common/context/request-context';
import { mayViewFreeText, unseal } from '../common/crypto/free-text';
import { PersonalDataCipher } from '../common/crypto/personal-data-cipher';
import { DisputeHistory } from './dispute-history.entity';
import { DisputeParty } from './dispute-party.entity';
import { Dispute } from './dispute.entity';
import { DisputeDto } from './dto/dispute-response.dto';

/** Cipher contexts: a ciphertext moved to another column fails to decrypt. */
export const CIPHER = {
  description: 'dispute.description',
  partyLabel: 'dispute.partyLabel',
  resolutionTerms: 'dispute.resolutionTerms',
  historyNote: 'dispute.historyNote',
  referralReference: 'dispute.referralReference',
} as const;

export interface DisputeChildren {
  parties: DisputeParty[];
  mediatorIds: string[];
  sessionIds: string[];
}

export function toDisputeDto(
  cipher: PersonalDataCipher,
  ctx: RequestContext,
  d: Dispute,
  children: DisputeChildren,
  history?: DisputeHistory[],
): DisputeDto {
  // Case text (description, party labels, resolution terms, referral reference, notes) may identify
  // people: shown by the one free-text rule (mayViewFreeText), never to hq_analyst.
  const show = mayViewFreeText(ctx, d.countryCode);
  const open = (value: string | null, context: string) => unseal(cipher, show, value, context);
  return {
    id: d.id,
    networkId: d.networkId,
    countryCode: d.countryCode,
    reportedByPartnerId: d.reportedByPartnerId,
    reportedOn: d.reportedOn,
    category: d.category,
    description: open(d.descriptionEnc, CIPHER.description),
    parties: [...children.parties].sort((a, b) => a.position - b.position).map((p) => ({ label: open(p.labelEnc, CIPHER.partyLabel), participantId: p.participantId })),
    severity: d.severity,
    violenceRisk: d.violenceRisk,
    status: d.status,
    mediatorIds: [...children.mediatorIds].sort(),
    sessionIds: [...children.sessionIds].sort(),
    resolution: d.resolutionAgreedOn
      ? { terms: open(d.resolutionTermsEnc, CIPHER.resolutionTerms), agreedOn: d.resolutionAgreedOn, followUpOn: d.resolutionFollowUpOn }
      : null,
    referral: d.referralTo ? { to: d.referralTo, reference: open(d.referralReferenceEnc, CIPHER.referralReference) } : null,
    resolvedOn: d.resolvedOn,
    version: d.version,
    archivedAt: d.archivedAt?.toISOString() ?? null,
    createdAt: d.createdAt.toISOString(),
    updatedAt: d.updatedAt.toISOString(),
    ...(history
      ? {
          history: history.map((h) => ({
            from: h.fromStatus,
            to: h.toStatus,
            note: open(h.noteEnc, CIPHER.historyNote),
            actorKind: h.actorKind,
            actorId: h.actorId,
            at: h.occurredAt.toISOString(),
          })),
        }
      : {}),
  };
}
