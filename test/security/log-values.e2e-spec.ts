import assert from 'node:assert/strict';
import { ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Client } from 'pg';
import { createTestDatabase } from '../support/test-database';

const MAIN = join(__dirname, '..', '..', 'src', 'main.js');
const ADMIN = { email: 'log-admin@test.local', password: 'log-admin-password-123' };

/**
 * No value of a failing statement reaches the log: not its parameters, not PostgreSQL's detail
 * (a unique violation quotes the row's key), not a message quoting the value it could not read,
 * not the request's body or query string. The real API process is started with every log level
 * on and its output read, and failures are provoked through the API on a database the test has
 * tampered with (a CHECK constraint, a unique index and a column type the application does not
 * expect), so each failure carries a value planted in the request.
 */
describe('log lines never carry the values of a failing statement', () => {
  let database: { url: string; drop: () => Promise<void> };
  let api: ChildProcess;
  let output = '';
  let base: string;
  let token: string;
  let db: Client;
  const sentinel = (what: string) => `Sentinel-${what}-${randomBytes(6).toString('hex')}`;
  const planted: string[] = [];

  const call = async (method: string, path: string, body?: unknown): Promise<{ status: number; body: Record<string, unknown> }> => {
    const res = await fetch(`${base}${path}`, {
      method,
      headers: { 'Content-Type': 'application/json', ...(token ? { Authorization: `Bearer ${token}` } : {}) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  };

  before(async () => {
    database = await createTestDatabase();
    db = new Client({ connectionString: database.url });
    await db.connect();
    const port = 40_000 + Math.floor(Math.random() * 10_000);
    base = `http://127.0.0.1:${port}/api/v1`;
    api = spawn(process.execPath, [MAIN], {
      env: {
        ...process.env, NODE_ENV: 'test', LOG_LEVEL: 'trace', DATABASE_URL: database.url, PORT: String(port),
        QUEUE_PREFIX: `jsdlog${randomBytes(4).toString('hex')}`, BOOTSTRAP_ADMIN_EMAIL: ADMIN.email, BOOTSTRAP_ADMIN_PASSWORD: ADMIN.password,
        RATE_LIMIT_PER_MINUTE: '100000', LOGIN_RATE_LIMIT_PER_MINUTE: '100000',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    await new Promise<void>((resolve, reject) => {
      api.stdout!.on('data', (chunk: Buffer) => {
        output += chunk.toString();
        if (output.includes('API listening')) resolve();
      });
      api.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
      api.on('exit', (code) => reject(new Error(`API exited with ${code} before listening:\n${output}`)));
    });
    token = ((await call('POST', '/auth/login', ADMIN)).body as { accessToken: string }).accessToken;
    assert.ok(token, output);
  });
  after(async () => {
    const exited = once(api, 'exit');
    api.kill('SIGTERM');
    await exited;
    await db.end();
    await database.drop();
  });

  it('a refused duplicate (409) logs nothing of the address', async () => {
    const email = `${sentinel('email').toLowerCase()}@example.org`;
    planted.push(email);
    const user = { email, password: 'a-long-password-1', displayName: 'Someone', role: 'hq_analyst' };
    assert.equal((await call('POST', '/users', user)).status, 201);
    assert.equal((await call('POST', '/users', user)).status, 409);
  });

  it('an unexpected unique violation and a check violation (500) log the SQLSTATE and the names, not the row', async () => {
    const area = sentinel('area');
    planted.push(area);
    await db.query('CREATE UNIQUE INDEX test_unique_admin_area ON networks (admin_area)');
    const network = { countryCode: 'NP', name: 'Network one', level: 'district', adminArea: area, establishedOn: '2015-03-01' };
    assert.equal((await call('POST', '/networks', network)).status, 201);
    const duplicate = await call('POST', '/networks', { ...network, name: 'Network two' });
    assert.equal(duplicate.status, 500, JSON.stringify(duplicate.body));

    const name = sentinel('name');
    planted.push(name);
    await db.query(`ALTER TABLE countries ADD CONSTRAINT test_no_sentinel CHECK (name NOT LIKE 'Sentinel%') NOT VALID`);
    const refused = await call('POST', '/countries', { code: 'XQ', name, region: 'Test region' });
    assert.equal(refused.status, 500, JSON.stringify(refused.body));
  });

  it('a query whose value PostgreSQL cannot read (500) logs neither the value from the body nor from the query string', async () => {
    await db.query('ALTER TABLE countries ALTER COLUMN region TYPE integer USING 0');
    const inBody = sentinel('body');
    const inQuery = sentinel('query');
    planted.push(inBody, inQuery);
    assert.equal((await call('POST', '/countries', { code: 'XR', name: 'Country', region: inBody })).status, 500);
    assert.equal((await call('GET', `/countries?region=${inQuery}`)).status, 500);
  });

  it('wrote the failures to the log, and none of the planted values', async () => {
    await new Promise((resolve) => setTimeout(resolve, 300));
    const leaked = planted.filter((value) => output.toLowerCase().includes(value.toLowerCase()));
    assert.deepEqual(leaked, [], 'planted values found in the log');
    for (const condition of ['unique_violation', 'check_violation', 'invalid_text_representation']) {
      assert.ok(output.includes(`"condition":"${condition}"`), `the log names ${condition}`);
    }
    assert.ok(output.includes('"constraint":"test_unique_admin_area"') && output.includes('"constraint":"test_no_sentinel"'));
    assert.ok(output.includes('"msg":"unexpected error"') && output.includes('"msg":"query failed"'));
  });
});
