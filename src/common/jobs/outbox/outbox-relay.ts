import { Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { PollingLoop } from '../polling-loop';
import { Queues } from '../queues';

interface PendingRow {
  id: string;
  queue: string;
  name: string;
  job_id: string;
  data: Record<string, unknown>;
}

export interface RelayResult {
  relayed: number;
  failed: number;
}

const BATCH_SIZE = 100;
const POLL_MS = 1_000;

/**
 * Runs in the worker: moves committed outbox rows to BullMQ.
 *
 * Each batch is claimed with `FOR UPDATE SKIP LOCKED`, so several workers relay in parallel
 * without taking the same row twice. The row is stamped relayed in the same transaction that
 * locked it; if the process dies after `queue.add` but before the commit, the row is relayed
 * again and BullMQ ignores the second add because the job id already exists.
 */
@Injectable()
export class OutboxRelay implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('OutboxRelay');
  private readonly loop = new PollingLoop(() => this.drain(), POLL_MS, (error) =>
    this.logger.error({ err: error }, 'outbox relay failed'),
  );
  private lastWarning = 0;

  constructor(
    private readonly dataSource: DataSource,
    private readonly queues: Queues,
  ) {}

  onApplicationBootstrap(): void {
    this.loop.start();
  }

  async onModuleDestroy(): Promise<void> {
    await this.loop.stop();
  }

  /** Relays until the outbox is empty (or Redis refuses), then waits for the next poll. */
  private async drain(): Promise<void> {
    for (;;) {
      const { relayed, failed } = await this.relayBatch();
      if (relayed) this.logger.log({ relayed }, 'outbox messages relayed');
      if (failed || relayed < BATCH_SIZE || this.loop.isStopped) return;
    }
  }

  async relayBatch(batchSize = BATCH_SIZE): Promise<RelayResult> {
    return this.dataSource.transaction(async (manager) => {
      const rows = (await manager.query(
        `SELECT id, queue, name, job_id, data FROM outbox_messages
          WHERE relayed_at IS NULL ORDER BY created_at, id LIMIT $1 FOR UPDATE SKIP LOCKED`,
        [batchSize],
      )) as PendingRow[];
      const done: string[] = [];
      let failed = 0;
      for (const row of rows) {
        const queue = this.queues.find(row.queue);
        if (!queue) {
          // A queue removed from the constants: keep the row for inspection, do not block the rest.
          failed++;
          await manager.query('UPDATE outbox_messages SET attempts = attempts + 1, last_error = $2 WHERE id = $1', [row.id, `unknown queue ${row.queue}`]);
          continue;
        }
        try {
          await queue.add(row.name, row.data, { jobId: row.job_id });
          done.push(row.id);
        } catch (error) {
          failed++;
          const message = error instanceof Error ? error.message : String(error);
          await manager.query('UPDATE outbox_messages SET attempts = attempts + 1, last_error = $2 WHERE id = $1', [row.id, message.slice(0, 500)]);
          if (Date.now() - this.lastWarning > 60_000) {
            // Polled every second: while Redis is down, say so once a minute.
            this.lastWarning = Date.now();
            this.logger.warn({ messageId: row.id, queue: row.queue, job: row.name, err: error }, 'could not relay outbox message');
          }
          // Redis is most likely down: stop here and let the next poll retry in order.
          break;
        }
      }
      if (done.length) {
        await manager.query('UPDATE outbox_messages SET relayed_at = now(), attempts = attempts + 1, last_error = NULL WHERE id = ANY($1::uuid[])', [done]);
      }
      return { relayed: done.length, failed };
    });
  }
}
