import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { listRouteAccess } from '../src/auth/route-access';
import { startTestApp, TestApp } from './support/test-app';

// Compiled to dist/test; the snapshot lives in the source tree.
const SNAPSHOT = join(__dirname, '..', '..', 'test', 'snapshots', 'route-access.json');

describe('route access (who may call what)', () => {
  let t: TestApp;
  before(async () => {
    t = await startTestApp();
  });
  after(() => t.close());

  it('declares @Roles or @Public on every route', () => {
    const undeclared = listRouteAccess(t.app).filter((r) => r.access === 'UNDECLARED');
    assert.deepEqual(undeclared, [], 'routes without @Roles or @Public are refused for everyone');
  });

  it('matches the committed snapshot (regenerate with UPDATE_SNAPSHOTS=1 npm test)', () => {
    // One route per line, so that a review diff shows exactly which route changed.
    const actual = `[\n${listRouteAccess(t.app).map((r) => `  ${JSON.stringify(r)}`).join(',\n')}\n]\n`;
    if (process.env.UPDATE_SNAPSHOTS === '1') {
      writeFileSync(SNAPSHOT, actual);
      return;
    }
    assert.ok(existsSync(SNAPSHOT), `${SNAPSHOT} is missing: run UPDATE_SNAPSHOTS=1 npm test and commit it`);
    assert.equal(actual, readFileSync(SNAPSHOT, 'utf8'), 'who may call which route changed: review it and update the snapshot');
  });

  it('lists the auth routes with the roles they declare', () => {
    const routes = listRouteAccess(t.app);
    const find = (method: string, path: string) => routes.find((r) => r.method === method && r.path === path)?.access;
    assert.equal(find('POST', '/api/v1/auth/login'), 'public');
    assert.deepEqual(find('GET', '/api/v1/users'), ['admin']);
    assert.deepEqual(find('GET', '/api/v1/auth/me'), ['admin', 'country_staff', 'hq_analyst', 'partner']);
  });
});
