import { AppConfig } from '../../config/app-config';
import { PersonalDataCipher } from './personal-data-cipher';

/** The cipher the configuration names: the current key encrypts, the current and the old keys decrypt. */
export function personalDataCipherFrom(config: Pick<AppConfig, 'dataEncryptionKey' | 'dataEncryptionKeyId' | 'dataEncryptionOldKeys'>): PersonalDataCipher {
  return new PersonalDataCipher(new Map([...config.dataEncryptionOldKeys, [config.dataEncryptionKeyId, config.dataEncryptionKey]]), config.dataEncryptionKeyId);
}
