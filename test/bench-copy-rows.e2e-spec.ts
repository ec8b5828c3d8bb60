import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Client } from 'pg';
import { copyRows, copyText, CopyValue } from '../bench/generate/copy-rows';
import { createEmptyDatabase } from './support/test-database';

describe('bench generator: COPY of the rows made in Node', () => {
  let database: { url: string; drop: () => Promise<void> };
  let client: Client;

  before(async () => {
    database = await createEmptyDatabase();
    client = new Client({ connectionString: database.url });
    await client.connect();
  });

  after(async () => {
    await client?.end();
    await database?.drop();
  });

  it('writes NULL as \\N and escapes what delimits rows and columns', () => {
    assert.equal(copyText(null), '\\N');
    assert.equal(copyText('a\tb\nc\rd\\e'), 'a\\tb\\nc\\rd\\\\e');
    assert.equal(copyText(42), '42');
    assert.equal(copyText(false), 'false');
  });

  it('loads every row, in more than one chunk, with each value as it was', async () => {
    await client.query('CREATE TABLE copied (j bigint, label text, flag boolean)');
    const awkward = ['tab\there', 'line\nbreak', 'back\\slash', '\\N', '', 'k1:AbC+/=', 'Traoré'];
    const rows = function* (): Generator<CopyValue[]> {
      for (let j = 0; j < 20_000; j++) yield [j, j % 10 === 9 ? null : `${awkward[j % awkward.length]} ${j}`, j % 2 === 0];
    };
    await copyRows(client, 'copied', ['j', 'label', 'flag'], rows());
    const { rows: loaded } = await client.query<{ j: string; label: string | null; flag: boolean }>('SELECT j, label, flag FROM copied ORDER BY j');
    assert.equal(loaded.length, 20_000);
    const expected = [...rows()];
    for (const [i, row] of loaded.entries()) assert.deepEqual([Number(row.j), row.label, row.flag], expected[i], `row ${i}`);
  });

  it('fails on a row that does not fit the table, and loads none of it', async () => {
    await client.query('CREATE TABLE strict_copy (n int NOT NULL)');
    await assert.rejects(copyRows(client, 'strict_copy', ['n'], [[1], [2], ['not a number']]), /invalid input syntax/);
    assert.equal((await client.query('SELECT count(*)::int AS n FROM strict_copy')).rows[0].n, 0);
  });
});
