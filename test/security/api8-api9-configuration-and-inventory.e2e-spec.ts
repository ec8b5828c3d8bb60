import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { listRouteAccess } from '../../src/auth/route-access';
import { startTestApp, TEST_ADMIN, TestApp } from '../support/test-app';
import { ROUTES } from './route-matrix';
import { buildWorld, call, Caller, errorBodyProblem, scanned, World } from './world';

/**
 * OWASP API8 (security misconfiguration) and API9 (improper inventory management).
 */
describe('API8/API9: misconfiguration and inventory', () => {
  let w: World;
  let admin: Caller;
  let doc: { paths: Record<string, Record<string, unknown>> };

  before(async () => {
    w = await buildWorld(await startTestApp());
    admin = w.callers.find((c) => c.role === 'admin')!;
    doc = (await w.t.http.get('/docs/openapi.json')).body;
  });
  after(() => w.t.close());

  it('sends security headers and no-store on API answers, success and error alike, and no X-Powered-By', async () => {
    for (const res of [await call(w.t, 'GET', '/api/v1/countries', admin.headers), await w.t.http.get('/api/v1/countries'), await w.t.http.get('/api/v1/nothing-here')]) {
      assert.equal(res.headers['x-content-type-options'], 'nosniff');
      assert.ok(res.headers['x-frame-options'] || /frame-ancestors/.test(res.headers['content-security-policy'] ?? ''), 'framing is refused');
      assert.ok(res.headers['strict-transport-security'], 'HSTS');
      assert.equal(res.headers['x-powered-by'], undefined);
      assert.equal(res.headers['cache-control'], 'no-store');
    }
  });

  it('answers malformed ids, empty and broken bodies, wrong methods and unknown routes on every route with clean problems (no stack, SQL or internal names)', async () => {
    const failures: string[] = [];
    const before = scanned.errorBodies;
    const attempts = listRouteAccess(w.t.app).flatMap((r) => {
      const ids = ['not-a-uuid', "1' OR '1'='1", '00000000-0000-4000-8000-000000000000', '%00', 'ZZ', '9'.repeat(40)];
      const paths = r.path.includes(':') ? ids.map((id) => r.path.replace(/:(\w+)/g, encodeURIComponent(id))) : [r.path];
      return paths.flatMap((path) => {
        const out = [{ label: `${r.method} ${path}`, method: r.method, path, body: r.method === 'GET' || r.method === 'DELETE' ? undefined : ({} as unknown) }];
        if (r.method === 'POST' || r.method === 'PATCH') out.push({ label: `${r.method} ${path} [1,2]`, method: r.method, path, body: [1, 2] });
        return out;
      });
    });
    for (let i = 0; i < attempts.length; i += 8) {
      const results = await Promise.all(
        attempts.slice(i, i + 8).map(async (a) => {
          const res = await call(w.t, a.method, a.path, admin.headers, a.body);
          return errorBodyProblem(a.label, res);
        }),
      );
      failures.push(...(results.filter(Boolean) as string[]));
    }
    const raw = [
      w.t.http.post('/api/v1/sessions').set(admin.headers).set('Content-Type', 'application/json').send('{"title": "unterminated'),
      w.t.http.post('/api/v1/sessions').set(admin.headers).set('Content-Type', 'text/plain').send('hello'),
      w.t.http.post('/api/v1/sessions').set(admin.headers).set('Content-Type', 'application/xml').send('<a/>'),
      w.t.http.put('/api/v1/sessions').set(admin.headers).send({}),
      w.t.http.get('/api/v1/../../etc/passwd'),
      w.t.http.get('/api/v1/sessions?cursor=%27%3B%20DROP%20TABLE%20sessions%3B--').set(admin.headers),
      w.t.http.get('/api/v1/sessions?cursor=eyJ4IjoxfQ').set(admin.headers),
      w.t.http.post('/api/v1/auth/login').send({ email: TEST_ADMIN.email, password: 'wrong-password-1' }),
      w.t.http.get('/api/v1/auth/me').set('Authorization', 'Basic YWRtaW46YWRtaW4='),
    ];
    (await Promise.all(raw)).forEach((res, i) => {
      const failure = errorBodyProblem(`raw request ${i}`, res);
      if (failure) failures.push(failure);
    });
    assert.deepEqual(failures, []);
    console.log(`# API8: ${scanned.errorBodies - before} error bodies scanned, none with internals`);
  });

  it('serves /docs without secrets, keys or internal connection strings', async () => {
    const text = JSON.stringify(doc) + (await w.t.http.get('/docs')).text;
    const cfg = w.t.config as unknown as { jwt: { secret: string }; databaseUrl?: string };
    for (const secret of [cfg.jwt.secret, process.env.DATA_ENCRYPTION_KEY, TEST_ADMIN.password, 'postgres://', 'redis://'].filter(Boolean) as string[]) {
      assert.ok(!text.includes(secret), `/docs shows ${secret.slice(0, 12)}…`);
    }
    assert.doesNotMatch(text, /passwordHash|secretHash|tokenHash|fullNameHash|ciphertext/i);
  });

  it('does not answer CORS preflights when no origin is configured', async () => {
    const res = await w.t.http.options('/api/v1/countries').set('Origin', 'https://evil.example').set('Access-Control-Request-Method', 'GET');
    assert.equal(res.headers['access-control-allow-origin'], undefined);
    const get = await call(w.t, 'GET', '/api/v1/countries', admin.headers).set('Origin', 'https://evil.example');
    assert.equal(get.headers['access-control-allow-origin'], undefined);
  });

  it('API9: documents every served route and serves nothing undocumented; the matrix covers the same set', async () => {
    const served = listRouteAccess(w.t.app).map((r) => `${r.method} ${r.path.replace(/:(\w+)/g, '{$1}')}`).sort();
    const documented = Object.entries(doc.paths).flatMap(([path, methods]) => Object.keys(methods).map((m) => `${m.toUpperCase()} ${path}`)).sort();
    assert.deepEqual(documented, served);
    assert.deepEqual(Object.keys(ROUTES).sort(), served);
    const probes = ['/api/v2/users', '/api/v0/users', '/api/users', '/api/v1/admin', '/api/v1/debug', '/api/v1/internal', '/metrics', '/.env', '/api/v1/users/export/all', '/graphql', '/swagger.json', '/api/v1/health'];
    for (const path of probes) {
      const res = await call(w.t, 'GET', path, admin.headers);
      assert.equal(res.status, 404, `${path} is served but undocumented: ${res.text}`);
    }
  });
  // Last: passport strategies are registered process-wide, so once a second app closes, the
  // first one's bearer authentication would use the closed app's database connection.
  it('allows exactly the configured origins, never a wildcard with credentials', async () => {
    const t: TestApp = await startTestApp({ CORS_ORIGINS: 'https://dashboard.example' });
    try {
      const ok = await t.http.options('/api/v1/countries').set('Origin', 'https://dashboard.example').set('Access-Control-Request-Method', 'GET');
      assert.equal(ok.headers['access-control-allow-origin'], 'https://dashboard.example');
      const evil = await t.http.options('/api/v1/countries').set('Origin', 'https://dashboard.example.evil.com').set('Access-Control-Request-Method', 'GET');
      assert.notEqual(evil.headers['access-control-allow-origin'], 'https://dashboard.example.evil.com');
      assert.notEqual(evil.headers['access-control-allow-origin'], '*');
    } finally {
      await t.close();
    }
  });

});
