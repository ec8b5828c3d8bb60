import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { PollingLoop } from './polling-loop';

describe('PollingLoop', () => {
  it('runs at once, then again after each run, never two at once, and goes on after a failure', async () => {
    let active = 0;
    let most = 0;
    let runs = 0;
    const errors: unknown[] = [];
    const loop = new PollingLoop(
      async () => {
        active++;
        most = Math.max(most, active);
        runs++;
        await sleep(5);
        active--;
        if (runs === 2) throw new Error('second run fails');
      },
      1,
      (error) => errors.push(error),
    );
    loop.start();
    await sleep(80);
    await loop.stop();
    assert.ok(runs >= 4, `ran ${runs} times`);
    assert.equal(most, 1);
    assert.equal(errors.length, 1);
  });

  it('stop() waits for the run in progress and nothing runs after it', async () => {
    let finished = false;
    let runs = 0;
    const loop = new PollingLoop(
      async () => {
        runs++;
        await sleep(30);
        finished = true;
      },
      1,
      () => undefined,
    );
    loop.start();
    await sleep(10);
    await loop.stop();
    assert.equal(finished, true);
    assert.equal(loop.isStopped, true);
    const after = runs;
    await sleep(20);
    assert.equal(runs, after);
  });
});
