import { Injectable, Logger } from '@nestjs/common';
import type { Job } from 'bullmq';
import { DataSource } from 'typeorm';
import { JobHandler } from '../job-handler.decorator';
import { JOBS, QUEUES } from '../job-names';
import { PURGE_TARGETS, PurgeTarget } from './purge-targets';

const BATCH_SIZE = 5_000;
const IDENTIFIER = /^[a-z_][a-z0-9_]*$/;

export type PurgeCounts = Record<string, number>;

/** Deletes expired rows of every purge target. Idempotent: a second run deletes nothing more. */
@Injectable()
export class HousekeepingService {
  private readonly logger = new Logger('Housekeeping');

  constructor(private readonly dataSource: DataSource) {}

  @JobHandler(QUEUES.housekeeping, JOBS.housekeeping.purgeExpired)
  async handlePurgeExpired(job: Job): Promise<PurgeCounts> {
    return this.purgeExpired(PURGE_TARGETS, (done) => job.updateProgress(done));
  }

  async purgeExpired(targets: readonly PurgeTarget[] = PURGE_TARGETS, progress?: (percent: number) => Promise<unknown>): Promise<PurgeCounts> {
    const counts: PurgeCounts = {};
    for (const [index, target] of targets.entries()) {
      counts[target.name] = await this.purgeTarget(target);
      await progress?.(Math.round(((index + 1) / targets.length) * 100));
    }
    this.logger.log({ deleted: counts }, 'expired rows purged');
    return counts;
  }

  private async purgeTarget(target: PurgeTarget): Promise<number> {
    if (!IDENTIFIER.test(target.table)) throw new Error(`purge target ${target.name}: invalid table name`);
    let total = 0;
    for (;;) {
      // ctid batches: each DELETE is short, so a large backlog never blocks writers for long.
      const [, deleted] = (await this.dataSource.query(
        `DELETE FROM ${target.table} WHERE ctid IN (SELECT ctid FROM ${target.table} WHERE ${target.expiredWhere} LIMIT ${BATCH_SIZE})`,
      )) as [unknown, number];
      total += deleted;
      if (deleted < BATCH_SIZE) return total;
    }
  }
}
