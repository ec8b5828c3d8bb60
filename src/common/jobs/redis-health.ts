import { Inject, Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { Redis } from 'ioredis';
import { AppConfig } from '../../config/app-config';
import { APP_CONFIG } from '../../config/config.module';
import { redisConnection } from './redis-connection';

/** A small fail-fast connection used only to answer "is Redis reachable?" for /health/ready. */
@Injectable()
export class RedisHealth implements OnApplicationShutdown {
  private readonly logger = new Logger('RedisHealth');
  private readonly client: Redis;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    const { url, ...options } = redisConnection(config, 'producer') as { url: string } & Record<string, unknown>;
    this.client = new Redis(url, { ...options, connectionName: `jsd-${process.env.JSD_PROCESS ?? 'api'}-health` });
    // The queues already log unreachable Redis; this connection only needs to not crash on it.
    this.client.on('error', (error: Error) => this.logger.debug(`Redis health connection: ${error.message}`));
  }

  async ping(): Promise<void> {
    const answer = await this.client.ping();
    if (answer !== 'PONG') throw new Error(`unexpected PING answer ${answer}`);
  }

  onApplicationShutdown(): void {
    // disconnect(), not quit(): quit waits for a reply that a dead Redis never sends.
    this.client.disconnect();
  }
}
