import { join } from 'node:path';
import { DataSourceOptions } from 'typeorm';
import { DEFAULT_DATABASE_POOL_SIZE } from '../config/app-config';
import { CallbackQueryClient } from './callback-query-client';
import { SafeQueryLogger } from './safe-query-logger';
import { SnakeNamingStrategy } from './snake-naming.strategy';

// Entities and migrations are loaded from the compiled tree (dist/src, dist/migrations), the same
// way for the API, the worker, the migration CLI and the tests: one DataSource definition.
const distRoot = join(__dirname, '..', '..');

export function dataSourceOptions(databaseUrl: string, applicationName = 'jsd', poolSize = DEFAULT_DATABASE_POOL_SIZE): DataSourceOptions {
  return {
    type: 'postgres',
    url: databaseUrl,
    entities: [join(distRoot, 'src', '**', '*.entity.js')],
    migrations: [join(distRoot, 'migrations', '*.js')],
    migrationsTableName: 'schema_migrations',
    namingStrategy: new SnakeNamingStrategy(),
    // The schema comes only from migrations/, never from the entities at run time.
    synchronize: false,
    migrationsRun: false,
    logging: ['error', 'warn'],
    logger: new SafeQueryLogger(),
    maxQueryExecutionTime: 1_000,
    applicationName,
    extra: {
      // pg's Client with a cheaper promise path for every query (callback-query-client).
      Client: CallbackQueryClient,
      // Requests beyond it wait for a connection: size it to the concurrency one process should carry.
      max: poolSize,
      // A dead database must not hang a request past the API's own timeout.
      connectionTimeoutMillis: 5_000,
      statement_timeout: 30_000,
      idle_in_transaction_session_timeout: 60_000,
    },
  };
}
