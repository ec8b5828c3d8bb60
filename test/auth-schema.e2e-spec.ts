import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { DataSource } from 'typeorm';
import { dataSourceOptions } from '../src/database/data-source-options';
import { pendingSchemaChanges } from '../src/database/schema-drift';
import { createEmptyDatabase } from './support/test-database';
import { startTestApp, TestApp } from './support/test-app';

describe('auth schema', () => {
  let database: { url: string; drop: () => Promise<void> };
  let dataSource: DataSource;
  before(async () => {
    database = await createEmptyDatabase();
    dataSource = await new DataSource(dataSourceOptions(database.url, 'jsd-test-auth-schema')).initialize();
  });
  after(async () => {
    await dataSource.destroy();
    await database.drop();
  });

  it('migrations agree with the entities, and the auth migration reverts cleanly', async () => {
    await dataSource.runMigrations({ transaction: 'each' });
    assert.deepEqual((await pendingSchemaChanges(dataSource)).up, []);
    const tables = async () =>
      ((await dataSource.query(`SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY 1`)) as { table_name: string }[]).map(
        (r) => r.table_name,
      );
    assert.ok((await tables()).includes('refresh_tokens'));
    const columns = (await dataSource.query(
      `SELECT column_name FROM information_schema.columns WHERE table_name = 'refresh_tokens' AND column_name = 'expires_at'`,
    )) as unknown[];
    assert.equal(columns.length, 1, 'housekeeping purges refresh_tokens by expires_at');
    while ((await tables()).includes('users')) await dataSource.undoLastMigration({ transaction: 'each' });
    assert.ok(!(await tables()).includes('api_keys'));
    await dataSource.runMigrations({ transaction: 'each' });
    assert.deepEqual((await pendingSchemaChanges(dataSource)).up, []);
  });
});

describe('auth in the OpenAPI description', () => {
  let t: TestApp;
  before(async () => {
    t = await startTestApp();
  });
  after(() => t.close());

  it('documents the auth, users and api-keys routes without leaking hashes into schemas', async () => {
    const res = await t.http.get('/docs/openapi.json');
    assert.equal(res.status, 200);
    for (const path of ['/api/v1/auth/login', '/api/v1/auth/refresh', '/api/v1/auth/logout', '/api/v1/auth/me', '/api/v1/users', '/api/v1/users/{id}', '/api/v1/api-keys', '/api/v1/api-keys/{id}']) {
      assert.ok(res.body.paths[path], path);
    }
    const schemas = JSON.stringify(res.body.components.schemas);
    assert.ok(!/passwordHash|secretHash|tokenHash/.test(schemas));
    assert.ok(res.body.components.schemas.UserDto);
  });
});
