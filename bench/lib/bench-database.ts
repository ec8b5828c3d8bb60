import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from 'pg';
import { createDataSource } from '../../src/database/data-source';

/** The server bench databases live on: DATABASE_URL's server (default: the local one), never its database. */
export function serverUrl(): URL {
  return new URL(process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres');
}

export function databaseUrl(database: string): string {
  const url = serverUrl();
  url.pathname = `/${database}`;
  return url.toString();
}

export async function withClient<T>(database: string, work: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: databaseUrl(database), application_name: 'jsd-bench' });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** What the generator records on a finished dataset (COMMENT ON DATABASE), so the runner can reuse it. */
export interface DatasetStamp {
  size: string;
  seed: number;
  loadSeconds: number;
  generatedAt: string;
  rowCounts: Record<string, number>;
}

export async function readStamp(database: string): Promise<DatasetStamp | null> {
  return withClient('postgres', async (client) => {
    const { rows } = await client.query<{ comment: string | null }>(
      `SELECT shobj_description(oid, 'pg_database') AS comment FROM pg_database WHERE datname = $1`,
      [database],
    );
    const comment = rows[0]?.comment;
    if (!comment?.startsWith('jsd-bench ')) return null;
    return JSON.parse(comment.slice('jsd-bench '.length)) as DatasetStamp;
  });
}

/** True when the dataset's schema lacks a migration of this build: it must be regenerated. */
export async function schemaIsBehind(database: string): Promise<boolean> {
  const newest = Math.max(...readdirSync(join(__dirname, '..', '..', 'migrations')).filter((f) => f.endsWith('.js')).map((f) => Number(f.split('-')[0])));
  const applied = await withClient(database, async (c) => Number((await c.query<{ t: string }>('SELECT max(timestamp) AS t FROM schema_migrations')).rows[0].t));
  return applied < newest;
}

/** Runs the migrations the dataset lacks (each in its own transaction, as `npm run migration:run` does). */
export async function migrateDataset(database: string): Promise<void> {
  const dataSource = createDataSource(databaseUrl(database));
  await dataSource.initialize();
  try {
    await dataSource.runMigrations({ transaction: 'each' });
  } finally {
    await dataSource.destroy();
  }
}
