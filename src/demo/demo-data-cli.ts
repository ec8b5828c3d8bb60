/** Loads the demo data set into DATABASE_URL (run by `npm run demo`; safe to run again). */
import { loadConfig } from '../config/app-config';
import { personalDataCipherFrom } from '../common/crypto/cipher-from-config';
import { createDataSource } from '../database/data-source';
import { DEMO_PASSWORD, DEMO_USERS, loadDemoData } from './demo-data';

async function main(): Promise<void> {
  const started = Date.now();
  const config = loadConfig();
  const dataSource = await createDataSource(config.databaseUrl).initialize();
  try {
    const cipher = personalDataCipherFrom(config);
    const counts = await loadDemoData(dataSource, cipher);
    // Fresh statistics, so the planner sees the loaded tables as they are (where autovacuum is off,
    // as on our development machines, it would otherwise plan every query for empty tables).
    if (Object.keys(counts).length) await dataSource.query('ANALYZE');
    const totals = (await dataSource.query(
      `SELECT (SELECT count(*) FROM networks)::int AS networks, (SELECT count(*) FROM network_links)::int AS "networkLinks",
              (SELECT count(*) FROM partners)::int AS partners, (SELECT count(*) FROM participants)::int AS participants,
               (SELECT count(*) FROM police_partners)::int AS "policePartners",
              (SELECT count(*) FROM sessions)::int AS sessions, (SELECT count(*) FROM session_attendance)::int AS attendances,
              (SELECT count(*) FROM action_points)::int AS "actionPoints", (SELECT count(*) FROM early_warnings)::int AS "earlyWarnings",
              (SELECT count(*) FROM indicator_values)::int AS "indicatorValues", (SELECT count(*) FROM users)::int AS users`,
    )) as Record<string, number>[];
    const added = Object.entries(counts).map(([what, n]) => `${n} ${what}`).join(', ') || 'nothing (already loaded)';
    console.log(`demo data: added ${added} in ${Date.now() - started} ms`);
    console.log(`demo data: now ${Object.entries(totals[0]).map(([k, v]) => `${v} ${k}`).join(', ')}`);
    console.log('demo logins (password for all: ' + DEMO_PASSWORD + '):');
    for (const u of DEMO_USERS) console.log(`  ${u.role.padEnd(14)} ${u.email}${u.countryCodes.length ? ` (${u.countryCodes.join(', ')})` : ''}`);
  } finally {
    await dataSource.destroy();
  }
}

main().catch((error: unknown) => {
  // The message only: a query error object carries its parameters, which may be personal data.
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
