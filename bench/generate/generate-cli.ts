/**
 * `npm run bench:generate -- --size small|medium|large [--seed N]`: (re)builds jsd_bench_<size>.
 */
import { parseArgs } from 'node:util';
import { generateDataset } from './generate-dataset';
import { SIZE_NAMES, SIZES, SizeName } from './dataset-sizes';

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { size: { type: 'string', default: 'small' }, seed: { type: 'string', default: '1' } } });
  const size = values.size as SizeName;
  if (!SIZE_NAMES.includes(size)) throw new Error(`--size must be one of ${SIZE_NAMES.join(', ')}`);
  const seed = Number(values.seed);
  if (!Number.isInteger(seed) || seed < 0) throw new Error('--seed must be a non-negative integer');
  console.log(`generating ${size} (seed ${seed})`);
  const stamp = await generateDataset(SIZES[size], seed, (m) => console.log(m));
  console.log(`done in ${stamp.loadSeconds} s`);
  console.table(stamp.rowCounts);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.stack : error);
  process.exit(1);
});
