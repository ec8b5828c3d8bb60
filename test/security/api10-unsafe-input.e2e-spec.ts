import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startTestApp } from '../support/test-app';
import { ROUTES } from './route-matrix';
import { bodies, buildWorld, call, Caller, errorBodyProblem, rowCounts, World } from './world';

/**
 * OWASP API10 / unsafe consumption of input: SQL injection on every query parameter of every list
 * route (taken from the OpenAPI document), and hostile bodies (deep nesting, NUL, invalid UTF-8,
 * huge numbers, impossible and time-zoned dates). None may be a 500, none may write.
 */
const INJECTIONS = [
  "' OR '1'='1",
  "1; DROP TABLE sessions; --",
  "') UNION SELECT id, password_hash FROM users --",
  "NP' AND pg_sleep(2) IS NULL --",
  '$1',
  ':scopeCountryCodes',
  "%' OR 1=1 --",
  '\\x27 OR 1=1',
];

interface Parameter {
  name: string;
  in: string;
}

describe('API10: unsafe input', () => {
  let w: World;
  let admin: Caller;
  let doc: { paths: Record<string, Record<string, { parameters?: Parameter[] }>> };

  before(async () => {
    w = await buildWorld(await startTestApp());
    admin = w.callers.find((c) => c.role === 'admin')!;
    doc = (await w.t.http.get('/docs/openapi.json')).body;
  });
  after(() => w.t.close());

  it('survives SQL injection in every filter and sort parameter of every list route: 400 or 200, never 500, no write, no slow-down', async () => {
    const lists = Object.entries(doc.paths)
      .filter(([path, ops]) => path.startsWith('/api/v1/') && !path.includes('{') && ops.get)
      .map(([path, ops]) => ({ path, params: (ops.get.parameters ?? []).filter((p) => p.in === 'query').map((p) => p.name) }));
    const counts = await rowCounts(w.t);
    const failures: string[] = [];
    let n = 0;
    const started = Date.now();
    for (const { path, params } of lists) {
      const entry = ROUTES[`GET ${path}`];
      const base = entry?.query ? entry.query(w.places.A1).slice(1) : '';
      for (const param of [...params, 'sort', 'order', 'orderBy']) {
        await Promise.all(
          INJECTIONS.map(async (payload) => {
            n += 1;
            const qs = [base, `${param}=${encodeURIComponent(payload)}`].filter(Boolean).join('&');
            const res = await call(w.t, 'GET', `${path}?${qs}`, admin.headers);
            const failure = errorBodyProblem(`GET ${path}?${param}=${payload}`, res);
            if (failure) failures.push(failure);
            else if (res.status === 200 && !Array.isArray(res.body.data) && path !== '/api/v1/auth/me') failures.push(`GET ${path}?${param}: 200 without a page`);
          }),
        );
      }
    }
    assert.deepEqual(failures, []);
    assert.deepEqual(await rowCounts(w.t), counts, 'an injection attempt wrote');
    assert.ok(Date.now() - started < 60_000, 'pg_sleep ran');
    console.log(`# API10: ${n} injection attempts over ${lists.length} list routes`);
  });

  it('refuses hostile bodies with a 400 problem and writes nothing', async () => {
    const place = w.places.A1;
    let deep: unknown = 'leaf';
    for (let i = 0; i < 5_000; i += 1) deep = [deep];
    const session = bodies.session(place);
    const cases: [string, string, unknown][] = [
      ['deeply nested', '/api/v1/sessions', { ...session, summary: deep }],
      ['NUL in a string', '/api/v1/sessions', { ...session, title: 'Monthly\u0000dialogue' }],
      ['lone surrogate', '/api/v1/sessions', { ...session, title: 'Monthly \ud800 dialogue' }],
      ['huge integer', '/api/v1/sessions', { ...session, durationMinutes: 1e308 }],
      ['beyond int32', '/api/v1/sessions', { ...session, durationMinutes: 2 ** 31 }],
      ['unsafe integer', '/api/v1/indicator-values', { ...bodies.indicatorValue(place, 900), value: 2 ** 64 }],
      ['number as string', '/api/v1/sessions', { ...session, durationMinutes: '60' }],
      ['negative zero risk factor', '/api/v1/early-warnings', { ...bodies.earlyWarning(place), riskFactors: [-0] }],
      ['risk factor 1e3', '/api/v1/early-warnings', { ...bodies.earlyWarning(place), riskFactors: [1e3] }],
      ['Feb 30', '/api/v1/sessions', { ...session, heldOn: '2016-02-30' }],
      ['Feb 29 of a common year', '/api/v1/sessions', { ...session, heldOn: '2015-02-29' }],
      ['year 0', '/api/v1/sessions', { ...session, heldOn: '0000-01-01' }],
      ['year 10000', '/api/v1/sessions', { ...session, heldOn: '10000-01-01' }],
      ['negative year', '/api/v1/sessions', { ...session, heldOn: '-0001-01-01' }],
      ['time zone', '/api/v1/sessions', { ...session, heldOn: '2016-07-14T00:00:00+05:45' }],
      ['UTC timestamp', '/api/v1/sessions', { ...session, heldOn: '2016-07-14T00:00:00Z' }],
      ['month 13', '/api/v1/indicator-values', { ...bodies.indicatorValue(place, 901), period: '2016-13' }],
      ['period year 0', '/api/v1/indicator-values', { ...bodies.indicatorValue(place, 902), period: '0000-01' }],
      ['date in a money amount', '/api/v1/initiatives', { ...bodies.initiative(place), budget: { amount: '2016-01-01', currency: 'USD' } }],
      ['exponent amount', '/api/v1/initiatives', { ...bodies.initiative(place), budget: { amount: '1e308', currency: 'USD' } }],
      ['prototype pollution', '/api/v1/sessions', JSON.parse(`{"__proto__": {"role": "admin"}, "networkId": "${place.networkId}"}`)],
      ['constructor key', '/api/v1/sessions', { ...session, constructor: { prototype: { admin: true } } }],
      ['array body', '/api/v1/sessions', [session]],
    ];
    const counts = await rowCounts(w.t);
    const failures: string[] = [];
    for (const [name, path, body] of cases) {
      const res = await call(w.t, 'POST', path, admin.headers, body);
      const failure = errorBodyProblem(name, res);
      if (failure) failures.push(failure);
      else if (res.status !== 400) failures.push(`${name}: ${res.status} ${JSON.stringify(res.body).slice(0, 200)}`);
    }
    const utf8 = Buffer.concat([Buffer.from(`{"networkId":"${place.networkId}","title":"`), Buffer.from([0xc3, 0x28, 0xff, 0xfe]), Buffer.from('","kind":"dialogue","heldOn":"2016-07-14"}')]);
    const invalid = await w.t.http.post('/api/v1/sessions').set(admin.headers).set('Content-Type', 'application/json').send(utf8);
    const f = errorBodyProblem('invalid UTF-8', invalid);
    if (f) failures.push(f);
    else if (invalid.status !== 400) failures.push(`invalid UTF-8: ${invalid.status} ${invalid.text.slice(0, 200)}`);
    // A bare JSON string (supertest would send a string as a form, which is a 415 of its own).
    const bare = await w.t.http.post('/api/v1/sessions').set(admin.headers).set('Content-Type', 'application/json').send('"session"');
    const b = errorBodyProblem('string body', bare);
    if (b) failures.push(b);
    else if (bare.status !== 400) failures.push(`string body: ${bare.status} ${bare.text.slice(0, 200)}`);
    const huge = await w.t.http.post('/api/v1/sessions').set(admin.headers).set('Content-Type', 'application/json').send(`{"durationMinutes": 1${'0'.repeat(400)}}`);
    if (huge.status !== 400) failures.push(`400-digit number: ${huge.status}`);
    assert.deepEqual(failures, []);
    assert.deepEqual(await rowCounts(w.t), counts, 'a hostile body wrote');
    console.log(`# API10: ${cases.length + 3} hostile bodies refused`);
  });
});
