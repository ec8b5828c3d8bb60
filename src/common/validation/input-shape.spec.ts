import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { randomUUID } from 'node:crypto';
import { MAX_ACTION_POINTS, MAX_ATTENDANCE, MAX_SYNC_OPERATIONS, SESSION_TOPICS } from '../../field-work/field-work-enums';
import { MAX_NETWORK_IDS } from '../../programme/dto/partner.dto';
import { ProblemException } from '../problem/problem';
import {
  assertObjectBody, BULK_JSON_VALUES, findJsonShapeProblem, findUnsafeInput, JsonShapeScanner, MAX_ARRAY_ITEMS, MAX_JSON_DEPTH, MAX_OBJECT_KEYS,
  PUBLIC_JSON_VALUES,
} from './input-shape';

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

describe('JsonShapeScanner', () => {
  const scan = (text: string, maxValues?: number) => findJsonShapeProblem(text, maxValues);
  const object = (keys: number) => `{${Array.from({ length: keys }, (_, i) => `"k${i}":${i}`).join(',')}}`;
  const array = (items: number, item = '0') => `[${Array(items).fill(item).join(',')}]`;

  it('allows each limit exactly and refuses one more', () => {
    assert.equal(scan(object(MAX_OBJECT_KEYS)), null);
    assert.equal(scan(object(MAX_OBJECT_KEYS + 1)), `has an object with more than ${MAX_OBJECT_KEYS} fields`);
    assert.equal(scan(`{"a":${array(MAX_ARRAY_ITEMS)}}`), null);
    assert.equal(scan(`{"a":${array(MAX_ARRAY_ITEMS + 1)}}`), `has an array with more than ${MAX_ARRAY_ITEMS} items`);
    assert.equal(scan(`{"a":${array(9)}}`, 10), null);
    assert.equal(scan(`{"a":${array(10)}}`, 10), 'holds more than 10 values');
    // A value is a field of an object or an item of an array: 1 + 2 + 5 + 4 here.
    assert.equal(scan(`{"a":[${array(5)},${array(4)}]}`, 12), null);
    assert.equal(scan(`{"a":[${array(5)},${array(4)}]}`, 11), 'holds more than 11 values');
    assert.equal(scan(`{"a":${'['.repeat(MAX_JSON_DEPTH)}${']'.repeat(MAX_JSON_DEPTH)}}`), null);
    assert.equal(scan(`{"a":${'['.repeat(MAX_JSON_DEPTH + 1)}`), `is nested more than ${MAX_JSON_DEPTH} levels deep`);
  });

  it('counts what the parser would build: nothing inside strings, escapes included, any Unicode', () => {
    const tricky = JSON.stringify({ a: '{[,,,]}"\\', 'k,e"y': ['",', '\\"', 'Séance 🙂 ,', '\\\\'], b: { c: [] }, d: {} });
    // Fields a, "k,e\"y", b, d, c and the four strings: 9.
    assert.equal(scan(tricky, 9), null);
    assert.equal(scan(tricky, 8), 'holds more than 8 values');
    assert.equal(scan(`[${array(MAX_ARRAY_ITEMS, '"x,y,z"')}]`), null);
  });

  it('gives the same answer however the bytes are split, escapes and multi-byte characters included', () => {
    const text = Buffer.from(JSON.stringify({ a: ['\\"', 'é🙂"', '\\\\', ...Array(20).fill('x')], b: { c: [[1, 2], { d: '\\' }] } }));
    for (const max of [100, 28, 27]) {
      const whole = findJsonShapeProblem(text, max);
      for (let size = 1; size <= 7; size++) {
        const scanner = new JsonShapeScanner(max);
        let problem: string | null = null;
        for (let i = 0; i < text.length && !problem; i += size) problem = scanner.push(text.subarray(i, i + size));
        assert.equal(problem, whole, `max ${max}, chunks of ${size}`);
      }
    }
  });

  it('leaves malformed JSON to the parser instead of refusing it for its shape', () => {
    for (const text of ['', '{', '"unterminated', ']]]]', '{"a":1}}}}', '{"a":[1,2', 'not json at all']) assert.equal(scan(text), null, text);
  });

  it('lets the largest legitimate bodies through: a session with 500 attendees and 100 action points, 500 offline operations, 500 networks', () => {
    const session = {
      networkId: randomUUID(),
      title: 't',
      kind: 'dialogue',
      heldOn: '2016-01-01',
      durationMinutes: 90,
      place: 'p',
      facilitatorPartnerId: randomUUID(),
      topics: [...SESSION_TOPICS],
      summary: 's',
      attendance: Array.from({ length: MAX_ATTENDANCE }, () => ({ participantId: randomUUID(), role: 'attendee' })),
      unnamedAttendance: { women: 1, men: 1, youth: 1 },
      actionPoints: Array.from({ length: MAX_ACTION_POINTS }, () => ({ description: 'd', dueOn: '2016-02-01', status: 'open' })),
    };
    assert.equal(scan(JSON.stringify(session)), null);
    const smallSession = { ...session, attendance: session.attendance.slice(0, 40), actionPoints: session.actionPoints.slice(0, 5) };
    const sync = { operations: Array.from({ length: MAX_SYNC_OPERATIONS }, () => ({ clientId: randomUUID(), resource: 'sessions', method: 'POST', body: smallSession })) };
    assert.ok(JSON.stringify(sync).length > 1_048_576, 'as large as the default body limit allows');
    assert.equal(scan(JSON.stringify(sync), BULK_JSON_VALUES), null);
    assert.equal(scan(JSON.stringify({ name: 'p', networkIds: Array.from({ length: MAX_NETWORK_IDS }, () => randomUUID()) })), null);
    assert.equal(scan(JSON.stringify({ email: 'someone@example.org', password: 'a password' }), PUBLIC_JSON_VALUES), null);
  });
});
