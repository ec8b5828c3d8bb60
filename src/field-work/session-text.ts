import { PersonalDataCipher } from '../common/crypto/personal-data-cipher';

/** Cipher contexts: a ciphertext moved to another column fails to decrypt. */
export const FIELD_WORK_CIPHER = {
  sessionText: 'session.text',
  actionPointDescription: 'action_point.description',
} as const;

/** A session's free text, as the client wrote it. */
export interface SessionText {
  title: string;
  place: string | null;
  summary: string | null;
}

/** What a caller is shown of it: all three null when withheld. */
export type ShownSessionText = { [K in keyof SessionText]: SessionText[K] | null };

export const SESSION_TEXT_FIELDS = ['title', 'place', 'summary'] as const;

export const WITHHELD_SESSION_TEXT: ShownSessionText = { title: null, place: null, summary: null };

/**
 * The three fields are sealed together, as one JSON object: a list page shows 50 sessions, and
 * each value costs a decryption (about 6–8 µs of the API's single thread here); one per session
 * instead of up to three keeps GET /sessions close to what it cost before the text was encrypted.
 */
export function sealSessionText(cipher: PersonalDataCipher, text: SessionText): string {
  return cipher.encrypt(JSON.stringify({ title: text.title, place: text.place, summary: text.summary }), FIELD_WORK_CIPHER.sessionText);
}

export function openSessionText(cipher: PersonalDataCipher, stored: string): SessionText {
  return JSON.parse(cipher.decrypt(stored, FIELD_WORK_CIPHER.sessionText)) as SessionText;
}
