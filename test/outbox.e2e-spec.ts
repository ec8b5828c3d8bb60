import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { Queue } from 'bullmq';
import { DataSource } from 'typeorm';
import { JOBS, QUEUES } from '../src/common/jobs/job-names';
import { OutboxRelay } from '../src/common/jobs/outbox/outbox-relay';
import { OutboxService } from '../src/common/jobs/outbox/outbox.service';
import { Queues } from '../src/common/jobs/queues';
import { startTestApp, TestApp } from './support/test-app';

const purge = { queue: QUEUES.housekeeping, name: JOBS.housekeeping.purgeExpired };

describe('outbox', () => {
  let t: TestApp;
  let dataSource: DataSource;
  let outbox: OutboxService;
  let relay: OutboxRelay;
  let queue: Queue;

  before(async () => {
    t = await startTestApp();
    dataSource = t.app.get(DataSource);
    outbox = t.app.get(OutboxService);
    // The relay runs in the worker; here it is driven by hand against the test's private prefix.
    relay = new OutboxRelay(dataSource, t.app.get(Queues));
    queue = t.app.get(Queues).get(QUEUES.housekeeping);
  });
  beforeEach(async () => {
    await t.db.query('DELETE FROM outbox_messages');
    await queue.obliterate({ force: true });
  });
  after(async () => {
    await queue.obliterate({ force: true });
    await t.close();
  });

  const jobCount = async () => {
    const counts = await queue.getJobCounts('waiting', 'delayed', 'active', 'completed', 'failed', 'prioritized');
    return Object.values(counts).reduce((a, b) => a + b, 0);
  };

  it('enqueues nothing when the transaction rolls back', async () => {
    await assert.rejects(
      dataSource.transaction(async (manager) => {
        await outbox.enqueue(manager, { ...purge, jobId: 'rolled-back-1', data: { reason: 'test' } });
        throw new Error('the write failed');
      }),
      /the write failed/,
    );
    assert.equal((await t.db.query('SELECT count(*)::int AS n FROM outbox_messages')).rows[0].n, 0);
    assert.deepEqual(await relay.relayBatch(), { relayed: 0, failed: 0 });
    assert.equal(await jobCount(), 0);
  });

  it('relays a committed message to BullMQ exactly once, even when the relay runs again', async () => {
    await dataSource.transaction((manager) => outbox.enqueue(manager, { ...purge, jobId: 'committed-1', data: { runId: 'r1' } }));

    assert.deepEqual(await relay.relayBatch(), { relayed: 1, failed: 0 });
    assert.deepEqual(await relay.relayBatch(), { relayed: 0, failed: 0 });
    const job = await queue.getJob('committed-1');
    assert.ok(job, 'the job is in Redis under the private prefix');
    assert.equal(job.name, purge.name);
    assert.deepEqual(job.data, { runId: 'r1' });
    assert.ok(queue.qualifiedName.startsWith(`${t.config.queuePrefix}:`));
    assert.equal(await jobCount(), 1);

    // A crash after queue.add but before the commit leaves the row unrelayed: relaying it again
    // must not create a second job.
    await t.db.query('UPDATE outbox_messages SET relayed_at = NULL');
    assert.deepEqual(await relay.relayBatch(), { relayed: 1, failed: 0 });
    assert.equal(await jobCount(), 1);
    const { rows } = await t.db.query('SELECT relayed_at, attempts FROM outbox_messages');
    assert.ok(rows[0].relayed_at);
  });

  it('lets two relays share the work without relaying a row twice', async () => {
    await dataSource.transaction(async (manager) => {
      for (let i = 0; i < 30; i++) await outbox.enqueue(manager, { ...purge, jobId: `parallel-${i}`, data: { i } });
    });
    const other = new OutboxRelay(dataSource, t.app.get(Queues));
    const results = await Promise.all([relay.relayBatch(10), other.relayBatch(10), relay.relayBatch(10), other.relayBatch(10)]);
    assert.equal(results.reduce((sum, r) => sum + r.relayed, 0), 30);
    assert.equal(await jobCount(), 30);
    assert.equal((await t.db.query('SELECT count(*)::int AS n FROM outbox_messages WHERE relayed_at IS NULL')).rows[0].n, 0);
  });

  it('refuses to enqueue outside a transaction', async () => {
    await assert.rejects(outbox.enqueue(dataSource.manager, { ...purge, jobId: 'no-tx', data: {} }), /inside the transaction/);
  });

  it('refuses job ids with a colon, undeclared jobs and personal data', async () => {
    await dataSource.transaction(async (manager) => {
      await assert.rejects(outbox.enqueue(manager, { ...purge, jobId: 'summary:IQ', data: {} }), /Invalid job id/);
      await assert.rejects(outbox.enqueue(manager, { ...purge, jobId: '42', data: {} }), /Invalid job id/);
      await assert.rejects(outbox.enqueue(manager, { queue: 'housekeeping', name: 'nope', jobId: 'x-1', data: {} }), /Unknown job/);
      await assert.rejects(outbox.enqueue(manager, { ...purge, jobId: 'x-2', data: { fullName: 'A B' } }), /personal data/);
    });
  });
});
