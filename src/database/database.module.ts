import { Logger, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';
import { dataSourceOptions } from './data-source-options';

export class SchemaBehindError extends Error {}

/**
 * Connects with the same options as the migration CLI and refuses to serve on a schema that is
 * behind its migrations: running them is an explicit deployment step (`npm run migration:run`,
 * the `migrate` service in docker-compose), never a side effect of starting one of many replicas.
 */
@Module({
  imports: [
    TypeOrmModule.forRootAsync({
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => ({
        ...dataSourceOptions(config.databaseUrl, `jsd-${process.env.JSD_PROCESS ?? 'api'}`, config.databasePoolSize),
        // Retry while the database is unreachable (it may still be starting), never on a stale schema.
        toRetry: (error: unknown) => !(error instanceof SchemaBehindError),
      }),
      dataSourceFactory: async (options) => {
        const dataSource = await new DataSource(options!).initialize();
        const pending = await dataSource.showMigrations();
        if (pending) {
          await dataSource.destroy();
          throw new SchemaBehindError(
            'The database schema is behind the migrations. Run `npm run migration:run` (or the `migrate` service) first.',
          );
        }
        new Logger('Database').log('database connected, schema up to date');
        return dataSource;
      },
    }),
  ],
})
export class DatabaseModule {}
