import { personalDataCipherFrom } from '../../src/common/crypto/cipher-from-config';
import { PersonalDataCipher } from '../../src/common/crypto/personal-data-cipher';
import { openSessionText, SessionText } from '../../src/field-work/session-text';
import { TestApp } from './test-app';

/** The cipher of the app under test: to read what it stored encrypted. */
export function cipherOf(t: TestApp): PersonalDataCipher {
  return personalDataCipherFrom(t.config);
}

/** A session's title, place and summary as stored (sessions.text_enc), decrypted. */
export async function storedSessionText(t: TestApp, id: string): Promise<SessionText> {
  const { rows } = await t.db.query<{ text_enc: string }>('SELECT text_enc FROM sessions WHERE id = $1', [id]);
  return openSessionText(cipherOf(t), rows[0].text_enc);
}
