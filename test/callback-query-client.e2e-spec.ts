import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Client, DatabaseError, Query, QueryResult } from 'pg';
import { DataSource, QueryFailedError } from 'typeorm';
import { CallbackQueryClient } from '../src/database/callback-query-client';
import { dataSourceOptions } from '../src/database/data-source-options';
import { createTestDatabase } from './support/test-database';

/** The pool's Client must answer every form of query() exactly as pg's own Client does. */
describe('CallbackQueryClient', () => {
  let url: string;
  let drop: () => Promise<void>;
  let ours: CallbackQueryClient;
  let pgs: Client;

  before(async () => {
    const database = await createTestDatabase();
    ({ url, drop } = database);
    ours = new CallbackQueryClient({ connectionString: url });
    pgs = new Client({ connectionString: url });
    await Promise.all([ours.connect(), pgs.connect()]);
  });
  after(async () => {
    await Promise.all([ours.end(), pgs.end()]);
    await drop();
  });

  const SQL = `SELECT n, 'row ' || n AS label, NULL::int AS nothing FROM generate_series(1, $1::int) n`;
  const shape = (r: QueryResult) => ({ command: r.command, rowCount: r.rowCount, rows: r.rows, fields: r.fields.map((f) => [f.name, f.dataTypeID]) });

  it('resolves the same result as pg for text, config objects and array row mode', async () => {
    assert.deepEqual(shape(await ours.query(SQL, [3])), shape(await pgs.query(SQL, [3])));
    assert.deepEqual(shape(await ours.query({ text: SQL, values: [2] })), shape(await pgs.query({ text: SQL, values: [2] })));
    const arrays = await ours.query({ text: SQL, values: [2], rowMode: 'array' });
    assert.deepEqual(arrays.rows, [[1, 'row 1', null], [2, 'row 2', null]]);
  });

  it('rejects with pg\'s DatabaseError, its stack leading back to the caller, and the connection stays usable', async () => {
    const failing = async function callerOfFailingQuery() {
      return await ours.query('SELECT * FROM no_such_table');
    };
    const error = await failing().then(() => assert.fail('the query should fail'), (e: unknown) => e);
    assert.ok(error instanceof DatabaseError);
    assert.equal(error.code, '42P01');
    assert.match(String(error.stack), /callerOfFailingQuery/);
    assert.equal((await ours.query('SELECT 1 AS one')).rows[0].one, 1);
  });

  it('leaves callback calls and submittable queries to pg unchanged', async () => {
    const viaCallback = await new Promise<QueryResult>((resolve, reject) => {
      const returned = ours.query(SQL, [1], (e: Error, r: QueryResult) => (e ? reject(e) : resolve(r)));
      assert.equal(returned, undefined); // pg returns nothing when given a callback
    });
    assert.equal(viaCallback.rowCount, 1);
    const submitted = new Query(SQL, [2]);
    const rows: unknown[] = [];
    submitted.on('row', (row: unknown) => rows.push(row));
    const ended = new Promise((resolve, reject) => submitted.on('end', resolve).on('error', reject));
    assert.equal(ours.query(submitted), submitted);
    await ended;
    assert.equal(rows.length, 2);
  });

  it('is the Client of the application\'s pool, so TypeORM\'s queries and errors go through it', async () => {
    const dataSource = await new DataSource(dataSourceOptions(url, 'jsd-test-callback-client')).initialize();
    try {
      const pool = (dataSource.driver as unknown as { master: { Client: unknown } }).master;
      assert.equal(pool.Client, CallbackQueryClient);
      assert.deepEqual(await dataSource.query('SELECT $1::int + 1 AS two', [1]), [{ two: 2 }]);
      await assert.rejects(dataSource.query('SELECT 1/0'), (e: unknown) => e instanceof QueryFailedError && (e.driverError as DatabaseError).code === '22012');
      // A transaction holds one pooled client across queries.
      const inTransaction = await dataSource.transaction(async (manager) => {
        await manager.query('CREATE TEMP TABLE t (n int) ON COMMIT DROP');
        await manager.query('INSERT INTO t VALUES (1), (2)');
        return manager.query('SELECT sum(n)::int AS total FROM t');
      });
      assert.deepEqual(inTransaction, [{ total: 3 }]);
    } finally {
      await dataSource.destroy();
    }
  });
});
