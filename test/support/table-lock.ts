import { Pool, PoolClient } from 'pg';

/**
 * Fault injection without stubs: a transaction of the test holds `table` locked, so whatever
 * needs it (a summary write, a metrics read) waits exactly where the test wants it to.
 */
export interface TableLock {
  release(): Promise<void>;
}

export async function lockTable(db: Pool, table: string): Promise<TableLock> {
  const client: PoolClient = await db.connect();
  await client.query('BEGIN');
  await client.query(`LOCK TABLE ${table} IN ACCESS EXCLUSIVE MODE`);
  return {
    release: async () => {
      await client.query('ROLLBACK');
      client.release();
    },
  };
}
