import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startTestApp, TestApp } from './support/test-app';

describe('rate limiting', () => {
  let t: TestApp;
  before(async () => {
    t = await startTestApp({ RATE_LIMIT_PER_MINUTE: '5' });
  });
  after(() => t.close());

  it('answers requests over the per-minute budget with a 429 problem and Retry-After', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) statuses.push((await t.http.get('/api/v1/countries')).status);
    assert.deepEqual(statuses, [401, 401, 401, 401, 401]);
    const limited = await t.http.get('/api/v1/countries');
    assert.equal(limited.status, 429);
    assert.match(limited.headers['content-type'], /application\/problem\+json/);
    assert.equal(limited.body.status, 429);
    assert.ok(Number(limited.headers['retry-after']) > 0);
  });

  it('never limits health checks', async () => {
    const res = await t.http.get('/health/live');
    assert.notEqual(res.status, 429);
  });
});

describe('rate limiting of credential routes', () => {
  let t: TestApp;
  before(async () => {
    t = await startTestApp({ LOGIN_RATE_LIMIT_PER_MINUTE: '3' });
  });
  after(() => t.close());

  it('limits login attempts per client across accounts, before the per-account lockout can see them', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) {
      statuses.push((await t.http.post('/api/v1/auth/login').send({ email: `nobody${i}@example.org`, password: 'wrong-password-1' })).status);
    }
    assert.deepEqual(statuses, [401, 401, 401, 429]);
    // Other routes keep their own, larger budget.
    assert.equal((await t.http.get('/api/v1/countries')).status, 401);
  });
});
