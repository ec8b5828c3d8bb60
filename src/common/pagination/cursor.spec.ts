import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { ProblemException } from '../problem/problem';
import { decodeCursor, encodeCursor, keysetClause, pageOf, useCursorSecret } from './cursor';

before(() => useCursorSecret('cursor-spec-secret-0123456789abcdef'));

describe('keysetClause', () => {
  const options = { sortExpression: 's.held_on', tieBreaker: 's.id', direction: 'DESC' as const };

  it('orders by the sort key and the tie-breaker, with no condition on the first page', () => {
    assert.deepEqual(keysetClause({ limit: 10 }, options), { condition: null, orderBy: 's.held_on DESC, s.id DESC', limit: 10 });
    assert.equal(keysetClause({}, { ...options, direction: undefined }).orderBy, 's.held_on ASC, s.id ASC');
  });

  it('continues after the cursor\'s row, in the direction of the order', () => {
    const cursor = encodeCursor(['2020-01-01', 'abc']);
    assert.deepEqual(keysetClause({ cursor }, options).condition, { sql: '(s.held_on, s.id) < (:__sort, :__tie)', params: { __sort: '2020-01-01', __tie: 'abc' } });
    assert.match(keysetClause({ cursor }, { ...options, direction: 'ASC' }).condition?.sql ?? '', /\) > \(/);
  });

  it('refuses a cursor it did not issue with a 400 problem', () => {
    assert.throws(() => keysetClause({ cursor: 'not-a-cursor' }, options), (error: unknown) => error instanceof ProblemException && error.getStatus() === 400);
  });

  it('pages with the extra row only saying there is more', () => {
    const rows = [{ k: 3 }, { k: 2 }, { k: 1 }];
    assert.deepEqual(pageOf(rows, 2, (r) => [r.k, r.k]), { data: rows.slice(0, 2), nextCursor: encodeCursor([2, 2]) });
    assert.deepEqual(pageOf(rows, 3, (r) => [r.k, r.k]), { data: rows, nextCursor: null });
  });
});

describe('cursors', () => {
  const isCursorProblem = (error: unknown) => error instanceof ProblemException && error.getStatus() === 400;

  it('decode to the values they were made of', () => {
    assert.deepEqual(decodeCursor(encodeCursor(['2020-01-01', 7]), 2), ['2020-01-01', 7]);
  });

  it('refuse what this server did not sign: made by hand, payload or signature changed, another secret, another arity', () => {
    const issued = encodeCursor(['2020-01-01', 'abc']);
    const [payload, signature] = issued.split('.');
    const handMade = Buffer.from(JSON.stringify(['x', 'y'])).toString('base64url');
    const otherPayload = Buffer.from(JSON.stringify(['2020-01-02', 'abc'])).toString('base64url');
    const flipped = `${signature.startsWith('A') ? 'B' : 'A'}${signature.slice(1)}`;
    for (const cursor of [handMade, `${handMade}.${signature}`, `${otherPayload}.${signature}`, `${payload}.${flipped}`, `${payload}.`, `${issued}.x`, '']) {
      assert.throws(() => decodeCursor(cursor, 2), isCursorProblem, cursor);
    }
    assert.throws(() => decodeCursor(issued, 3), isCursorProblem);
    useCursorSecret('another-secret-0123456789abcdefghij');
    try {
      assert.throws(() => decodeCursor(issued, 2), isCursorProblem);
    } finally {
      useCursorSecret('cursor-spec-secret-0123456789abcdef');
    }
  });
});
