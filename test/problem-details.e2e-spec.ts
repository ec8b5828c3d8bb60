import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startTestApp, TestApp } from './support/test-app';

describe('problem details for errors outside any controller', () => {
  let t: TestApp;
  before(async () => {
    t = await startTestApp();
  });
  after(() => t.close());

  it('answers an unknown route with a 404 problem', async () => {
    const res = await t.http.get('/api/v1/no-such-thing?x=1');
    assert.equal(res.status, 404);
    assert.match(res.headers['content-type'], /^application\/problem\+json/);
    assert.equal(res.body.status, 404);
    assert.equal(res.body.type, 'urn:jsd:problem:not-found');
    assert.equal(res.body.title, 'Not found');
    assert.equal(res.body.detail, 'No route GET /api/v1/no-such-thing.');
    assert.ok(res.headers['x-request-id']);
    assert.equal(res.body.requestId, res.headers['x-request-id']);
  });

  it('keeps a well-formed client request id', async () => {
    const res = await t.http.get('/api/v1/nothing').set('X-Request-Id', 'client-req-12345');
    assert.equal(res.headers['x-request-id'], 'client-req-12345');
  });

  it('sends security headers', async () => {
    const res = await t.http.get('/api/v1/nothing');
    assert.equal(res.headers['x-content-type-options'], 'nosniff');
    assert.ok(res.headers['strict-transport-security']);
    assert.ok(res.headers['content-security-policy']);
  });
});
