import { ExecutionContext, Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { ThrottlerGuard, ThrottlerModule } from '@nestjs/throttler';
import { AppConfig } from '../../config/app-config';
import { APP_CONFIG } from '../../config/config.module';
import { RedisThrottlerStorage } from './redis-throttler.storage';

/**
 * A per-client request budget (RATE_LIMIT_PER_MINUTE) shared by all API replicas through Redis.
 * The tracker is the client IP; credential routes have a stricter budget of their own.
 */
const CREDENTIAL_ROUTES = new Set(['/api/v1/auth/login', '/api/v1/auth/refresh']);

function isCredentialRoute(context: ExecutionContext): boolean {
  const request = context.switchToHttp().getRequest<{ method: string; url: string }>();
  return request.method === 'POST' && CREDENTIAL_ROUTES.has(request.url.split('?')[0]);
}

@Module({
  imports: [
    ThrottlerModule.forRootAsync({
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => ({
        throttlers: [
          { name: 'default', ttl: 60_000, limit: config.rateLimit.perMinute },
          // Password guessing across many accounts from one client: the per-account lockout
          // (LOGIN_MAX_FAILURES) cannot see it, this budget on credential routes does.
          { name: 'credentials', ttl: 60_000, limit: config.login.ratePerMinute, skipIf: (context) => !isCredentialRoute(context) },
        ],
        storage: new RedisThrottlerStorage(config.redisUrl, config.queuePrefix),
        // Health checks come from load balancers and orchestrators, not clients.
        skipIf: (context) => context.switchToHttp().getRequest<{ url: string }>().url.startsWith('/health/'),
      }),
    }),
  ],
  providers: [{ provide: APP_GUARD, useClass: ThrottlerGuard }],
})
export class RateLimitModule {}
