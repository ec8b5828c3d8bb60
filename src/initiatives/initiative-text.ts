import { RequestContext } from '../common/context/request-context';
import { mayViewFreeText, unseal } from '../common/crypto/free-text';
import { PersonalDataCipher } from '../common/crypto/personal-data-cipher';

/** Cipher contexts of the initiatives module's free text: a ciphertext moved to another column fails to decrypt. */
export const INITIATIVE_CIPHER = {
  title: 'initiative.title',
  problemStatement: 'initiative.problemStatement',
  historyNote: 'initiative.historyNote',
  milestoneDescription: 'milestone.description',
  disbursementReference: 'disbursement.reference',
} as const;

/** Opens an initiative's stored free text for one caller: clear, or null when withheld (mayViewFreeText). */
export type TextOpener = (stored: string | null, context: string) => string | null;

export function textOpener(cipher: PersonalDataCipher, ctx: RequestContext, countryCode: string): TextOpener {
  const show = mayViewFreeText(ctx, countryCode);
  return (stored, context) => unseal(cipher, show, stored, context);
}
