import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { listRouteAccess } from '../src/auth/route-access';
import { startTestApp, TestApp } from './support/test-app';

interface Operation {
  security?: Record<string, string[]>[];
  responses: Record<string, { content?: Record<string, unknown> }>;
  tags?: string[];
}

describe('the OpenAPI document', () => {
  let t: TestApp;
  let doc: { paths: Record<string, Record<string, Operation>>; components: { securitySchemes: Record<string, unknown>; schemas: Record<string, unknown> } };

  before(async () => {
    t = await startTestApp();
    const res = await t.http.get('/docs/openapi.json');
    assert.equal(res.status, 200);
    doc = res.body;
  });
  after(() => t.close());

  const operations = () =>
    Object.entries(doc.paths).flatMap(([path, methods]) => Object.entries(methods).map(([method, op]) => ({ method: method.toUpperCase(), path, op })));

  it('describes every route the API serves, and no route it does not serve', () => {
    const served = listRouteAccess(t.app)
      .map((r) => `${r.method} ${r.path.replace(/:(\w+)/g, '{$1}')}`)
      .sort();
    const documented = operations()
      .map((o) => `${o.method} ${o.path}`)
      .sort();
    assert.deepEqual(documented, served);
  });

  it('declares how to authenticate, and which routes need it', () => {
    assert.ok(doc.components.securitySchemes.bearer);
    assert.ok(doc.components.securitySchemes.apiKey);
    const access = new Map(listRouteAccess(t.app).map((r) => [`${r.method} ${r.path.replace(/:(\w+)/g, '{$1}')}`, r.access]));
    for (const { method, path, op } of operations().filter((o) => o.path.startsWith('/api/v1/'))) {
      if (access.get(`${method} ${path}`) === 'public') continue;
      const schemes = (op.security ?? []).flatMap((s) => Object.keys(s));
      assert.ok(schemes.includes('bearer') && schemes.includes('apiKey'), `${method} ${path} documents its auth`);
      assert.ok(op.responses['401'] && op.responses['403'], `${method} ${path} documents 401 and 403`);
    }
  });

  it('documents error responses as problem details', () => {
    assert.ok(doc.components.schemas.ProblemSchema);
    for (const { method, path, op } of operations()) {
      const errors = Object.entries(op.responses).filter(([status]) => Number(status) >= 400);
      assert.ok(errors.length > 0, `${method} ${path} documents its errors`);
      for (const [status, response] of errors) {
        assert.ok(response.content?.['application/problem+json'], `${method} ${path} ${status} is application/problem+json`);
      }
    }
  });

  it('serves the interactive documentation at /docs without secrets', async () => {
    const res = await t.http.get('/docs');
    assert.equal(res.status, 200);
    assert.match(res.headers['content-type'], /text\/html/);
    const json = JSON.stringify(doc);
    assert.doesNotMatch(json, new RegExp(t.config.jwt.secret));
    assert.doesNotMatch(json, /passwordHash|secretHash|tokenHash/);
  });
});
