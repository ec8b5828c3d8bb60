import assert from 'node:assert/strict';
import { ChildProcess, spawn } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Queue } from 'bullmq';
import { Pool } from 'pg';
import { JOBS, QUEUES } from '../src/common/jobs/job-names';
import { SCHEDULES } from '../src/common/jobs/schedules';
import { createTestDatabase } from './support/test-database';
import { sealedSessionText } from './support/sealed';

const WORKER = join(__dirname, '..', 'src', 'worker.js');
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

async function waitFor<T>(what: string, probe: () => Promise<T | undefined | false>, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('the built worker process', () => {
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  let db: Pool;
  let queue: Queue;
  let worker: ChildProcess;
  let output = '';
  const prefix = `jsdt${randomBytes(4).toString('hex')}`;

  before(async () => {
    database = await createTestDatabase();
    db = new Pool({ connectionString: database.url, max: 2 });
    // An idle client whose connection the server ends (database dropped) must not crash the run.
    db.on('error', () => undefined);
    queue = new Queue(QUEUES.housekeeping, { connection: { url: REDIS_URL }, prefix });
    worker = spawn(process.execPath, [WORKER], {
      env: { PATH: process.env.PATH ?? '', NODE_ENV: 'test', DATABASE_URL: database.url, REDIS_URL, QUEUE_PREFIX: prefix, LOG_LEVEL: 'info', METRICS_ROLLUP_INTERVAL_MS: '200' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    worker.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    worker.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    await waitFor('the worker to start', async () => output.includes('"worker started"') || worker.exitCode !== null);
    assert.equal(worker.exitCode, null, `worker exited early:\n${output}`);
  });

  after(async () => {
    if (worker.exitCode === null) worker.kill('SIGKILL');
    await queue.obliterate({ force: true });
    await queue.close();
    await db.end();
    await database.drop();
  });

  it('says it is the worker in its logs and in pg_stat_activity', async () => {
    const started = output.split('\n').find((line) => line.includes('"worker started"'))!;
    assert.equal(JSON.parse(started).process, 'worker');
    const { rows } = await db.query(`SELECT DISTINCT application_name FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()`);
    assert.ok(rows.some((r) => r.application_name === 'jsd-worker'), JSON.stringify(rows));
  });

  it('schedules housekeeping with a job scheduler', async () => {
    const schedule = SCHEDULES.find((s) => s.name === JOBS.housekeeping.purgeExpired)!;
    const scheduler = await waitFor('the scheduler', () => queue.getJobScheduler(schedule.id));
    assert.equal(scheduler.pattern, schedule.repeat.pattern);
  });

  it('relays a committed outbox message and runs its job', async () => {
    await db.query(
      `INSERT INTO outbox_messages (id, queue, name, job_id, data) VALUES ($1, $2, $3, 'wp-purge-1', '{}')`,
      [randomUUID(), QUEUES.housekeeping, JOBS.housekeeping.purgeExpired],
    );
    await waitFor('the job to complete', async () => (await queue.getJob('wp-purge-1'))?.isCompleted());
    // Fetched again: a job object read just before completion keeps returnvalue null.
    const job = (await queue.getJob('wp-purge-1'))!;
    assert.deepEqual(job.returnvalue, { outboxMessages: 0, idempotencyKeys: 0, refreshTokens: 0 });
    const { rows } = await db.query('SELECT relayed_at FROM outbox_messages');
    assert.ok(rows[0].relayed_at);
  });

  it('recomputes the metrics rollups of months a write marked dirty', async () => {
    const { rows: [country] } = await db.query(`SELECT code FROM countries ORDER BY code LIMIT 1`);
    const network = randomUUID();
    await db.query(`INSERT INTO networks (id, country_code, name, level, admin_area, established_on) VALUES ($1, $2, 'Rollup net', 'district', 'Somewhere', '2015-01-01')`, [network, country.code]);
    await db.query(`INSERT INTO sessions (id, network_id, country_code, text_enc, kind, held_on, unnamed_women) VALUES ($1, $2, $3, $4, 'dialogue', '2016-03-04', 3)`, [
      randomUUID(), network, country.code, sealedSessionText('Rollup'),
    ]);
    await waitFor('the dirty month to be refreshed', async () => Number((await db.query('SELECT count(*) AS n FROM metrics_dirty_months')).rows[0].n) === 0);
    const { rows } = await db.query(`SELECT sessions, unnamed_attendances FROM metrics_country_months WHERE country_code = $1 AND month = '2016-03-01'`, [country.code]);
    assert.deepEqual(rows, [{ sessions: 1, unnamed_attendances: 3 }]);
  });

  it('stops cleanly on SIGTERM with exit code 0', async () => {
    const exited = once(worker, 'exit');
    worker.kill('SIGTERM');
    const [code] = (await Promise.race([exited, new Promise((_, reject) => setTimeout(() => reject(new Error('no exit within 15 s')), 15_000))])) as [number];
    assert.equal(code, 0, output);
    assert.match(output, /worker stopped/);
  });
});

describe('the built worker process with Redis unreachable', () => {
  it('starts, and still stops on SIGTERM with exit code 0', async () => {
    const database = await createTestDatabase();
    let output = '';
    const worker = spawn(process.execPath, [WORKER], {
      env: { PATH: process.env.PATH ?? '', NODE_ENV: 'test', DATABASE_URL: database.url, REDIS_URL: 'redis://127.0.0.1:6390', LOG_LEVEL: 'info' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    worker.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    worker.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    try {
      await waitFor('the worker to start', async () => output.includes('"worker started"') || worker.exitCode !== null);
      assert.equal(worker.exitCode, null, output);
      const exited = once(worker, 'exit');
      const started = Date.now();
      worker.kill('SIGTERM');
      const [code] = (await exited) as [number];
      assert.equal(code, 0, output);
      assert.ok(Date.now() - started < 10_000, `took ${Date.now() - started} ms`);
    } finally {
      if (worker.exitCode === null) worker.kill('SIGKILL');
      await database.drop();
    }
  });
});
