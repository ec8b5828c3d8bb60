import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Queue } from 'bullmq';
import { DataSource } from 'typeorm';
import { JOBS, QUEUES } from '../src/common/jobs/job-names';
import { OutboxRelay } from '../src/common/jobs/outbox/outbox-relay';
import { Queues } from '../src/common/jobs/queues';
import { CriticalWarningNotifier } from '../src/early-warning/critical-warning.notifier';
import { adminToken, auditCount, createUser, TestUser } from './support/auth';
import { startTestApp, TestApp } from './support/test-app';

describe('critical early-warning notifications', () => {
  let t: TestApp;
  let admin: string;
  let staffNP: TestUser[];
  let staffIQ: TestUser;
  let relay: OutboxRelay;
  let queue: Queue;
  let notifier: CriticalWarningNotifier;

  before(async () => {
    t = await startTestApp();
    admin = await adminToken(t);
    staffNP = [
      await createUser(t, admin, { role: 'country_staff', countryCodes: ['NP'] }),
      await createUser(t, admin, { role: 'country_staff', countryCodes: ['IQ', 'NP'] }),
    ];
    staffIQ = await createUser(t, admin, { role: 'country_staff', countryCodes: ['IQ'] });
    const dataSource = t.app.get(DataSource);
    // The relay and the handler run in the worker; here they are driven in-process.
    relay = new OutboxRelay(dataSource, t.app.get(Queues));
    queue = t.app.get(Queues).get(QUEUES.notifications);
    notifier = new CriticalWarningNotifier(dataSource);
  });
  after(async () => {
    await queue.obliterate({ force: true });
    await t.close();
  });

  const auth = (token: string) => ({ Authorization: `Bearer ${token}` });
  const report = (extra: Record<string, unknown> = {}) => ({
    countryCode: 'NP',
    observedOn: '2026-02-01',
    riskFactors: [1, 8],
    description: 'Armed group gathering near the camp; threats to burn houses.',
    severity: 'critical',
    ...extra,
  });
  const outboxFor = async (id: string) =>
    (await t.db.query(`SELECT queue, name, job_id, data FROM outbox_messages WHERE data->>'earlyWarningId' = $1 ORDER BY created_at`, [id])).rows;
  const notificationsFor = async (id: string) =>
    (await t.db.query<{ user_id: string; kind: string }>(`SELECT user_id, kind FROM notifications WHERE early_warning_id = $1 ORDER BY user_id`, [id])).rows;
  /** Relays the outbox and runs every waiting notification job, twice over (at-least-once delivery). */
  const runJobs = async () => {
    await relay.relayBatch();
    const jobs = await queue.getJobs(['waiting', 'prioritized', 'delayed']);
    for (const job of jobs) {
      await notifier.handle(job);
      await notifier.handle(job);
      await job.remove();
    }
    return jobs;
  };

  it('notifies every NP country_staff user exactly once for a critical report POSTed twice with one Idempotency-Key', async () => {
    const first = await t.http.post('/api/v1/early-warnings').set(auth(admin)).set('Idempotency-Key', 'critical-np-1').send(report());
    assert.equal(first.status, 201, JSON.stringify(first.body));
    const retry = await t.http.post('/api/v1/early-warnings').set(auth(admin)).set('Idempotency-Key', 'critical-np-1').send(report());
    assert.equal(retry.status, 201);
    assert.equal(retry.body.id, first.body.id);
    const id = first.body.id as string;

    const outbox = await outboxFor(id);
    assert.equal(outbox.length, 1);
    assert.deepEqual(outbox[0], {
      queue: QUEUES.notifications,
      name: JOBS.notifications.criticalEarlyWarning,
      job_id: `critical-ew-${id}-reported`,
      data: { earlyWarningId: id, trigger: 'reported' },
    });

    const jobs = await runJobs();
    assert.equal(jobs.length, 1);
    assert.deepEqual(Object.keys(jobs[0].data).sort(), ['earlyWarningId', 'trigger'], 'job data holds ids, never the description');
    // A second relay of the same row (crash before commit) and a second run change nothing.
    await t.db.query('UPDATE outbox_messages SET relayed_at = NULL WHERE job_id = $1', [`critical-ew-${id}-reported`]);
    await runJobs();

    const rows = await notificationsFor(id);
    assert.deepEqual(rows.map((r) => r.user_id).sort(), staffNP.map((u) => u.id).sort());
    assert.ok(rows.every((r) => r.kind === 'critical_warning_reported'));
    assert.ok(!rows.some((r) => r.user_id === staffIQ.id), 'nobody outside the country is notified');
  });

  it('queues nothing for a non-critical report', async () => {
    const res = await t.http.post('/api/v1/early-warnings').set(auth(admin)).send(report({ severity: 'high' }));
    assert.equal(res.status, 201);
    assert.deepEqual(await outboxFor(res.body.id), []);
  });

  it('notifies again when a critical report is escalated, and when a live report is raised to critical', async () => {
    const created = await t.http.post('/api/v1/early-warnings').set(auth(admin)).send(report({ severity: 'medium' }));
    const id = created.body.id as string;
    const raise = await t.http.patch(`/api/v1/early-warnings/${id}`).set(auth(staffNP[0].token)).send({ severity: 'critical' });
    assert.equal(raise.status, 200);
    for (const to of ['verified', 'escalated']) {
      const res = await t.http.post(`/api/v1/early-warnings/${id}/transitions`).set(auth(staffNP[0].token)).send({ to, note: 'confirmed' });
      assert.equal(res.status, 200);
    }
    assert.deepEqual((await outboxFor(id)).map((r) => r.data.trigger), ['raised', 'escalated']);
    await runJobs();
    const rows = await notificationsFor(id);
    assert.equal(rows.length, 2 * staffNP.length);
    assert.deepEqual([...new Set(rows.map((r) => r.kind))].sort(), ['critical_warning_escalated', 'critical_warning_raised']);
  });

  it('skips a report downgraded before its job runs', async () => {
    const created = await t.http.post('/api/v1/early-warnings').set(auth(admin)).send(report());
    await t.http.patch(`/api/v1/early-warnings/${created.body.id}`).set(auth(admin)).send({ severity: 'high' });
    assert.deepEqual(await notifier.notify({ earlyWarningId: created.body.id, trigger: 'reported' }), { notified: 0, skipped: 'no longer critical' });
    await runJobs();
    assert.deepEqual(await notificationsFor(created.body.id), []);
  });

  it("shows users their own notifications only, and marks them read once (one audit row)", async () => {
    const mine = await t.http.get('/api/v1/notifications?limit=200').set(auth(staffNP[0].token));
    assert.equal(mine.status, 200);
    assert.ok(mine.body.data.length >= 3);
    const theirs = await t.http.get('/api/v1/notifications').set(auth(staffIQ.token));
    assert.deepEqual(theirs.body.data, []);
    const target = mine.body.data[0];
    assert.equal((await t.http.post(`/api/v1/notifications/${target.id}/read`).set(auth(staffIQ.token))).status, 404);
    const before = await auditCount(t);
    const read = await t.http.post(`/api/v1/notifications/${target.id}/read`).set(auth(staffNP[0].token));
    assert.equal(read.status, 200);
    assert.ok(read.body.readAt);
    assert.equal((await t.http.post(`/api/v1/notifications/${target.id}/read`).set(auth(staffNP[0].token))).status, 200);
    assert.equal(await auditCount(t), before + 1);
    const unread = await t.http.get('/api/v1/notifications?limit=200&unreadOnly=true').set(auth(staffNP[0].token));
    assert.equal(unread.body.data.length, mine.body.data.length - 1);
    const warning = await t.http.get(`/api/v1/early-warnings/${target.earlyWarningId}`).set(auth(staffNP[0].token));
    assert.equal(warning.status, 200, 'the notified user can open the warning');
  });
});
