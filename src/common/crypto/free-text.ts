import { RequestContext } from '../context/request-context';
import { PersonalDataCipher } from './personal-data-cipher';

/**
 * Free text (titles, descriptions, places, notes, references …) is personal data: whoever types it
 * can name a person, and a name in an early warning can get that person hurt. It is stored only
 * encrypted (PersonalDataCipher, one context per column), audited by field name only, and shown
 * by this one rule, the one disputes have always used for their case text:
 *
 * - admin: everywhere;
 * - country_staff: records of their countries;
 * - partner users: the records they can load at all, which scoping limits to their networks;
 * - hq_analyst: never (they get the record with the text as null).
 *
 * The caller's scope is applied in SQL before this runs, so the rule only has to decide what a
 * visible record shows, never which records are visible.
 */
export function mayViewFreeText(ctx: RequestContext, countryCode: string): boolean {
  const { role, countryCodes } = ctx.principal;
  return role === 'admin' || role === 'partner' || (role === 'country_staff' && countryCodes.includes(countryCode));
}

/** False when the caller may see the free text of no record at all, so a list need not even read the ciphertexts. */
export function mayViewAnyFreeText(ctx: RequestContext): boolean {
  return ctx.principal.role !== 'hq_analyst';
}

/** The OpenAPI description of every withheld free-text field. */
export const WITHHELD =
  'May name people: stored encrypted, and null when withheld — shown only to admin, country staff of the record\'s country and partner users of its network, never to hq_analyst.';

/** Encrypts a free-text value for `context`; null stays null. */
export function seal(cipher: PersonalDataCipher, value: string, context: string): string;
export function seal(cipher: PersonalDataCipher, value: string | null, context: string): string | null;
export function seal(cipher: PersonalDataCipher, value: string | null, context: string): string | null {
  return value === null ? null : cipher.encrypt(value, context);
}

/** The stored value in clear when `show`, else null (withheld or never set). */
export function unseal(cipher: PersonalDataCipher, show: boolean, stored: string | null, context: string): string | null {
  return show && stored !== null ? cipher.decrypt(stored, context) : null;
}

/** What erasure writes in place of a name, a phone number or a whole text it wipes. */
export const ERASED = '[erased]';
