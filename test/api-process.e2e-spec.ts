import assert from 'node:assert/strict';
import { ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Client } from 'pg';
import { createTestDatabase } from './support/test-database';

const MAIN = join(__dirname, '..', 'src', 'main.js');

function startApi(env: Record<string, string>): { child: ChildProcess; output: () => string; listening: Promise<number> } {
  const child = spawn(process.execPath, [MAIN], { env: { ...process.env, NODE_ENV: 'test', LOG_LEVEL: 'warn', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const listening = new Promise<number>((resolve, reject) => {
    const started = Date.now();
    child.stdout!.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('API listening')) resolve(Date.now() - started);
    });
    child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('exit', (code) => reject(new Error(`API exited with ${code} before listening:\n${output}`)));
  });
  return { child, output: () => output, listening };
}

describe('the API process', () => {
  let database: { url: string; drop: () => Promise<void> };
  before(async () => {
    database = await createTestDatabase();
  });
  after(() => database.drop());

  it('starts on a migrated database and exits 0 on SIGTERM after closing its connections', async () => {
    const port = 40_000 + Math.floor(Math.random() * 10_000);
    const api = startApi({ DATABASE_URL: database.url, PORT: String(port) });
    const exited = once(api.child, 'exit');
    try {
      const startupMs = await api.listening;
      console.log(`# API cold start: ${startupMs} ms (spawn to listening)`);
      const res = await fetch(`http://127.0.0.1:${port}/health/live`);
      assert.equal(res.status, 200);
    } finally {
      api.child.kill('SIGTERM');
    }
    const [code] = await exited;
    assert.equal(code, 0, api.output());
  });

  it('logs every request with its id, and never a secret', async () => {
    const port = 40_000 + Math.floor(Math.random() * 10_000);
    const api = startApi({ DATABASE_URL: database.url, PORT: String(port), LOG_LEVEL: 'debug' });
    const exited = once(api.child, 'exit');
    try {
      await api.listening;
      const password = 'Very-Secret-Password-123';
      const res = await fetch(`http://127.0.0.1:${port}/api/v1/auth/login`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', 'X-Request-Id': 'trace-login-0001' },
        body: JSON.stringify({ email: 'nobody@example.org', password }),
      });
      assert.equal(res.status, 401);
      await fetch(`http://127.0.0.1:${port}/api/v1/countries`, { headers: { Authorization: 'Bearer forged.token.value-xyz', 'X-API-Key': 'jsd_abcdefgh_secretsecret' } });
      await new Promise((resolve) => setTimeout(resolve, 200));
      const lines = api.output().split('\n').filter((l) => l.startsWith('{'));
      assert.ok(lines.some((l) => l.includes('"trace-login-0001"')), 'the request id is on the request log line');
      for (const secret of [password, 'forged.token.value-xyz', 'secretsecret']) assert.ok(!api.output().includes(secret), `${secret} leaked into the log`);
    } finally {
      api.child.kill('SIGTERM');
    }
    assert.equal((await exited)[0], 0);
  });

  it('refuses to serve on a schema that is behind its migrations, and says what to run', async () => {
    const empty = await createTestDatabase();
    const client = new Client({ connectionString: empty.url });
    await client.connect();
    await client.query(`DELETE FROM schema_migrations WHERE id = (SELECT max(id) FROM schema_migrations)`);
    await client.end();
    const api = startApi({ DATABASE_URL: empty.url, PORT: '0' });
    api.listening.catch(() => undefined); // exiting before listening is the point
    const [code] = await once(api.child, 'exit');
    await empty.drop();
    assert.equal(code, 1);
    assert.match(api.output(), /schema is behind the migrations.*npm run migration:run/s);
  });
});
