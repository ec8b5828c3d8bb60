import { Module } from '@nestjs/common';
import { APP_GUARD, DiscoveryModule } from '@nestjs/core';
import { JwtModule } from '@nestjs/jwt';
import { PassportModule } from '@nestjs/passport';
import { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';
import { AccessGuard } from './access.guard';
import { ApiKeyCache } from './api-key-cache';
import { ApiKeyStrategy } from './api-key.strategy';
import { ApiKeysController } from './api-keys.controller';
import { ApiKeysService } from './api-keys.service';
import { AuthController } from './auth.controller';
import { BootstrapAdminService } from './bootstrap-admin.service';
import { JwtStrategy } from './jwt.strategy';
import { LocalStrategy } from './local.strategy';
import { LoginLockout } from './login-lockout';
import { LoginService } from './login.service';
import { PasswordsService } from './passwords.service';
import { TokensService } from './tokens.service';
import { UsersController } from './users.controller';
import { UsersService } from './users.service';

/** Sign-in, tokens, API keys, users, and the global deny-by-default access guard. */
@Module({
  imports: [
    DiscoveryModule,
    PassportModule.register({ session: false }),
    JwtModule.registerAsync({
      inject: [APP_CONFIG],
      // One pinned algorithm; claims (iss, aud, exp) are set explicitly by TokensService.
      useFactory: (config: AppConfig) => ({ secret: config.jwt.secret, signOptions: { algorithm: 'HS256' } }),
    }),
  ],
  controllers: [AuthController, UsersController, ApiKeysController],
  providers: [
    PasswordsService,
    TokensService,
    LoginService,
    LoginLockout,
    UsersService,
    ApiKeysService,
    BootstrapAdminService,
    LocalStrategy,
    JwtStrategy,
    ApiKeyStrategy,
    // A factory, not a class provider: its constructor takes a clock, which tests replace.
    { provide: ApiKeyCache, useFactory: () => new ApiKeyCache() },
    { provide: APP_GUARD, useClass: AccessGuard },
  ],
  exports: [UsersService, TokensService],
})
export class AuthModule {}
