import { getSessions } from './get-sessions';
import { postSessions } from './post-sessions';
import { Scenario } from './scenario';
import { syncBatches } from './sync-batches';

/**
 * Every scenario `npm run bench` knows, in run order. GET /metrics/impact and the learning-summary
 * run join this list when those features land (see bench/README section in the main README).
 */
export const SCENARIOS: readonly Scenario[] = [postSessions, getSessions, syncBatches];
