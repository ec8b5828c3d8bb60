import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { drill } from './scenarios/catalogue';
import { assertDrill } from './support/assert-drill';

// Each drill runs on its own PostgreSQL cluster, redis-server and API/worker processes (see
// test/drills/support); the short variants of `npm run drills` (docs/testing.md, "Fault drills").
describe('fault drills: Redis and PostgreSQL go away under load', () => {
  it('Redis stops and returns: every session POST and run request is accepted, every run completes, none lost or duplicated, readiness recovers', async () => {
    const result = await drill('redis-stop').fast();
    assertDrill(result);
    assert.ok(Number(result.extra.okDuringOutage) > 0, 'writes go on while Redis is down');
    assert.ok(Number(result.extra.runRequestsDuringOutage) > 0, 'runs were requested while Redis was down');
    assert.equal(result.extra.lostRuns, 0);
    assert.equal(result.extra.duplicatedRuns, 0);
    assert.ok(result.recoverySeconds !== undefined && result.recoverySeconds < 10, `readiness back after ${result.recoverySeconds} s`);
  });

  it('Redis hangs with connections open: writes never wait for it, and every accepted run completes', async () => {
    const result = await drill('redis-freeze').fast();
    assertDrill(result);
    assert.equal(result.extra.lostRuns, 0);
    assert.ok(result.maxLatencyMs < 3_000, `max latency ${result.maxLatencyMs} ms`);
  });

  it('PostgreSQL restarts: 503 with Retry-After while down, serving again within seconds, no accepted write lost', async () => {
    const result = await drill('postgres-restart').fast();
    assertDrill(result);
    assert.ok(result.unavailable > 0, 'clients saw 503 while the database was down');
    assert.ok(result.recoverySeconds !== undefined && result.recoverySeconds <= 5, `recovered after ${result.recoverySeconds} s`);
  });
});
