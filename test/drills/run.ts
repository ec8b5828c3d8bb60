/**
 * `npm run drills`: every fault drill at full size, one after another, each on its own PostgreSQL
 * cluster, redis-server, API and worker processes; prints one table row per drill and exits 1
 * when any drill fails. `npm run drills -- redis-stop sigterm` runs only the named ones.
 */
import { DRILLS } from './scenarios/catalogue';
import { closeAllDrillEnvs } from './support/drill-env';
import { DrillResult } from './support/drill-result';
import { auditRow, printTable } from './support/drill-table';

async function main(): Promise<void> {
  const only = process.argv.slice(2);
  const selected = DRILLS.filter((d) => !only.length || only.includes(d.name));
  if (!selected.length) throw new Error(`no drill named ${only.join(', ')}; known: ${DRILLS.map((d) => d.name).join(', ')}`);
  const results: DrillResult[] = [];
  for (const drill of selected) {
    console.log(`== ${drill.name}: ${drill.description}`);
    try {
      const result = await drill.full();
      results.push(result);
      console.log(`   ${result.pass ? 'pass' : 'FAIL'} in ${result.seconds} s${result.failures.length ? `: ${result.failures.join('; ')}` : ''}`);
    } catch (error) {
      console.log(`   FAIL: ${error instanceof Error ? error.stack : error}`);
      results.push({ drill: drill.name, pass: false, failures: [String(error)], requests: 0, ok: 0, unavailable: 0, retries: 0, lost: 0, duplicated: 0, maxLatencyMs: 0, extra: {}, seconds: 0 });
    }
  }
  results.push(auditRow(results));
  printTable(results);
  process.exitCode = results.every((r) => r.pass) ? 0 : 1;
}

// Ctrl-C: stop the drill's PostgreSQL, Redis, API and worker and remove their directories first.
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    console.log(`\n${signal}: cleaning up the drill environments`);
    void closeAllDrillEnvs().finally(() => process.exit(130));
  });
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
