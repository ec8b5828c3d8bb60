import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ArgumentsHost, BadRequestException, Logger } from '@nestjs/common';
import { ProblemFilter } from './problem.filter';
import { ProblemException } from './problem';

function capture(exception: unknown) {
  const sent: { status?: number; headers: Record<string, string>; body?: Record<string, unknown> } = { headers: {} };
  const reply = {
    status(code: number) {
      sent.status = code;
      return reply;
    },
    header(name: string, value: string) {
      sent.headers[name.toLowerCase()] = value;
      return reply;
    },
    hasHeader: (name: string) => name.toLowerCase() in sent.headers,
    send(body: Record<string, unknown>) {
      sent.body = body;
      return reply;
    },
  };
  const request = { id: 'req-123', url: '/api/v1/things?secret=1', method: 'GET' };
  const host = { switchToHttp: () => ({ getRequest: () => request, getResponse: () => reply }) } as unknown as ArgumentsHost;
  const logged: unknown[] = [];
  const filter = new ProblemFilter();
  (filter as unknown as { logger: Pick<Logger, 'error'> }).logger = { error: (...args: unknown[]) => void logged.push(args) };
  filter.catch(exception, host);
  return { sent, logged };
}

describe('ProblemFilter', () => {
  it('answers an unexpected error with a 500 that says nothing internal, and logs it with the request id', () => {
    const { sent, logged } = capture(new Error('relation "users" does not exist: SELECT password_hash FROM users'));
    assert.equal(sent.status, 500);
    assert.equal(sent.headers['content-type'], 'application/problem+json');
    assert.equal(sent.body?.type, 'urn:jsd:problem:internal');
    assert.equal(sent.body?.requestId, 'req-123');
    assert.equal(sent.body?.instance, '/api/v1/things');
    assert.doesNotMatch(JSON.stringify(sent.body), /users|SELECT|password|stack/i);
    assert.equal(logged.length, 1);
    assert.match(JSON.stringify(logged[0]), /req-123/);
  });

  it('keeps the detail and extensions of an expected problem', () => {
    const { sent, logged } = capture(new ProblemException(412, 'stale', { slug: 'stale-version', currentVersion: 3 }));
    assert.equal(sent.status, 412);
    assert.deepEqual({ type: sent.body?.type, detail: sent.body?.detail, currentVersion: sent.body?.currentVersion }, { type: 'urn:jsd:problem:stale-version', detail: 'stale', currentVersion: 3 });
    assert.equal(logged.length, 0);
  });

  it('turns a framework error into a problem of the same status', () => {
    const { sent } = capture(new BadRequestException('Unexpected token } in JSON at position 12'));
    assert.equal(sent.status, 400);
    assert.equal(sent.body?.detail, 'The request body is not valid JSON.');
  });
});
