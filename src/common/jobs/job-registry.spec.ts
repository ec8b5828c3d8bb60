import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Injectable, Type } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { Test } from '@nestjs/testing';
import { JobFailedHandler, JobHandler } from './job-handler.decorator';
import { checkFailedHandlers, checkHandlers, JobRegistry } from './job-registry';
import { declaredJobs, JOBS, QUEUES } from './job-names';

const declared = [
  { queue: 'housekeeping', name: 'purge-expired' },
  { queue: 'insights', name: 'learning-summary' },
];

describe('worker job handler check', () => {
  it('accepts exactly one handler per declared job', () => {
    const problems = checkHandlers(declared, [
      { queue: 'housekeeping', name: 'purge-expired', owner: 'Housekeeping.purge' },
      { queue: 'insights', name: 'learning-summary', owner: 'Summaries.run' },
    ]);
    assert.deepEqual(problems, []);
  });

  it('names a declared job that has no handler', () => {
    const problems = checkHandlers(declared, [{ queue: 'housekeeping', name: 'purge-expired', owner: 'Housekeeping.purge' }]);
    assert.deepEqual(problems, ['job insights/learning-summary has no handler']);
  });

  it('names both handlers of a job that has two', () => {
    const problems = checkHandlers(declared, [
      { queue: 'housekeeping', name: 'purge-expired', owner: 'A.purge' },
      { queue: 'housekeeping', name: 'purge-expired', owner: 'B.purge' },
      { queue: 'insights', name: 'learning-summary', owner: 'Summaries.run' },
    ]);
    assert.deepEqual(problems, ['job housekeeping/purge-expired has 2 handlers: A.purge, B.purge']);
  });

  it('refuses a handler for a job that is not declared', () => {
    const problems = checkHandlers(declared.slice(0, 1), [
      { queue: 'housekeeping', name: 'purge-expired', owner: 'Housekeeping.purge' },
      { queue: 'housekeeping', name: 'purge-expird', owner: 'Typo.purge' },
    ]);
    assert.deepEqual(problems, ['Typo.purge handles housekeeping/purge-expird, which is not declared in common/jobs/job-names.ts']);
  });

  it('allows no failure handler, and refuses two for one job or one for an undeclared job', () => {
    assert.deepEqual(checkFailedHandlers(declared, []), []);
    const problems = checkFailedHandlers(declared, [
      { queue: 'insights', name: 'learning-summary', owner: 'A.failed' },
      { queue: 'insights', name: 'learning-summary', owner: 'B.failed' },
      { queue: 'insights', name: 'learning-sumary', owner: 'Typo.failed' },
    ]);
    assert.deepEqual(problems, [
      'job insights/learning-summary has 2 failure handlers: A.failed, B.failed',
      'Typo.failed handles failures of insights/learning-sumary, which is not declared in common/jobs/job-names.ts',
    ]);
  });

  it('declares every job constant under its queue name', () => {
    assert.deepEqual(declaredJobs(), [
      { queue: QUEUES.housekeeping, name: JOBS.housekeeping.purgeExpired },
      { queue: QUEUES.notifications, name: JOBS.notifications.criticalEarlyWarning },
      { queue: QUEUES.learningSummaries, name: JOBS.learningSummaries.compute },
      { queue: QUEUES.learningSummaries, name: JOBS.learningSummaries.schedulePreviousMonth },
    ]);
    assert.ok(declaredJobs().every((job) => !job.queue.includes(':') && !job.name.includes(':')));
  });
});

@Injectable()
class PurgeA {
  @JobHandler(QUEUES.housekeeping, JOBS.housekeeping.purgeExpired)
  async purge(): Promise<string> {
    return 'A';
  }
}

@Injectable()
class PurgeB {
  @JobHandler(QUEUES.housekeeping, JOBS.housekeeping.purgeExpired)
  async purge(): Promise<string> {
    return 'B';
  }
}

/** Stands in for the other declared jobs, so a test boots a registry about one job only. */
@Injectable()
class OtherJobs {
  @JobHandler(QUEUES.notifications, JOBS.notifications.criticalEarlyWarning)
  async notify(): Promise<string> {
    return 'N';
  }

  @JobHandler(QUEUES.learningSummaries, JOBS.learningSummaries.compute)
  async compute(): Promise<string> {
    return 'C';
  }

  failed: string[] = [];

  @JobFailedHandler(QUEUES.learningSummaries, JOBS.learningSummaries.compute)
  async computeFailed(_job: unknown, error: Error): Promise<void> {
    this.failed.push(error.message);
  }

  @JobHandler(QUEUES.learningSummaries, JOBS.learningSummaries.schedulePreviousMonth)
  async schedule(): Promise<string> {
    return 'S';
  }
}

async function bootRegistry(...handlers: Type[]) {
  const moduleRef = await Test.createTestingModule({ imports: [DiscoveryModule], providers: [JobRegistry, ...handlers] }).compile();
  await moduleRef.init();
  return moduleRef;
}

describe('JobRegistry at bootstrap', () => {
  it('finds @JobHandler methods on providers and dispatches to them', async () => {
    const moduleRef = await bootRegistry(PurgeA, OtherJobs);
    const handler = moduleRef.get(JobRegistry).handlerFor(QUEUES.housekeeping, JOBS.housekeeping.purgeExpired);
    assert.equal(await handler!({} as never), 'A');
    await moduleRef.close();
  });

  it('finds @JobFailedHandler methods: only for the jobs that declare one', async () => {
    const moduleRef = await bootRegistry(PurgeA, OtherJobs);
    const registry = moduleRef.get(JobRegistry);
    assert.equal(registry.failedHandlerFor(QUEUES.housekeeping, JOBS.housekeeping.purgeExpired), undefined);
    await registry.failedHandlerFor(QUEUES.learningSummaries, JOBS.learningSummaries.compute)!({} as never, new Error('stalled'));
    assert.deepEqual(moduleRef.get(OtherJobs).failed, ['stalled']);
    await moduleRef.close();
  });

  it('refuses to start with two handlers for one job, naming both', async () => {
    await assert.rejects(bootRegistry(PurgeA, PurgeB), /cannot start: job housekeeping\/purge-expired has 2 handlers: PurgeA.purge, PurgeB.purge/);
  });

  it('refuses to start when a declared job has no handler', async () => {
    await assert.rejects(bootRegistry(), /cannot start: job housekeeping\/purge-expired has no handler/);
  });
});
