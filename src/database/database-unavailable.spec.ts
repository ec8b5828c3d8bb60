import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { QueryFailedError, QueryRunnerAlreadyReleasedError } from 'typeorm';
import { isDatabaseUnavailable } from './database-unavailable';

const pgError = (code: string, message = 'x') => Object.assign(new Error(message), { code });

describe('isDatabaseUnavailable', () => {
  it('recognises a database that is restarting, unreachable or cut off', () => {
    assert.ok(isDatabaseUnavailable(new QueryFailedError('INSERT', [], pgError('57P01', 'terminating connection due to administrator command'))));
    assert.ok(isDatabaseUnavailable(new QueryFailedError('SELECT', [], pgError('57P03', 'the database system is starting up'))));
    assert.ok(isDatabaseUnavailable(pgError('08006')));
    assert.ok(isDatabaseUnavailable(pgError('ECONNREFUSED', 'connect ECONNREFUSED 127.0.0.1:5432')));
    assert.ok(isDatabaseUnavailable(new Error('Connection terminated unexpectedly')));
    assert.ok(isDatabaseUnavailable(new Error('timeout exceeded when trying to connect')));
    assert.ok(isDatabaseUnavailable(new QueryRunnerAlreadyReleasedError()));
  });

  it('leaves real request and programming errors alone (they stay 4xx or 500)', () => {
    assert.ok(!isDatabaseUnavailable(new QueryFailedError('INSERT', [], pgError('23505', 'duplicate key value'))));
    assert.ok(!isDatabaseUnavailable(new QueryFailedError('SELECT', [], pgError('42703', 'column does not exist'))));
    assert.ok(!isDatabaseUnavailable(new QueryFailedError('SELECT', [], pgError('57014', 'canceling statement due to statement timeout'))));
    assert.ok(!isDatabaseUnavailable(new TypeError('x is undefined')));
    assert.ok(!isDatabaseUnavailable(undefined));
  });
});
