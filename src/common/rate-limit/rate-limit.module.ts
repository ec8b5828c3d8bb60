import { createHash } from 'node:crypto';
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

/**
 * One budget per client and throttler, whichever route it calls: the library's default key also
 * names the controller and handler, which gave every route a budget of its own (600 a minute on
 * each of sixty routes; login and refresh 20 each). The storage adds the throttler's name; the
 * client IP is hashed, so that Redis keeps no address.
 */
function clientKey(_context: ExecutionContext, tracker: string): string {
  return createHash('sha256').update(tracker).digest('base64url');
}

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
        generateKey: clientKey,
        storage: new RedisThrottlerStorage(config.redisUrl, config.queuePrefix),
        // Health checks come from load balancers and orchestrators, not clients.
        skipIf: (context) => context.switchToHttp().getRequest<{ url: string }>().url.startsWith('/health/'),
      }),
    }),
  ],
  providers: [{ provide: APP_GUARD, useClass: ThrottlerGuard }],
})
export class RateLimitModule {}
