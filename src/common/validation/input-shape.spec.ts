import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { findUnsafeInput, MAX_JSON_DEPTH } from './input-shape';

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
