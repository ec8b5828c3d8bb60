import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { isDeclaredJob, JOB_ID_PATTERN } from '../job-names';

export type JobDataValue = string | number | boolean | null | readonly (string | number | boolean | null)[];

export interface OutboxEntry {
  queue: string;
  name: string;
  /** Derived from the job's input, e.g. `summary-IQ-2016-Q3`; no ':'. */
  jobId: string;
  /** Ids and parameters only: a flat object, never personal data. */
  data: Record<string, JobDataValue>;
}

// Job data lands in Redis, outside the encrypted, audited database: refuse the obvious leaks.
const PERSONAL_KEYS = /^(full_?name|name|phone|email|password|token|secret|address)$/i;

export class OutboxError extends Error {}

/**
 * Enqueue after commit: the job is written as a row in the caller's transaction, so a rolled-back
 * write never runs a job and a crash between commit and enqueue never loses one. The worker's
 * OutboxRelay adds the row to BullMQ.
 */
@Injectable()
export class OutboxService {
  async enqueue(manager: EntityManager, entry: OutboxEntry): Promise<string> {
    if (!manager.queryRunner?.isTransactionActive) {
      throw new OutboxError('OutboxService.enqueue must run inside the transaction of the write that needs the job');
    }
    if (!isDeclaredJob(entry.queue, entry.name)) {
      throw new OutboxError(`Unknown job ${entry.queue}/${entry.name}: declare it in common/jobs/job-names.ts`);
    }
    if (!JOB_ID_PATTERN.test(entry.jobId)) {
      throw new OutboxError(`Invalid job id "${entry.jobId}": letters, digits, '.', '_' and '-' only (no ':'), not a bare integer`);
    }
    for (const [key, value] of Object.entries(entry.data)) {
      if (PERSONAL_KEYS.test(key)) throw new OutboxError(`Job data may hold ids only; "${key}" looks like personal data`);
      const values = Array.isArray(value) ? value : [value];
      if (values.some((v) => v !== null && typeof v === 'object')) {
        throw new OutboxError(`Job data must be flat (ids and parameters); "${key}" holds an object`);
      }
    }
    const id = randomUUID();
    await manager.query('INSERT INTO outbox_messages (id, queue, name, job_id, data) VALUES ($1, $2, $3, $4, $5)', [
      id,
      entry.queue,
      entry.name,
      entry.jobId,
      JSON.stringify(entry.data),
    ]);
    return id;
  }
}
