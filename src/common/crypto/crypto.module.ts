import { Global, Module } from '@nestjs/common';
import { AppConfig } from '../../config/app-config';
import { APP_CONFIG } from '../../config/config.module';
import { PersonalDataCipher } from './personal-data-cipher';

@Global()
@Module({
  providers: [
    {
      provide: PersonalDataCipher,
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) =>
        new PersonalDataCipher(new Map([...config.dataEncryptionOldKeys, [config.dataEncryptionKeyId, config.dataEncryptionKey]]), config.dataEncryptionKeyId),
    },
  ],
  exports: [PersonalDataCipher],
})
export class CryptoModule {}
