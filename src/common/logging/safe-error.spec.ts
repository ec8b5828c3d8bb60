import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DatabaseError } from 'pg';
import { QueryFailedError } from 'typeorm';
import { describeErrorsIn, errorSerializer, loggableError, statementText } from './safe-error';

const SENTINEL = 'sentinel-7f3a@example.org';

/** A DatabaseError as pg makes it from PostgreSQL's error message. */
function pgError(message: string, fields: Partial<DatabaseError>): DatabaseError {
  return Object.assign(new DatabaseError(message, 100, 'error'), { severity: 'ERROR', ...fields });
}

describe('loggableError', () => {
  it('keeps the SQLSTATE, its name, the names and the statement of a failed query, never its values', () => {
    const driver = pgError('duplicate key value violates unique constraint "UQ_users_email"', {
      code: '23505', detail: `Key (email)=(${SENTINEL}) already exists.`, table: 'users', constraint: 'UQ_users_email', schema: 'public',
      where: `SQL statement "INSERT INTO users VALUES ('${SENTINEL}')"`,
    });
    const error = new QueryFailedError(`INSERT INTO users (email, note) VALUES ($1, 'fixed ${SENTINEL}')`, [SENTINEL, 'other'], driver);
    const described = loggableError(error);
    assert.equal(JSON.stringify(described).includes(SENTINEL), false, JSON.stringify(described));
    assert.deepEqual(
      { type: described.type, code: described.code, condition: described.condition, table: described.table, constraint: described.constraint, statement: described.statement },
      { type: 'QueryFailedError', code: '23505', condition: 'unique_violation', table: 'users', constraint: 'UQ_users_email', statement: "INSERT INTO users (email, note) VALUES ($1, '…')" },
    );
    assert.match(String(described.stack), /^at /);
  });

  it('drops a database message that quotes the value, and names an unknown code by its class', () => {
    const described = loggableError(pgError(`invalid input syntax for type uuid: "${SENTINEL}"`, { code: '22P02' }));
    assert.deepEqual([described.code, described.condition, JSON.stringify(described).includes(SENTINEL)], ['22P02', 'invalid_text_representation', false]);
    assert.equal(loggableError(pgError('x', { code: '22ZZZ' })).condition, 'data_exception');
  });

  it('keeps other errors\' type, message and frames, with every quoted part of the message removed, and follows causes', () => {
    const inner = new SyntaxError(`Unexpected token 'x', "${SENTINEL}" is not valid JSON`);
    const outer = new Error(`could not read '${SENTINEL}'`, { cause: inner });
    const described = loggableError(outer);
    assert.equal(JSON.stringify(described).includes(SENTINEL), false, JSON.stringify(described));
    assert.equal(described.message, 'could not read …');
    assert.deepEqual((described.cause as { type: string; message: string }).type, 'SyntaxError');
    assert.equal(loggableError(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' })).code, 'ECONNREFUSED');
    assert.equal(loggableError(`text with "${SENTINEL}"`).message, 'text with …');
  });

  it('is what pino writes for `err`, also behind pino-http\'s wrapper, and for an error under any other key', () => {
    const error = new QueryFailedError('SELECT $1', [SENTINEL], pgError('x', { code: '23514', detail: `Failing row contains (${SENTINEL}).` }));
    const wrapped = Object.defineProperty({ type: 'QueryFailedError', parameters: [SENTINEL] }, 'raw', { value: error });
    assert.equal(JSON.stringify(errorSerializer(wrapped)).includes(SENTINEL), false);
    const line = describeErrorsIn({ failure: error, runId: 'r1' });
    assert.equal(JSON.stringify(line).includes(SENTINEL), false);
    assert.equal(line.runId, 'r1');
    const once = loggableError(error);
    assert.equal(errorSerializer(errorSerializer(once)), once, 'describing twice changes nothing');
  });

  it('removes literals from a statement\'s text', () => {
    assert.equal(statementText(`SELECT 1 FROM t WHERE a = 'it''s' AND b = $1\n  AND c = 'x'`), "SELECT 1 FROM t WHERE a = '…' AND b = $1 AND c = '…'");
  });
});
