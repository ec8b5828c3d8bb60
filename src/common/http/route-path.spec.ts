import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { FastifyRequest } from 'fastify';
import { normalisedPath, routePath } from './route-path';

const request = (url: string, pattern?: string) => ({ url, routeOptions: { url: pattern } }) as unknown as FastifyRequest;

describe('routePath', () => {
  it('is the pattern the router matched, however the client spelled the path', () => {
    assert.equal(routePath(request('/api/v1/auth/%6cogin?x=1', '/api/v1/auth/login')), '/api/v1/auth/login');
    assert.equal(routePath(request('http://host/%61pi/v1/participants/abc', '/api/v1/participants/:id')), '/api/v1/participants/:id');
  });

  it('is the decoded path, without query, duplicate or trailing slashes, when no route matched', () => {
    assert.equal(routePath(request('/%61pi//v1/no-such/?a=b#c')), '/api/v1/no-such');
    assert.equal(routePath(request('/x', '*')), '/x');
    assert.equal(normalisedPath('https://example.org'), '/');
    assert.equal(normalisedPath('/a%zz'), '/a%zz', 'a malformed escape is left as it is');
    assert.equal(normalisedPath('/'), '/');
  });
});
