import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { startTestApp } from '../support/test-app';
import { ROUTES } from './route-matrix';
import { bodies, buildWorld, call, Caller, makers, rowCounts, World } from './world';

/**
 * OWASP API4 (unrestricted resource consumption) and API6 (unrestricted access to sensitive
 * business flows). The app runs with a small body limit and login budget so the caps are cheap
 * to reach; the values are configuration, the behaviour is what is tested.
 */
const BODY_LIMIT = 16_384;
const LOGIN_BUDGET = 8;
const V1 = '/api/v1';

/** Two strings in a cursor's encoding, unsigned: what a client guessing the format would send. */
const HAND_MADE_CURSOR = Buffer.from(JSON.stringify(['x', 'y'])).toString('base64url');

describe('API4/API6: resource consumption and business flows', () => {
  let w: World;
  let admin: Caller;

  before(async () => {
    w = await buildWorld(await startTestApp({ BODY_LIMIT_BYTES: String(BODY_LIMIT), LOGIN_RATE_LIMIT_PER_MINUTE: String(LOGIN_BUDGET) }));
    admin = w.callers.find((c) => c.role === 'admin')!;
  });
  after(() => w.t.close());

  it('caps the page size and refuses cursors it did not issue on every list route: limit 201 and limit 0 are 400, limit 200 is 200, a hand-made cursor is 400', async () => {
    // Paged routes are those whose OpenAPI operation takes `limit`, so new list routes join by themselves.
    const doc = (await w.t.http.get('/docs/openapi.json')).body as { paths: Record<string, { get?: { parameters?: { name: string; in: string }[] } }> };
    const paged = new Set(Object.entries(doc.paths).filter(([, ops]) => ops.get?.parameters?.some((p) => p.in === 'query' && p.name === 'limit')).map(([path]) => `GET ${path}`));
    const lists = Object.entries(ROUTES).filter(([key]) => paged.has(key));
    const failures: string[] = [];
    for (const [key, entry] of lists) {
      const target = key.includes('{') && entry.target ? await makers[entry.target](w, w.places.A1, admin, 'A1') : {};
      const path = key.slice(4).replace(/\{(\w+)\}/g, (_, name: string) => target[name]);
      const sep = entry.query ? `${entry.query(w.places.A1)}&` : '?';
      for (const [limit, expected] of [['201', 400], ['0', 400], ['-1', 400], ['1e3', 400], ['200', 200]] as const) {
        const res = await call(w.t, 'GET', `${path}${sep}limit=${limit}`, admin.headers);
        if (res.status !== expected) failures.push(`${key} limit=${limit}: ${res.status}`);
      }
      // Values of the right shape but not the server's: they used to reach the keyset condition
      // and fail in PostgreSQL (a 500) when "x" is no date or uuid.
      for (const cursor of [HAND_MADE_CURSOR, `${HAND_MADE_CURSOR}.AAAAAAAAAAAAAAAAAAAAAA`]) {
        const res = await call(w.t, 'GET', `${path}${sep}cursor=${cursor}`, admin.headers);
        if (res.status !== 400 || res.body.errors?.[0]?.field !== 'cursor') failures.push(`${key} cursor=${cursor}: ${res.status}`);
      }
    }
    assert.deepEqual(failures, []);
    assert.ok(lists.length >= 15, `only ${lists.length} list routes`);
    console.log(`# API4: page-size cap checked on ${lists.length} list routes`);
  });

  it('refuses a body over the limit with a 413 problem before reading it, and writes nothing', async () => {
    const counts = await rowCounts(w.t);
    const res = await call(w.t, 'POST', `${V1}/sessions`, admin.headers, { ...bodies.session(w.places.A1), summary: 'x'.repeat(BODY_LIMIT) });
    assert.equal(res.status, 413);
    assert.match(res.headers['content-type'], /problem\+json/);
    assert.deepEqual(await rowCounts(w.t), counts);
  });

  it('rate-limits login attempts per client (429 problem with Retry-After), even with the right password', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < LOGIN_BUDGET + 2; i += 1) {
      statuses.push((await w.t.http.post(`${V1}/auth/login`).send({ email: `nobody${i}@test.local`, password: 'wrong-password' })).status);
    }
    assert.ok(statuses.includes(429), `no 429 in ${statuses.join(',')}`);
    const blocked = await w.t.http.post(`${V1}/auth/login`).send({ email: 'admin@test.local', password: 'admin-password-123' });
    assert.equal(blocked.status, 429);
    assert.ok(Number(blocked.headers['retry-after']) > 0);
    assert.match(blocked.headers['content-type'], /problem\+json/);
  });

  it('bounds slow requests: the HTTP server has connection and request timeouts', () => {
    const server = w.t.app.getHttpServer() as { requestTimeout: number; headersTimeout: number };
    assert.ok(server.requestTimeout > 0 && server.requestTimeout <= 60_000, `requestTimeout ${server.requestTimeout}`);
    assert.ok(server.headersTimeout > 0 && server.headersTimeout <= 60_000, `headersTimeout ${server.headersTimeout}`);
  });

  it('never overspends: disbursements beyond the budget are 409, also when sent concurrently, and the sum stays within it', async () => {
    const initiative = await call(w.t, 'POST', `${V1}/initiatives`, admin.headers, { ...bodies.initiative(w.places.A1), budget: { amount: '100.00', currency: 'USD' } });
    assert.equal(initiative.status, 201);
    const id = initiative.body.id as string;
    assert.equal((await call(w.t, 'POST', `${V1}/initiatives/${id}/transitions`, admin.headers, { to: 'approved', note: 'ok' })).status, 200);
    const pay = (amount: string, currency = 'USD') => call(w.t, 'POST', `${V1}/initiatives/${id}/disbursements`, admin.headers, { amount: { amount, currency }, disbursedOn: '2026-02-01' });
    const statuses = (await Promise.all(Array.from({ length: 8 }, () => pay('30.00')))).map((r) => r.status).sort();
    assert.deepEqual(statuses, [201, 201, 201, 409, 409, 409, 409, 409]);
    assert.equal((await pay('10.01')).status, 409);
    assert.equal((await pay('10.00')).status, 201);
    assert.equal((await pay('0.01')).status, 409);
    assert.ok([400, 409, 422].includes((await pay('-5.00')).status), 'a negative disbursement refunds nothing');
    assert.ok([400, 409, 422].includes((await pay('1.00', 'EUR')).status), 'another currency cannot slip past the budget');
    const { rows } = await w.t.db.query<{ total: string }>('SELECT sum(amount)::text AS total FROM disbursements WHERE initiative_id = $1', [id]);
    assert.equal(rows[0].total, '100.00');
  });

  it('accepts the largest budget numeric(14,2) holds and refuses the next one with a 400, never a 500', async () => {
    const make = (amount: string) => call(w.t, 'POST', `${V1}/initiatives`, admin.headers, { ...bodies.initiative(w.places.A1), budget: { amount, currency: 'USD' } });
    const largest = await make('999999999999.99');
    assert.equal(largest.status, 201);
    assert.equal(largest.body.budget.amount, '999999999999.99');
    for (const amount of ['1000000000000.00', '99999999999999999999.99', '1e12', '0.001']) {
      const res = await make(amount);
      assert.equal(res.status, 400, `${amount}: ${res.status}`);
    }
  });

  it('refuses transitions outside the workflow with 409 and changes nothing', async () => {
    const dispute = await makers.dispute(w, w.places.A1, admin, 'A1');
    const warning = await makers.earlyWarning(w, w.places.A1, admin, 'A1');
    const initiative = await makers.initiative(w, w.places.A1, admin, 'A1');
    const counts = await rowCounts(w.t);
    const tries: [string, object][] = [
      [`${V1}/disputes/${dispute.id}/transitions`, { to: 'closed', note: 'skip the mediation' }],
      [`${V1}/disputes/${dispute.id}/transitions`, { to: 'reported', note: 'to itself' }],
      [`${V1}/early-warnings/${warning.id}/transitions`, { to: 'resolved', note: 'unverified' }],
      [`${V1}/initiatives/${initiative.id}/transitions`, { to: 'completed', note: 'never started' }],
      [`${V1}/initiatives/${initiative.id}/transitions`, { to: 'proposed', note: 'backwards' }],
    ];
    for (const [path, body] of tries) {
      const res = await call(w.t, 'POST', path, admin.headers, body);
      assert.equal(res.status, 409, `${path} ${JSON.stringify(body)}: ${res.status}`);
    }
    assert.deepEqual(await rowCounts(w.t), counts);
  });

  it('refuses a replayed idempotency key with another body (422) and creates nothing more', async () => {
    const key = randomUUID();
    const first = await call(w.t, 'POST', `${V1}/sessions`, admin.headers, bodies.session(w.places.A1)).set('Idempotency-Key', key);
    assert.equal(first.status, 201);
    const counts = await rowCounts(w.t);
    const other = await call(w.t, 'POST', `${V1}/sessions`, admin.headers, { ...bodies.session(w.places.A1), title: 'Another' }).set('Idempotency-Key', key);
    assert.equal(other.status, 422);
    const replay = await call(w.t, 'POST', `${V1}/sessions`, admin.headers, bodies.session(w.places.A1)).set('Idempotency-Key', key);
    assert.equal(replay.status, 201);
    assert.equal(replay.body.id, first.body.id);
    assert.deepEqual(await rowCounts(w.t), counts);
  });
});
