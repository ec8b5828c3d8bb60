import { DataSource } from 'typeorm';
import { loadConfig } from '../config/app-config';
import { dataSourceOptions } from './data-source-options';

/** The DataSource the migration CLI uses; the app builds the same options through DatabaseModule. */
export function createDataSource(databaseUrl = loadConfig().databaseUrl): DataSource {
  return new DataSource(dataSourceOptions(databaseUrl, 'jsd-migrate'));
}
