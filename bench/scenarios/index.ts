import { getSessions } from './get-sessions';
import { metricsAllQuarter, metricsCountryMonth } from './metrics-impact';
import { postSessions } from './post-sessions';
import { Scenario } from './scenario';
import { summaryRunYear } from './summary-run';
import { syncBatches } from './sync-batches';

/** Every scenario `npm run bench` knows, in run order (README, "Benchmarks"). */
export const SCENARIOS: readonly Scenario[] = [postSessions, getSessions, syncBatches, metricsCountryMonth, metricsAllQuarter, summaryRunYear];
