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
    // Until the fourth run or two seconds: a fixed 80 ms failed on a machine busy with other test runs.
    for (const deadline = Date.now() + 2_000; runs < 4 && Date.now() < deadline; ) await sleep(10);
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

  it('asks a pause function after every run for how long to wait', async () => {
    const starts: number[] = [];
    const pauses = [30, 0];
    const loop = new PollingLoop(
      async () => {
        starts.push(performance.now());
      },
      () => pauses.shift() ?? 1_000,
      () => undefined,
    );
    loop.start();
    await sleep(80);
    await loop.stop();
    assert.equal(starts.length, 3, 'at once, after 30 ms, at once again, then not for a second');
    assert.ok(starts[1] - starts[0] >= 29, `waited ${starts[1] - starts[0]} ms`);
    assert.ok(starts[2] - starts[1] < 25, `waited ${starts[2] - starts[1]} ms`);
  });
});
