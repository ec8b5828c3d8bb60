import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { drill } from './scenarios/catalogue';
import { assertDrill } from './support/assert-drill';

describe('fault drills: the API and worker processes and their clients', () => {
  it('SIGTERM under load: in-flight requests finish, new connections are refused, exit 0, nothing half-written', async () => {
    const result = await drill('api-sigterm').fast();
    assertDrill(result);
    assert.equal(result.extra.exitCode, '0');
    assert.equal(result.extra.droppedInFlight, 0);
    // In flight at the signal: finished with 2xx, or (sent but not yet read by the server) a retryable 503.
    assert.equal(Number(result.extra.finishedAfterTerm) + Number(result.extra.lateArrivals), result.extra.inFlightAtTerm);
    assert.ok(Number(result.extra.finishedAfterTerm) > 0);
    assert.ok(Number(result.extra.refused) > 0);
  });

  it('the worker is SIGKILLed three times in the middle of a summary run: it completes, with the summaries of an undisturbed run', async () => {
    const result = await drill('worker-sigkill').fast();
    assertDrill(result);
    assert.equal(result.extra.kills, 3);
    assert.ok(Number(result.extra.attempts) >= 4, `attempts ${result.extra.attempts}`);
    assert.equal(result.extra.equal, true);
  });

  it('every POST sent four times concurrently: exactly one record per operation', async () => {
    const result = await drill('retry-storm').fast();
    assertDrill(result);
    assert.equal(result.extra.records, 200);
    assert.ok(Number(result.extra.replayed) > 0, 'retries were answered by replay');
  });
});
