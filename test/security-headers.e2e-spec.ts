import assert from 'node:assert/strict';
import { createServer, IncomingHttpHeaders } from 'node:http';
import { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import helmet from 'helmet';
import { computeSecurityHeaders, SECURITY_HEADER_OPTIONS } from '../src/common/http/security-headers';
import { adminToken } from './support/auth';
import { startTestApp, TestApp } from './support/test-app';

/** Exactly what @fastify/helmet sent with these options before the headers became a constant. */
const EXPECTED: Record<string, string> = {
  'content-security-policy':
    "default-src 'self';base-uri 'self';font-src 'self' https: data:;form-action 'self';frame-ancestors 'self';img-src 'self' data:;" +
    "object-src 'none';script-src 'self';script-src-attr 'none';style-src 'self' 'unsafe-inline';upgrade-insecure-requests",
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-resource-policy': 'same-origin',
  'origin-agent-cluster': '?1',
  'referrer-policy': 'no-referrer',
  'strict-transport-security': 'max-age=31536000; includeSubDomains',
  'x-content-type-options': 'nosniff',
  'x-dns-prefetch-control': 'off',
  'x-download-options': 'noopen',
  'x-frame-options': 'SAMEORIGIN',
  'x-permitted-cross-domain-policies': 'none',
  'x-xss-protection': '0',
};

function securityHeadersOf(headers: IncomingHttpHeaders): Record<string, unknown> {
  return Object.fromEntries(Object.keys(EXPECTED).map((name) => [name, headers[name]]));
}

describe('security headers', () => {
  let t: TestApp;
  before(async () => {
    t = await startTestApp();
  });
  after(() => t.close());

  it('sends the same helmet headers on answers, errors, unknown routes, health and docs', async () => {
    const token = await adminToken(t);
    const responses = [
      await t.http.get('/api/v1/countries').set('Authorization', `Bearer ${token}`),
      await t.http.get('/api/v1/countries'),
      await t.http.get('/api/v1/no-such-route'),
      await t.http.post('/api/v1/sessions').set('Authorization', `Bearer ${token}`).send({ title: 1 }),
      await t.http.get('/health/live'),
      await t.http.get('/docs/openapi.json'),
      // Answered by Fastify before any hook runs (frameworkErrors).
      await t.http.get(`/api/v1/countries/${'x'.repeat(200)}`),
      await t.http.get('/api/v1/countries/%zz'),
    ];
    assert.deepEqual(responses.map((r) => r.status), [200, 401, 404, 400, 200, 200, 414, 400]);
    for (const [i, res] of responses.entries()) {
      assert.deepEqual(securityHeadersOf(res.headers), EXPECTED, `response ${i}`);
      assert.equal(res.headers['x-powered-by'], undefined);
    }
  });

  it('computes exactly what helmet\'s own middleware sets on a real response', async () => {
    const middleware = helmet(SECURITY_HEADER_OPTIONS);
    const server = createServer((req, res) => {
      res.setHeader('X-Powered-By', 'something');
      middleware(req, res, () => res.end());
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const res = await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`);
      const fromHelmet = Object.fromEntries([...res.headers].filter(([name]) => name in EXPECTED));
      assert.deepEqual(fromHelmet, EXPECTED);
      assert.equal(res.headers.get('x-powered-by'), null);
    } finally {
      server.close();
    }
    const computed = computeSecurityHeaders(SECURITY_HEADER_OPTIONS);
    assert.deepEqual(Object.fromEntries(computed.set.map(([name, value]) => [name.toLowerCase(), value])), EXPECTED);
    assert.deepEqual(computed.removed, ['X-Powered-By']);
  });

  it('refuses options whose headers would differ per request', () => {
    assert.throws(
      () => computeSecurityHeaders({ contentSecurityPolicy: { directives: { scriptSrc: ["'self'", () => "'nonce-x'"] } } }),
      /computed per request/,
    );
  });
});
