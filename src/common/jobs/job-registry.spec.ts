import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { checkHandlers } from './job-registry';
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

  it('declares every job constant under its queue name', () => {
    assert.deepEqual(declaredJobs(), [{ queue: QUEUES.housekeeping, name: JOBS.housekeeping.purgeExpired }]);
    assert.ok(declaredJobs().every((job) => !job.queue.includes(':') && !job.name.includes(':')));
  });
});
