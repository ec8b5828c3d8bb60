import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { ProblemException } from '../problem/problem';
import { keysetClause, ListCursor, useCursorSecret } from './cursor';
import { PageQueryDto } from './page-query.dto';

before(() => useCursorSecret('cursor-spec-secret-0123456789abcdef'));

const isCursorProblem = (error: unknown) =>
  error instanceof ProblemException && error.getStatus() === 400 && error.problem.errors?.[0].field === 'cursor';

/** A query as the validation pipe hands it over: the list's filters plus limit and cursor. */
const query = (fields: Record<string, unknown> = {}): PageQueryDto => Object.assign(new PageQueryDto(), fields);

describe('keysetClause', () => {
  const options = { list: 'GET /sessions', sortExpression: 's.held_on', tieBreaker: 's.id', direction: 'DESC' as const };

  it('orders by the sort key and the tie-breaker, with no condition on the first page', () => {
    const first = keysetClause(query({ limit: 10 }), options);
    assert.deepEqual({ condition: first.condition, orderBy: first.orderBy, limit: first.limit }, { condition: null, orderBy: 's.held_on DESC, s.id DESC', limit: 10 });
    assert.equal(keysetClause(query(), { ...options, direction: undefined }).orderBy, 's.held_on ASC, s.id ASC');
  });

  it('continues after the cursor\'s row, in the direction of the order', () => {
    const cursor = new ListCursor('GET /sessions', query()).next(['2020-01-01', 'abc']);
    assert.deepEqual(keysetClause(query({ cursor }), options).condition, { sql: '(s.held_on, s.id) < (:__sort, :__tie)', params: { __sort: '2020-01-01', __tie: 'abc' } });
    assert.match(keysetClause(query({ cursor }), { ...options, direction: 'ASC' }).condition?.sql ?? '', /\) > \(/);
  });

  it('refuses a cursor it did not issue with a 400 problem on `cursor`', () => {
    assert.throws(() => keysetClause(query({ cursor: 'not-a-cursor' }), options), isCursorProblem);
  });

  it('pages with the extra row only saying there is more', () => {
    const rows = [{ k: 3 }, { k: 2 }, { k: 1 }];
    const two = new ListCursor('GET /x', query({ limit: 2 }));
    assert.deepEqual(two.page(rows, (r) => [r.k, r.k]), { data: rows.slice(0, 2), nextCursor: two.next([2, 2]) });
    assert.deepEqual(new ListCursor('GET /x', query({ limit: 3 })).page(rows, (r) => [r.k, r.k]), { data: rows, nextCursor: null });
  });
});

describe('ListCursor', () => {
  const issued = new ListCursor('GET /sessions', query({ networkId: 'n1', from: '2016-01-01' })).next(['2020-01-01', 'abc']);
  const readBy = (list: string, fields: Record<string, unknown>, params?: Record<string, string>) => new ListCursor(list, query(fields), params).after(2);

  it('reads back the values it was made of, on the same list with the same filters (any limit)', () => {
    assert.deepEqual(readBy('GET /sessions', { networkId: 'n1', from: '2016-01-01', cursor: issued }), ['2020-01-01', 'abc']);
    assert.deepEqual(readBy('GET /sessions', { from: '2016-01-01', networkId: 'n1', limit: 7, cursor: issued }), ['2020-01-01', 'abc']);
    assert.equal(readBy('GET /sessions', {}), null);
  });

  it('is refused by another list, with other filters, and with other path parameters', () => {
    assert.throws(() => readBy('GET /disputes', { networkId: 'n1', from: '2016-01-01', cursor: issued }), isCursorProblem);
    assert.throws(() => readBy('GET /sessions', { networkId: 'n2', from: '2016-01-01', cursor: issued }), isCursorProblem);
    assert.throws(() => readBy('GET /sessions', { networkId: 'n1', cursor: issued }), isCursorProblem);
    assert.throws(() => readBy('GET /sessions', { networkId: 'n1', from: '2016-01-01', includeArchived: true, cursor: issued }), isCursorProblem);
    const link = new ListCursor('GET /networks/:id/links', query(), { id: 'a' }).next(['2020-01-01', 'abc']);
    assert.deepEqual(readBy('GET /networks/:id/links', { cursor: link }, { id: 'a' }), ['2020-01-01', 'abc']);
    assert.throws(() => readBy('GET /networks/:id/links', { cursor: link }, { id: 'b' }), isCursorProblem);
  });

  it('refuses what this server did not sign: made by hand, payload or signature changed, another secret, another arity', () => {
    const [payload, signature] = issued.split('.');
    const handMade = Buffer.from(JSON.stringify(['x', 'y'])).toString('base64url');
    const otherPayload = Buffer.from(JSON.stringify(['2020-01-02', 'abc'])).toString('base64url');
    const flipped = `${signature.startsWith('A') ? 'B' : 'A'}${signature.slice(1)}`;
    const same = { networkId: 'n1', from: '2016-01-01' };
    for (const cursor of [handMade, `${handMade}.${signature}`, `${otherPayload}.${signature}`, `${payload}.${flipped}`, `${payload}.`, `${issued}.x`, '']) {
      assert.throws(() => readBy('GET /sessions', { ...same, cursor }), isCursorProblem, cursor);
    }
    assert.throws(() => new ListCursor('GET /sessions', query({ ...same, cursor: issued })).after(3), isCursorProblem);
    useCursorSecret('another-secret-0123456789abcdefghij');
    try {
      assert.throws(() => readBy('GET /sessions', { ...same, cursor: issued }), isCursorProblem);
    } finally {
      useCursorSecret('cursor-spec-secret-0123456789abcdef');
    }
  });
});
