import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { diffChanges, REDACTED } from './audit.service';

describe('diffChanges', () => {
  it('leaves out, on an update, a field whose new value is undefined (not sent)', () => {
    const before = { title: 'Monthly dialogue', summary: 'Old', place: 'Hall' };
    const dto = { title: undefined, summary: 'New', place: undefined };
    assert.deepEqual(diffChanges(before, { ...before, ...dto }), { summary: { from: 'Old', to: 'New' } });
  });

  it('records a field sent as null (cleared)', () => {
    assert.deepEqual(diffChanges({ place: 'Hall', title: 'x' }, { place: null, title: 'x' }), { place: { from: 'Hall', to: null } });
  });

  it('records nothing for equal values, and hides sensitive ones', () => {
    assert.deepEqual(diffChanges({ a: [1, 2], name: 'A' }, { a: [1, 2], name: 'B' }, ['name']), { name: { from: REDACTED, to: REDACTED } });
  });

  it('on a create, records every field, undefined ones as null', () => {
    assert.deepEqual(diffChanges(null, { a: 1, b: undefined }), { a: { to: 1 }, b: { to: null } });
  });
});
