import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, it } from 'node:test';

const MAIN = join(__dirname, '..', 'src', 'main.js');
const WORKER = join(__dirname, '..', 'src', 'worker.js');

// A clean environment: nothing inherited may supply the variable under test.
function run(script: string, env: Record<string, string>) {
  return spawnSync(process.execPath, [script], {
    env: { PATH: process.env.PATH ?? '', ...env },
    encoding: 'utf8',
    timeout: 20_000,
  });
}

describe('configuration errors stop start-up with the variable named', () => {
  it('API: production without JWT_SECRET exits 1 naming JWT_SECRET', () => {
    const result = run(MAIN, { NODE_ENV: 'production' });
    assert.equal(result.status, 1);
    assert.match(result.stderr, /JWT_SECRET/);
  });

  it('API: PORT=abc exits 1 naming PORT', () => {
    const result = run(MAIN, { NODE_ENV: 'development', PORT: 'abc' });
    assert.equal(result.status, 1);
    assert.match(result.stderr, /PORT must be an integer/);
  });

  it('worker: production without JWT_SECRET exits 1 naming JWT_SECRET', () => {
    const result = run(WORKER, { NODE_ENV: 'production' });
    assert.equal(result.status, 1);
    assert.match(result.stderr, /JWT_SECRET/);
  });
});
