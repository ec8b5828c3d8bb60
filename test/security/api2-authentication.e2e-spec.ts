import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { listRouteAccess } from '../../src/auth/route-access';
import { adminToken, createApiKey, login } from '../support/auth';
import { claimsOf, craftJwt } from '../support/jwt';
import { startTestApp, TEST_ADMIN, TestApp } from '../support/test-app';
import { bearer, call } from './world';

/**
 * OWASP API2 (broken authentication), across the API rather than on /auth/me alone: one
 * protected route of every resource refuses every forged, expired or misdirected token with a
 * 401 problem; a reused refresh token revokes its whole family; a revoked API key is dead on
 * every route. A correctly signed copy of the same claims passes, so the forgeries test what
 * they claim.
 */
describe('API2: broken authentication', () => {
  let t: TestApp;
  let admin: string;
  /** One GET (or other) route per resource, with placeholder ids: auth is checked before the id. */
  let probes: { method: string; path: string }[];

  before(async () => {
    // No grace window: the second use of a refresh token is always reuse.
    t = await startTestApp({ JWT_REFRESH_GRACE_SECONDS: '0' });
    admin = await adminToken(t);
    const seen = new Set<string>();
    probes = listRouteAccess(t.app)
      .filter((r) => r.access !== 'public')
      .filter((r) => {
        const resource = r.path.split('/')[3] ?? r.path;
        if (seen.has(resource)) return false;
        seen.add(resource);
        return true;
      })
      .map((r) => ({ method: r.method, path: r.path.replace(/:(\w+)/g, '00000000-0000-4000-8000-000000000000') }));
    assert.ok(probes.length >= 15, `only ${probes.length} resources probed`);
  });
  after(() => t.close());

  const now = () => Math.floor(Date.now() / 1000);
  const forgeries = (): [string, string][] => {
    const claims = { ...claimsOf(admin), iat: now(), exp: now() + 300 };
    const secret = t.config.jwt.secret;
    const [head, payload, signature] = craftJwt(claims, { secret }).split('.');
    const elevated = Buffer.from(JSON.stringify({ ...claims, role: 'admin' })).toString('base64url');
    return [
      ['expired', craftJwt({ ...claims, iat: now() - 600, exp: now() - 1 }, { secret })],
      ['signed with another secret', craftJwt(claims, { secret: 'another-secret-that-is-long-enough-0123456789' })],
      ['alg none', craftJwt(claims, { alg: 'none' })],
      ['alg none with the signature kept', `${Buffer.from('{"alg":"none","typ":"JWT"}').toString('base64url')}.${payload}.${signature}`],
      ['HS384', craftJwt(claims, { alg: 'HS384', secret })],
      ['HS512', craftJwt(claims, { alg: 'HS512', secret })],
      ['wrong audience', craftJwt({ ...claims, aud: 'another-api' }, { secret })],
      ['wrong issuer', craftJwt({ ...claims, iss: 'someone-else' }, { secret })],
      ['no expiry (never expires)', craftJwt({ ...claims, exp: undefined }, { secret })],
      ['lifetime beyond the configured TTL', craftJwt({ ...claims, exp: now() + 10 * 365 * 86400 }, { secret })],
      ['payload edited, signature kept', `${head}.${elevated.slice(0, -2)}xx.${signature}`],
      ['signature truncated', `${head}.${payload}.${signature.slice(0, 10)}`],
      ['not an access token', craftJwt({ ...claims, typ: 'refresh' }, { secret })],
      ['session unknown (jti)', craftJwt({ ...claims, jti: '00000000-0000-4000-8000-000000000001' }, { secret })],
      ['garbage', 'not.a.jwt'],
    ];
  };

  it('refuses every forged, expired or misdirected token on one route of every resource (401 problem)', async () => {
    const failures: string[] = [];
    let n = 0;
    for (const [name, token] of forgeries()) {
      await Promise.all(
        probes.map(async (p) => {
          n += 1;
          const res = await call(t, p.method, p.path, bearer(token), p.method === 'GET' ? undefined : {});
          if (res.status !== 401 || !/problem\+json/.test(String(res.headers['content-type']))) failures.push(`${name}: ${p.method} ${p.path} → ${res.status}`);
        }),
      );
    }
    assert.deepEqual(failures, []);
    console.log(`# API2: ${n} forged-token requests over ${probes.length} resources, all 401`);
  });

  it('accepts a correctly signed copy of the same claims (the forgeries differ only in what they claim to test)', async () => {
    const genuine = craftJwt({ ...claimsOf(admin), iat: now(), exp: now() + 300 }, { secret: t.config.jwt.secret });
    assert.equal((await t.http.get('/api/v1/auth/me').set(bearer(genuine))).status, 200);
  });

  it('revokes the whole family when a refresh token is reused; the access tokens of the family die with it', async () => {
    const first = await login(t, TEST_ADMIN.email, TEST_ADMIN.password);
    const second = await t.http.post('/api/v1/auth/refresh').send({ refreshToken: first.refreshToken });
    assert.equal(second.status, 200);
    const reuse = await t.http.post('/api/v1/auth/refresh').send({ refreshToken: first.refreshToken });
    assert.equal(reuse.status, 401);
    assert.match(reuse.headers['content-type'], /problem\+json/);
    assert.equal((await t.http.post('/api/v1/auth/refresh').send({ refreshToken: second.body.refreshToken })).status, 401, 'the successor is revoked');
    assert.equal((await t.http.get('/api/v1/auth/me').set(bearer(second.body.accessToken))).status, 401, 'its access token too');
    assert.equal((await t.http.get('/api/v1/auth/me').set(bearer(first.accessToken))).status, 401);
  });

  it('refuses a revoked API key on every probed route, and a tampered one', async () => {
    const key = await createApiKey(t, admin, { role: 'hq_analyst' });
    assert.equal((await t.http.get('/api/v1/countries').set('X-API-Key', key.key)).status, 200);
    const tampered = key.key.slice(0, -1) + (key.key.endsWith('a') ? 'b' : 'a');
    assert.equal((await t.http.get('/api/v1/countries').set('X-API-Key', tampered)).status, 401);
    assert.equal((await t.http.delete(`/api/v1/api-keys/${key.id}`).set(bearer(admin))).status, 204);
    const statuses = await Promise.all(probes.map((p) => call(t, p.method, p.path, { 'X-API-Key': key.key }, p.method === 'GET' ? undefined : {}).then((r) => r.status)));
    assert.deepEqual([...new Set(statuses)], [401]);
  });

  it('does not take a token from the query string or a cookie', async () => {
    assert.equal((await t.http.get(`/api/v1/auth/me?access_token=${admin}`)).status, 401);
    assert.equal((await t.http.get('/api/v1/auth/me').set('Cookie', `access_token=${admin}`)).status, 401);
  });
});
