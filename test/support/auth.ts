import { randomBytes } from 'node:crypto';
import assert from 'node:assert/strict';
import { Role } from '../../src/auth/principal';
import { TEST_ADMIN, TestApp } from './test-app';

export interface TestUser {
  id: string;
  email: string;
  password: string;
  /** A bearer access token for this user. */
  token: string;
}

export interface Scope {
  role: Role;
  countryCodes?: string[];
  partnerId?: string;
}

/** Signs in; fails the test unless the answer is 200. */
export async function login(t: TestApp, email: string, password: string): Promise<{ accessToken: string; refreshToken: string; expiresIn: number }> {
  const res = await t.http.post('/api/v1/auth/login').send({ email, password });
  assert.equal(res.status, 200, `login as ${email}: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

/** An access token for the bootstrap admin. */
export async function adminToken(t: TestApp): Promise<string> {
  return (await login(t, TEST_ADMIN.email, TEST_ADMIN.password)).accessToken;
}

/** Creates a user with the given role and scope through the API and signs them in. */
export async function createUser(t: TestApp, token: string, scope: Scope, extra: Record<string, unknown> = {}): Promise<TestUser> {
  const email = `${scope.role.replace('_', '-')}-${randomBytes(4).toString('hex')}@test.local`;
  const password = `pw-${randomBytes(9).toString('base64url')}`;
  const res = await t.http
    .post('/api/v1/users')
    .set('Authorization', `Bearer ${token}`)
    .send({ email, password, displayName: `Test ${scope.role}`, ...scope, ...extra });
  assert.equal(res.status, 201, `create ${scope.role}: ${res.status} ${JSON.stringify(res.body)}`);
  const { accessToken } = await login(t, email, password);
  return { id: res.body.id, email, password, token: accessToken };
}

/** Creates an API key through the API; `key` is the full secret to send as X-API-Key. */
export async function createApiKey(t: TestApp, token: string, scope: Scope & { name?: string }): Promise<{ id: string; key: string }> {
  const res = await t.http
    .post('/api/v1/api-keys')
    .set('Authorization', `Bearer ${token}`)
    .send({ name: `test key ${randomBytes(3).toString('hex')}`, ...scope });
  assert.equal(res.status, 201, `create API key: ${res.status} ${JSON.stringify(res.body)}`);
  return { id: res.body.id, key: res.body.key };
}

/** Rows in the audit log, for "every write leaves exactly one audit row" assertions. */
export async function auditCount(t: TestApp): Promise<number> {
  const { rows } = await t.db.query<{ n: number }>('SELECT count(*)::int AS n FROM audit_events');
  return rows[0].n;
}
