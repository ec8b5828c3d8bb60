import { Logger, OnModuleDestroy } from '@nestjs/common';
import { ThrottlerStorage } from '@nestjs/throttler';
import type { ThrottlerStorageRecord } from '@nestjs/throttler/dist/throttler-storage-record.interface';
import { Redis } from 'ioredis';

// One round trip: count the hit in a fixed window and read the window's remaining time. Sent as
// EVALSHA (ioredis' defineCommand, which falls back to EVAL when Redis answers NOSCRIPT, e.g.
// after a restart): EVAL sent the script's text with every request and Redis hashed it each time.
const INCREMENT = `
local hits = redis.call('INCR', KEYS[1])
if hits == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
return { hits, redis.call('PTTL', KEYS[1]) }`;

/** How long one counter update may wait for Redis before the request goes on without it. */
const COMMAND_TIMEOUT_MS = 250;
/** After a failure, Redis is not asked again for this long: a hung Redis costs one timeout, not one per request. */
const SKIP_AFTER_FAILURE_MS = 2_000;

/**
 * Rate-limit counters in Redis, so that every API replica counts against the same limit. If
 * Redis is unreachable or hangs the limit is not enforced (fail open): losing rate limiting for a
 * moment is better than refusing every field office's request. A hung Redis (connection open, no
 * answers) is the dangerous case: without a command timeout every request would wait for it.
 */
const NOT_COUNTED: ThrottlerStorageRecord = { totalHits: 0, timeToExpire: 0, isBlocked: false, timeToBlockExpire: 0 };

interface RateLimitRedis extends Redis {
  rateLimitIncrement(key: string, ttlMs: number): Promise<[number, number]>;
}

export class RedisThrottlerStorage implements ThrottlerStorage, OnModuleDestroy {
  private readonly logger = new Logger('RateLimit');
  private readonly redis: RateLimitRedis;
  private skipUntil = 0;

  constructor(redisUrl: string, private readonly prefix: string) {
    this.redis = new Redis(redisUrl, {
      lazyConnect: true,
      enableOfflineQueue: false,
      maxRetriesPerRequest: 1,
      connectTimeout: 2_000,
      commandTimeout: COMMAND_TIMEOUT_MS,
      retryStrategy: (attempt) => Math.min(attempt * 200, 5_000),
      // Requests that arrive together send their counters in one write: under load the write
      // system call, not ioredis, was most of the counter's cost (5% of GET /sessions busy time).
      enableAutoPipelining: true,
    }) as RateLimitRedis;
    this.redis.defineCommand('rateLimitIncrement', { numberOfKeys: 1, lua: INCREMENT });
    this.redis.on('error', () => undefined); // reported once per failed increment below
    this.redis.connect().catch(() => undefined);
  }

  async increment(key: string, ttl: number, limit: number, _blockDuration: number, throttlerName: string): Promise<ThrottlerStorageRecord> {
    if (Date.now() < this.skipUntil) return NOT_COUNTED;
    try {
      const [hits, pttl] = await this.redis.rateLimitIncrement(`${this.prefix}:rl:${throttlerName}:${key}`, ttl);
      const timeToExpire = Math.max(0, Math.ceil(pttl / 1000));
      return { totalHits: hits, timeToExpire, isBlocked: hits > limit, timeToBlockExpire: hits > limit ? timeToExpire : 0 };
    } catch (error) {
      this.skipUntil = Date.now() + SKIP_AFTER_FAILURE_MS;
      this.logger.warn({ err: (error as Error).message }, 'rate limit not enforced: Redis unavailable');
      return NOT_COUNTED;
    }
  }

  async onModuleDestroy(): Promise<void> {
    this.redis.disconnect();
  }
}
