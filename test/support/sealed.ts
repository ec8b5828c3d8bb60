import { personalDataCipherFrom } from '../../src/common/crypto/cipher-from-config';
import { PersonalDataCipher } from '../../src/common/crypto/personal-data-cipher';
import { loadConfig } from '../../src/config/app-config';
import { sealSessionText } from '../../src/field-work/session-text';

let cipher: PersonalDataCipher | undefined;

/** The cipher of the test configuration: what an app started by startTestApp() (or a drill's processes) encrypts with. */
export function testCipher(): PersonalDataCipher {
  cipher ??= personalDataCipherFrom(loadConfig({ ...process.env, NODE_ENV: 'test' }));
  return cipher;
}

/**
 * Free text encrypted as the app under test stores it, for rows a fixture writes straight in SQL:
 * every free-text column holds ciphertext only.
 */
export function sealed(value: string, context: string): string {
  return testCipher().encrypt(value, context);
}

/** sessions.text_enc for a session titled `title`. */
export function sealedSessionText(title: string, place: string | null = null, summary: string | null = null): string {
  return sealSessionText(testCipher(), { title, place, summary });
}
