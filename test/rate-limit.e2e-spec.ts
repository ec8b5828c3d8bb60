import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { AddressInfo, createServer, Socket } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { Redis } from 'ioredis';
import { RedisThrottlerStorage } from '../src/common/rate-limit/redis-throttler.storage';
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

  it('gives a client one budget across routes, not one per route', async () => {
    // The budget above is spent: another route answers 429 as well.
    assert.equal((await t.http.get('/api/v1/networks')).status, 429);
    assert.equal((await t.http.post('/api/v1/sessions').send({})).status, 429);
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
    // Refreshing draws on the same credential budget; other routes keep the larger general one.
    assert.equal((await t.http.post('/api/v1/auth/refresh').send({ refreshToken: 'x'.repeat(40) })).status, 429);
    assert.equal((await t.http.get('/api/v1/countries')).status, 401);
  });
});

describe('rate limiting across API replicas', () => {
  let a: TestApp;
  let b: TestApp;
  before(async () => {
    // Two replicas: their own databases, one Redis and one key prefix, as in a deployment.
    const shared = { RATE_LIMIT_PER_MINUTE: '5', QUEUE_PREFIX: `jsdrl${randomBytes(4).toString('hex')}` };
    a = await startTestApp(shared);
    b = await startTestApp(shared);
  });
  after(async () => {
    await a.close();
    await b.close();
  });

  it('counts one client against one budget whichever replica answers', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) statuses.push((await (i % 2 ? b : a).http.get('/api/v1/countries')).status);
    assert.deepEqual(statuses, [401, 401, 401, 401, 401, 429]);
    assert.equal((await a.http.get('/api/v1/countries')).status, 429);
  });
});

describe('RedisThrottlerStorage', () => {
  const prefix = `jsdrl${randomBytes(4).toString('hex')}`;
  const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

  it('counts in a fixed window, also after Redis has forgotten its scripts (a restart)', async () => {
    const storage = new RedisThrottlerStorage(redisUrl, prefix);
    const admin = new Redis(redisUrl);
    try {
      // It connects in the background and fails open until then (the app is ready long before).
      const connection = (storage as unknown as { redis: Redis }).redis;
      if (connection.status !== 'ready') await once(connection, 'ready');
      const first = await storage.increment('client-1', 60_000, 2, 0, 'default');
      assert.deepEqual(first, { totalHits: 1, timeToExpire: 60, isBlocked: false, timeToBlockExpire: 0 });
      assert.equal((await storage.increment('client-1', 60_000, 2, 0, 'default')).totalHits, 2);
      await admin.script('FLUSH');
      const third = await storage.increment('client-1', 60_000, 2, 0, 'default');
      assert.deepEqual(third, { totalHits: 3, timeToExpire: 60, isBlocked: true, timeToBlockExpire: 60 });
      assert.equal((await storage.increment('client-2', 60_000, 2, 0, 'default')).totalHits, 1, 'clients have their own counters');
      const pttl = await admin.pttl(`${prefix}:rl:default:client-1`);
      assert.ok(pttl > 55_000 && pttl <= 60_000, `the window expires (pttl ${pttl})`);
    } finally {
      await storage.onModuleDestroy();
      admin.disconnect();
    }
  });

  it('does not count (fails open) at once when Redis is unreachable, and does not ask again for a while', async () => {
    const closed = await freePort();
    const storage = new RedisThrottlerStorage(`redis://127.0.0.1:${closed}`, prefix);
    try {
      const started = Date.now();
      assert.deepEqual(await storage.increment('client-1', 60_000, 1, 0, 'default'), NOT_COUNTED);
      assert.deepEqual(await storage.increment('client-1', 60_000, 1, 0, 'default'), NOT_COUNTED);
      assert.ok(Date.now() - started < 1_000, `took ${Date.now() - started} ms`);
    } finally {
      await storage.onModuleDestroy();
    }
  });

  it('does not count (fails open) within its timeout when Redis hangs, then skips Redis instead of waiting again', async () => {
    // Answers the connection handshake (CLIENT SETINFO, INFO), then nothing: a frozen redis-server.
    const sockets: Socket[] = [];
    const hung = createServer((socket) => {
      sockets.push(socket);
      socket.on('data', (data) => {
        for (const command of data.toString().split(/(?=\*\d+\r\n\$)/)) {
          if (/SETINFO/i.test(command)) socket.write('+OK\r\n');
          else if (/^\*1\r\n\$4\r\ninfo\r\n$/i.test(command)) socket.write('$9\r\nloading:0\r\n');
        }
      });
    });
    await new Promise<void>((resolve) => hung.listen(0, '127.0.0.1', resolve));
    const storage = new RedisThrottlerStorage(`redis://127.0.0.1:${(hung.address() as AddressInfo).port}`, prefix);
    try {
      const connection = (storage as unknown as { redis: Redis }).redis;
      if (connection.status !== 'ready') await once(connection, 'ready');
      let started = Date.now();
      assert.deepEqual(await storage.increment('client-1', 60_000, 1, 0, 'default'), NOT_COUNTED);
      const waited = Date.now() - started;
      assert.ok(waited >= 200 && waited < 1_000, `the first request waited ${waited} ms (the command timeout is 250 ms)`);
      started = Date.now();
      assert.deepEqual(await storage.increment('client-1', 60_000, 1, 0, 'default'), NOT_COUNTED);
      assert.ok(Date.now() - started < 50, `the next request waited ${Date.now() - started} ms`);
    } finally {
      await storage.onModuleDestroy();
      for (const socket of sockets) socket.destroy();
      hung.close();
    }
  });
});

const NOT_COUNTED = { totalHits: 0, timeToExpire: 0, isBlocked: false, timeToBlockExpire: 0 };

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}
