import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ProblemException } from '../problem/problem';
import { encodeCursor, keysetClause, pageOf } from './cursor';

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
