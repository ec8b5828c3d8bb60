import { getSessions } from './get-sessions';
import { metricsAllQuarter, metricsCountryMonth } from './metrics-impact';
import { postSessions } from './post-sessions';
import { Scenario } from './scenario';
import { summaryRunYear } from './summary-run';
import { syncBatches } from './sync-batches';

/**
 * Every scenario `npm run bench` knows, in run order (docs/benchmarks.md): the reads first, on
 * the dataset as generated, then the writes. The other way round, POST /sessions and /sync added
 * about 25,000 sessions and 200,000 attendance rows to `small`'s 10,000 and 80,000 (with
 * statistics of the generated tables) before the reads ran, so the reads measured a different
 * dataset on every run (the one-country metrics p50 on small went from 114 ms to 489 ms).
 */
export const SCENARIOS: readonly Scenario[] = [getSessions, metricsCountryMonth, metricsAllQuarter, summaryRunYear, postSessions, syncBatches];
