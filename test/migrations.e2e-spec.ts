import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { DataSource } from 'typeorm';
import { dataSourceOptions } from '../src/database/data-source-options';
import { pendingSchemaChanges } from '../src/database/schema-drift';
import { createEmptyDatabase } from './support/test-database';

describe('migrations', () => {
  let database: { url: string; drop: () => Promise<void> };
  let dataSource: DataSource;

  before(async () => {
    database = await createEmptyDatabase();
    dataSource = await new DataSource(dataSourceOptions(database.url, 'jsd-test-migrations')).initialize();
  });
  after(async () => {
    await dataSource.destroy();
    await database.drop();
  });

  it('agree with the entities: generating a migration would produce nothing', async () => {
    await dataSource.runMigrations({ transaction: 'each' });
    const { up } = await pendingSchemaChanges(dataSource);
    assert.deepEqual(up, []);
    assert.equal(await dataSource.showMigrations(), false);
  });

  it('revert all the way down and apply again', async () => {
    const applied = (await dataSource.query('SELECT count(*) FROM schema_migrations'))[0].count;
    for (let i = 0; i < Number(applied); i++) await dataSource.undoLastMigration({ transaction: 'each' });
    const tables = await dataSource.query(`SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_name <> 'schema_migrations'`);
    assert.deepEqual(tables, []);
    await dataSource.runMigrations({ transaction: 'each' });
    assert.deepEqual((await pendingSchemaChanges(dataSource)).up, []);
  });
});
