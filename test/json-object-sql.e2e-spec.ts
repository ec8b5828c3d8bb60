import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Pool } from 'pg';
import { JsonField, jsonObjectSql } from '../src/common/sql/json-object-sql';
import { createTestDatabase } from './support/test-database';

/** What JSON.stringify writes must be what PostgreSQL writes, byte for byte, for every kind. */
describe('jsonObjectSql (run by PostgreSQL)', () => {
  let db: Pool;
  let drop: () => Promise<void>;

  before(async () => {
    const database = await createTestDatabase();
    drop = database.drop;
    db = new Pool({ connectionString: database.url, max: 1 });
  });
  after(async () => {
    await db.end();
    await drop();
  });

  const awkward = 'quote " backslash \\ slash / newline \n return \r tab \t bell \u0001 unit \u001f del \u007f é حوار 🕊️ </script> \u2028\u2029';
  const FIELDS: JsonField[] = [
    ['text', 'v.text', 'string'], ['noText', 'v.no_text', 'string?'], ['someText', 'v.text', 'string?'],
    ['count', 'v.count', 'number'], ['negative', 'v.negative', 'number?'], ['noCount', 'v.no_count', 'number?'],
    ['id', 'v.id', 'uuid'], ['noId', 'v.no_id', 'uuid?'], ['someId', 'v.id', 'uuid?'],
    ['day', 'v.day', 'date'], ['noDay', 'v.no_day', 'date?'], ['someDay', 'v.day', 'date?'],
    ['at', 'v.at', 'instant'], ['noAt', 'v.no_at', 'instant?'], ['someAt', 'v.at', 'instant?'],
    ['tags', 'v.tags', 'strings'], ['noTags', 'v.no_tags', 'strings?'], ['emptyTags', 'v.empty_tags', 'strings'],
    ['nested', [['inner', [['text', 'v.text', 'string']]], ['empty', []]]],
  ];
  const VALUES = `(SELECT $1::text AS text, NULL::text AS no_text, 42::int AS count, -7::int AS negative, NULL::int AS no_count,
                          'b7f0c2de-4a4e-4c55-9f8e-0123456789ab'::uuid AS id, NULL::uuid AS no_id, DATE '2016-02-29' AS day, NULL::date AS no_day,
                          TIMESTAMPTZ '2024-03-05 07:08:09.123999+03' AS at, NULL::timestamptz AS no_at,
                          ARRAY['a', $1]::text[] AS tags, NULL::text[] AS no_tags, '{}'::text[] AS empty_tags) v`;

  it('writes every kind, NULLs and nested objects as JSON.stringify does', async () => {
    // The session's time zone must not matter: instants are written in UTC.
    await db.query(`SET TIME ZONE 'America/Caracas'`);
    const { rows } = await db.query<{ json: string }>(`SELECT ${jsonObjectSql(FIELDS)} AS json FROM ${VALUES}`, [awkward]);
    const expected = {
      text: awkward, noText: null, someText: awkward,
      count: 42, negative: -7, noCount: null,
      id: 'b7f0c2de-4a4e-4c55-9f8e-0123456789ab', noId: null, someId: 'b7f0c2de-4a4e-4c55-9f8e-0123456789ab',
      day: '2016-02-29', noDay: null, someDay: '2016-02-29',
      at: '2024-03-05T04:08:09.123Z', noAt: null, someAt: '2024-03-05T04:08:09.123Z',
      tags: ['a', awkward], noTags: null, emptyTags: [],
      nested: { inner: { text: awkward }, empty: {} },
    };
    assert.equal(rows[0].json, JSON.stringify(expected));
    assert.equal(rows[0].json, JSON.stringify(JSON.parse(rows[0].json)));
  });

  it('writes an object of more fields than a function takes arguments', async () => {
    const many: JsonField[] = Array.from({ length: 120 }, (_, i) => [`f${i}`, `${i}`, 'number']);
    const { rows } = await db.query<{ json: string }>(`SELECT ${jsonObjectSql(many)} AS json`);
    assert.equal(rows[0].json, JSON.stringify(Object.fromEntries(many.map(([key], i) => [key, i]))));
  });

  it('refuses a key that would need escaping in SQL or JSON', () => {
    for (const key of [`it's`, 'a"b', 'a b', '', '1st']) {
      assert.throws(() => jsonObjectSql([[key, 'v.x', 'number']]), /must be an identifier/);
    }
  });
});
