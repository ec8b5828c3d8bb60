/**
 * `npm run build && node dist/bench/explain-metrics.js [--size large] [--scenario metrics-country-month]`
 *
 * Prints EXPLAIN (ANALYZE, BUFFERS) of every statement a metrics scenario's request executes, in
 * its transaction with its settings, against jsd_bench_<size>: where the database's time goes.
 */
import { parseArgs } from 'node:util';
import { databaseName, SizeName } from './generate/dataset-sizes';
import { withClient } from './lib/bench-database';
import { benchKey } from './lib/bench-keys';
import { impactQuery, impactStatements, METRICS_QUESTIONS } from './scenarios/metrics-impact';

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { size: { type: 'string', default: 'large' }, scenario: { type: 'string', default: 'metrics-country-month' }, seed: { type: 'string', default: '1' } } });
  const question = METRICS_QUESTIONS.find((q) => q.name === values.scenario);
  if (!question) throw new Error(`--scenario must be one of ${METRICS_QUESTIONS.map((q) => q.name).join(', ')}`);
  const key = benchKey(Number(values.seed), 'hq_analyst');
  await withClient(databaseName(values.size as SizeName), async (client) => {
    const statements = await impactStatements(client, { kind: 'api_key', id: key.id, role: key.role, countryCodes: [], partnerId: null }, impactQuery(question));
    await client.query('START TRANSACTION ISOLATION LEVEL REPEATABLE READ');
    for (const [i, s] of statements.entries()) {
      if (s.sql.startsWith('SET ')) {
        await client.query(s.sql);
        console.log(`-- ${s.sql}`);
        continue;
      }
      const { rows } = await client.query<{ 'QUERY PLAN': string }>(`EXPLAIN (ANALYZE, BUFFERS) ${s.sql}`, s.params);
      console.log(`-- statement ${i}: ${s.sql.trim().split('\n')[0].slice(0, 80)}…\n${rows.map((r) => r['QUERY PLAN']).join('\n')}\n`);
    }
    await client.query('COMMIT');
  });
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.stack : error);
  process.exit(1);
});
