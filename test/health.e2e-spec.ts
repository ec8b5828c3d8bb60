import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startTestApp, TestApp } from './support/test-app';

describe('health', () => {
  let t: TestApp;
  before(async () => {
    t = await startTestApp();
  });
  after(() => t.close());

  it('is live without authentication, outside /api/v1', async () => {
    const res = await t.http.get('/health/live');
    assert.equal(res.status, 200);
    assert.deepEqual(res.body, { status: 'ok' });
  });

  it('is ready when PostgreSQL and Redis answer', async () => {
    const res = await t.http.get('/health/ready');
    assert.equal(res.status, 200);
    assert.deepEqual(res.body, { status: 'ok', checks: { database: 'up', redis: 'up' } });
  });
});

describe('health with Redis unreachable', () => {
  let t: TestApp;
  before(async () => {
    // Nothing listens on 6390: the app must still start and serve.
    t = await startTestApp({ REDIS_URL: 'redis://127.0.0.1:6390' });
  });
  after(async () => {
    const started = Date.now();
    await t.close();
    assert.ok(Date.now() - started < 5_000, 'shutdown must not wait for the dead Redis');
  });

  it('answers ready with 503, quickly, naming Redis but not its address', async () => {
    const started = Date.now();
    const res = await t.http.get('/health/ready');
    assert.equal(res.status, 503);
    assert.ok(Date.now() - started < 2_500, `readiness took ${Date.now() - started} ms`);
    assert.match(res.headers['content-type'], /^application\/problem\+json/);
    assert.equal(res.body.status, 503);
    assert.deepEqual(res.body.checks, { database: 'up', redis: 'down' });
    assert.match(res.body.detail, /redis/);
    assert.doesNotMatch(JSON.stringify(res.body), /6390|127\.0\.0\.1|ECONNREFUSED/);
  });

  it('is still live and still serves the API', async () => {
    assert.equal((await t.http.get('/health/live')).status, 200);
    assert.equal((await t.http.get('/api/v1/no-such-route')).status, 404);
  });
});
