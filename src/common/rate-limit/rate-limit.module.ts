import { createHash } from 'node:crypto';
import { ExecutionContext, Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { ThrottlerGuard, ThrottlerModule } from '@nestjs/throttler';
import type { FastifyRequest } from 'fastify';
import { AppConfig } from '../../config/app-config';
import { APP_CONFIG } from '../../config/config.module';
import { clientAddress } from '../http/client-address';
import { routePath } from '../http/route-path';
import { RedisThrottlerStorage } from './redis-throttler.storage';

/**
 * A per-client request budget (RATE_LIMIT_PER_MINUTE) shared by all API replicas through Redis.
 * The tracker is the client address (client-address.ts: the socket's, or what trusted proxies
 * report); credential routes have a stricter budget of their own. Routes are recognised by the
 * pattern the router matched (route-path.ts), never by the URL as the client spelled it.
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

function requestOf(context: ExecutionContext): FastifyRequest {
  return context.switchToHttp().getRequest<FastifyRequest>();
}

function isCredentialRoute(context: ExecutionContext): boolean {
  const request = requestOf(context);
  return request.method === 'POST' && CREDENTIAL_ROUTES.has(routePath(request));
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
        getTracker: (request: Record<string, unknown>) => clientAddress(request as unknown as FastifyRequest),
        storage: new RedisThrottlerStorage(config.redisUrl, config.queuePrefix),
        // Health checks come from load balancers and orchestrators, not clients.
        skipIf: (context) => routePath(requestOf(context)).startsWith('/health/'),
      }),
    }),
  ],
  providers: [{ provide: APP_GUARD, useClass: ThrottlerGuard }],
})
export class RateLimitModule {}
