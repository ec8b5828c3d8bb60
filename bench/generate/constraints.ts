import { Client } from 'pg';

interface Saved {
  drop: string[];
  create: string[];
}

/**
 * Bulk loading into indexed, FK-checked tables is several times slower than loading bare tables
 * and building indexes once by sorting. Saves the definitions the migrations created (primary
 * keys, unique and foreign keys, plain indexes; CHECK and NOT NULL stay, so every row is still
 * checked), drops them, and hands back the statements that restore them exactly.
 */
export async function dropKeysAndIndexes(client: Client): Promise<Saved> {
  const { rows: cons } = await client.query<{ tbl: string; name: string; def: string; type: string }>(
    `SELECT c.conrelid::regclass::text AS tbl, c.conname AS name, pg_get_constraintdef(c.oid) AS def, c.contype AS type
       FROM pg_constraint c JOIN pg_namespace n ON n.oid = c.connamespace
      WHERE n.nspname = 'public' AND c.contype IN ('p', 'u', 'f') AND c.conrelid::regclass::text <> 'schema_migrations'`,
  );
  const { rows: idx } = await client.query<{ name: string; def: string }>(
    `SELECT i.indexname AS name, i.indexdef AS def FROM pg_indexes i
      WHERE i.schemaname = 'public' AND i.tablename <> 'schema_migrations'
        AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname)`,
  );
  const order = (t: string) => (t === 'f' ? 0 : 1);
  const sorted = [...cons].sort((a, b) => order(a.type) - order(b.type));
  const drop = [
    ...sorted.map((c) => `ALTER TABLE ${c.tbl} DROP CONSTRAINT "${c.name}"`),
    ...idx.map((i) => `DROP INDEX public."${i.name}"`),
  ];
  const create = [
    ...cons.filter((c) => c.type !== 'f').map((c) => `ALTER TABLE ${c.tbl} ADD CONSTRAINT "${c.name}" ${c.def}`),
    ...idx.map((i) => i.def),
    ...cons.filter((c) => c.type === 'f').map((c) => `ALTER TABLE ${c.tbl} ADD CONSTRAINT "${c.name}" ${c.def}`),
  ];
  for (const sql of drop) await client.query(sql);
  return { drop, create };
}

/** Restores in two lanes (two cores): keys and indexes of one table never wait for another's. */
export async function restoreKeysAndIndexes(clients: Client[], statements: string[]): Promise<void> {
  const keysAndIndexes = statements.filter((s) => !s.includes('FOREIGN KEY'));
  const foreignKeys = statements.filter((s) => s.includes('FOREIGN KEY'));
  await runInLanes(clients, keysAndIndexes);
  // A foreign key needs the referenced primary key, so these come after every key exists.
  await runInLanes(clients, foreignKeys);
}

async function runInLanes(clients: Client[], statements: string[]): Promise<void> {
  const queue = [...statements];
  await Promise.all(clients.map(async (client) => {
    for (let sql = queue.shift(); sql; sql = queue.shift()) await client.query(sql);
  }));
}
