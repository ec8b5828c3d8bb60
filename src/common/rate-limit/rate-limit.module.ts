import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { ThrottlerGuard, ThrottlerModule } from '@nestjs/throttler';
import { AppConfig } from '../../config/app-config';
import { APP_CONFIG } from '../../config/config.module';
import { RedisThrottlerStorage } from './redis-throttler.storage';

/**
 * A per-client request budget (RATE_LIMIT_PER_MINUTE) shared by all API replicas through Redis.
 * The tracker is the client IP; login has a stricter limit of its own (see AuthController).
 */
@Module({
  imports: [
    ThrottlerModule.forRootAsync({
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => ({
        throttlers: [{ name: 'default', ttl: 60_000, limit: config.rateLimit.perMinute }],
        storage: new RedisThrottlerStorage(config.redisUrl, config.queuePrefix),
        // Health checks come from load balancers and orchestrators, not clients.
        skipIf: (context) => context.switchToHttp().getRequest<{ url: string }>().url.startsWith('/health/'),
      }),
    }),
  ],
  providers: [{ provide: APP_GUARD, useClass: ThrottlerGuard }],
})
export class RateLimitModule {}
