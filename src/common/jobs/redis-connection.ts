import type { ConnectionOptions } from 'bullmq';
import { AppConfig } from '../../config/app-config';

/**
 * One place that turns the validated config into Redis connection options for BullMQ.
 *
 * - `producer` (API, outbox relay, health ping): fails fast. With `enableOfflineQueue: false` a
 *   command issued while Redis is unreachable is rejected at once instead of being buffered, so
 *   an HTTP request never hangs on a dead Redis and start-up never waits for it; `commandTimeout`
 *   does the same for a Redis that hangs with the connection open (the Redis fault drill).
 * - `worker`: `maxRetriesPerRequest: null`, as BullMQ requires for the blocking connections a
 *   Worker uses; commands wait for the reconnection instead of failing a job half-way.
 *
 * Both reconnect for ever with exponential backoff capped at 5 s (and jitter, so many replicas do
 * not reconnect in lock-step after a Redis restart): the cap bounds how long queues stay
 * unavailable after Redis is back.
 */
export type RedisRole = 'producer' | 'worker';

export function reconnectDelay(times: number): number {
  const base = Math.min(250 * 2 ** Math.min(times, 10), 5_000);
  return Math.round(base / 2 + Math.random() * (base / 2));
}

export function redisConnection(config: AppConfig, role: RedisRole): ConnectionOptions {
  const common = {
    url: config.redisUrl,
    connectionName: `jsd-${process.env.JSD_PROCESS ?? 'api'}-${role}`,
    connectTimeout: 2_000,
    retryStrategy: reconnectDelay,
  };
  return role === 'producer'
    ? { ...common, enableOfflineQueue: false, maxRetriesPerRequest: 1, commandTimeout: 2_000 }
    : { ...common, enableOfflineQueue: true, maxRetriesPerRequest: null };
}
