import { Global, Module } from '@nestjs/common';
import { AppConfig } from '../../config/app-config';
import { APP_CONFIG } from '../../config/config.module';
import { personalDataCipherFrom } from './cipher-from-config';
import { PersonalDataCipher } from './personal-data-cipher';

@Global()
@Module({
  providers: [
    {
      provide: PersonalDataCipher,
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => personalDataCipherFrom(config),
    },
  ],
  exports: [PersonalDataCipher],
})
export class CryptoModule {}
