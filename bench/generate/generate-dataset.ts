import * as argon2 from 'argon2';
import { Client } from 'pg';
import { loadConfig } from '../../src/config/app-config';
import { personalDataCipherFrom } from '../../src/common/crypto/cipher-from-config';
import { benchKeys } from '../lib/bench-keys';
import { DatasetStamp, databaseUrl, migrateDataset, withClient } from '../lib/bench-database';
import { attendanceSteps, BulkStep, otherSteps, programmeSteps, sessionSteps } from './bulk-tables';
import { dropKeysAndIndexes, restoreKeysAndIndexes } from './constraints';
import { databaseName, DatasetSize } from './dataset-sizes';
import { loadDisputeHistory, loadDisputes, loadDisputeSessions, loadParticipants, loadPolicePartners } from './personal-tables';
import { buildRollups } from './rollups';
import { createSqlFunctions } from './sql-functions';

export const COUNTED_TABLES = [
  'countries', 'networks', 'network_links', 'partners', 'participants', 'police_partners', 'sessions', 'session_attendance', 'action_points',
  'disputes', 'dispute_parties', 'dispute_history', 'dispute_sessions', 'initiatives', 'disbursements', 'initiative_history', 'early_warnings', 'indicator_values',
  'users', 'api_keys',
];

type Log = (message: string) => void;

/**
 * Builds `jsd_bench_<size>` from scratch: the real migrations, then bulk loads on two connections
 * (the machine has two cores) into bare tables, then keys and indexes rebuilt as the migrations
 * defined them, VACUUM ANALYZE, and a stamp with the row counts and the load time.
 */
export async function generateDataset(size: DatasetSize, seed: number, log: Log): Promise<DatasetStamp> {
  const database = databaseName(size.name);
  const started = Date.now();
  const lap = async (label: string, work: () => Promise<unknown>) => {
    const t = Date.now();
    await work();
    log(`  ${label}: ${((Date.now() - t) / 1000).toFixed(1)} s`);
  };

  await withClient('postgres', async (admin) => {
    await admin.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
    await admin.query(`CREATE DATABASE ${database}`);
  });
  await lap('migrations', () => migrateDataset(database));

  const config = loadConfig();
  const cipher = personalDataCipherFrom(config);
  const lanes = [await connect(database, seed), await connect(database, seed)];
  try {
    let restore: string[] = [];
    await lap('drop keys and indexes for the load', async () => (restore = (await dropKeysAndIndexes(lanes[0])).create));
    const run = (client: Client, steps: BulkStep[]) => async () => {
      for (const step of steps) await client.query(step.sql, step.params);
    };
    await lap('load (two lanes)', () => Promise.all([
      lap('lane 1: attendance and action points', run(lanes[0], attendanceSteps(size, cipher))),
      (async () => {
        const b = lanes[1];
        await lap('programme structure', run(b, programmeSteps(size)));
        await lap('participants (encrypted)', () => loadParticipants(b, cipher, size, seed));
        await lap('police partners (encrypted)', () => loadPolicePartners(b, cipher, size, seed));
        await lap('sessions', run(b, sessionSteps(size, cipher)));
        await lap('disputes (encrypted)', () => loadDisputes(b, cipher, size, seed));
        await lap('dispute history', () => loadDisputeHistory(b));
        await lap('dispute–session links', () => loadDisputeSessions(b));
        await lap('initiatives, early warnings, indicators', run(b, otherSteps(size, cipher)));
        await lap('bench users and API keys', () => loadUsersAndKeys(b, seed));
      })(),
    ]));
    await lap('keys and indexes', () => restoreKeysAndIndexes(lanes, restore));
    // VACUUM as well: a database in service has its visibility map set by autovacuum, and index-only
    // scans (the attendance joins of the metrics) depend on it; a fresh load would hit the heap instead.
    await lap('vacuum analyze', () => lanes[0].query('VACUUM (ANALYZE)'));
    await lap('metrics rollups (two lanes)', () => buildRollups(lanes));
    const rowCounts: Record<string, number> = {};
    for (const table of COUNTED_TABLES) {
      const { rows } = await lanes[0].query<{ n: string }>(`SELECT count(*) AS n FROM ${table}`);
      rowCounts[table] = Number(rows[0].n);
    }
    const stamp: DatasetStamp = { size: size.name, seed, loadSeconds: Math.round((Date.now() - started) / 100) / 10, generatedAt: new Date().toISOString(), rowCounts };
    await lanes[0].query(`COMMENT ON DATABASE ${database} IS ${quote(`jsd-bench ${JSON.stringify(stamp)}`)}`);
    return stamp;
  } finally {
    for (const client of lanes) await client.end();
  }
}

async function connect(database: string, seed: number): Promise<Client> {
  const client = new Client({ connectionString: databaseUrl(database), application_name: 'jsd-bench-generate' });
  await client.connect();
  // Session settings only: a lost bench load is simply regenerated, and index builds like memory.
  // replica: no triggers, so the bulk rows mark no dirty metrics months (buildRollups does it once).
  await client.query(`SET synchronous_commit = off; SET maintenance_work_mem = '512MB'; SET statement_timeout = 0; SET session_replication_role = replica`);
  await createSqlFunctions(client, seed);
  return client;
}

const quote = (text: string) => `'${text.replace(/'/g, "''")}'`;

const BENCH_PASSWORD = 'bench-password-2026';

async function loadUsersAndKeys(client: Client, seed: number): Promise<void> {
  const hash = await argon2.hash(BENCH_PASSWORD, { type: argon2.argon2id, memoryCost: 19_456, timeCost: 2, parallelism: 1 });
  for (const [i, k] of benchKeys(seed).entries()) {
    const partner = k.partnerIndex === null ? 'NULL' : `pg_temp.u('partner', ${k.partnerIndex})`;
    await client.query(
      `INSERT INTO users (id, email, password_hash, role, country_codes, partner_id, display_name)
       VALUES (pg_temp.u('user', $1), $2, $3, $4, $5, ${partner}, $6)`,
      [i, `${k.name}@example.org`, hash, k.role, k.countryCodes, k.name],
    );
    await client.query(
      `INSERT INTO api_keys (id, name, prefix, secret_hash, role, country_codes, partner_id) VALUES ($1, $2, $3, $4, $5, $6, ${partner})`,
      [k.id, k.name, k.prefix, k.secretHash, k.role, k.countryCodes],
    );
  }
}
