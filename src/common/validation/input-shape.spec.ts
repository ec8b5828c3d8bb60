import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ProblemException } from '../problem/problem';
import { assertObjectBody, findUnsafeInput, MAX_JSON_DEPTH } from './input-shape';

describe('findUnsafeInput', () => {
  it('accepts ordinary input, including paired surrogates (emoji) and nesting up to the limit', () => {
    let nested: unknown = 'leaf';
    for (let i = 0; i < MAX_JSON_DEPTH; i++) nested = [nested];
    assert.equal(findUnsafeInput({ title: 'Séance 🙂', list: [1, { a: null }], nested }, ''), null);
  });

  it('names the field holding a NUL character or a lone surrogate, which PostgreSQL refuses', () => {
    assert.deepEqual(findUnsafeInput({ a: [{ title: 'x\u0000y' }] }, ''), { field: 'a[0].title', message: 'contains a NUL character or invalid Unicode' });
    assert.equal(findUnsafeInput({ name: 'a\ud800b' }, '')?.field, 'name');
    assert.equal(findUnsafeInput({ name: 'a\udc00' }, '')?.field, 'name');
    assert.match(findUnsafeInput({ ['k\u0000']: 1 }, '')?.message ?? '', /field name/);
  });

  it('refuses nesting beyond the limit without overflowing the stack itself', () => {
    let nested: unknown = 1;
    for (let i = 0; i < 200_000; i++) nested = [nested];
    assert.match(findUnsafeInput({ x: nested }, '')?.message ?? '', /nested more than 32 levels/);
  });
});

describe('assertObjectBody', () => {
  it('lets objects, arrays (refused later by the DTO) and an absent body through', () => {
    for (const body of [{}, { a: 1 }, [], undefined]) assert.doesNotThrow(() => assertObjectBody(body));
  });

  it('refuses a bare JSON null, number, string or boolean with a 400 (they reached services as the DTO: 500)', () => {
    for (const body of [null, 0, -4.5e136, 'session', true]) {
      assert.throws(() => assertObjectBody(body), (e: unknown) => e instanceof ProblemException && e.getStatus() === 400);
    }
  });
});
