import { DrillResult } from '../support/drill-result';
import { sigtermDrill } from './api-sigterm';
import { postgresRestartDrill } from './postgres-restart';
import { redisOutageDrill } from './redis-outage';
import { retryStormDrill } from './retry-storm';
import { workerSigkillDrill } from './worker-sigkill';

export interface Drill {
  name: string;
  description: string;
  /** At the size the issue asks for: `npm run drills`. */
  full: () => Promise<DrillResult>;
  /** Smaller, for `npm test` (test/drills/*.e2e-spec.ts): the same checks, under ~20 s. */
  fast: () => Promise<DrillResult>;
}

/**
 * Every fault drill. Adding one: a scenario in this folder returning finishDrill(...), then a
 * line here; `npm run drills` and the audit-integrity row pick it up.
 */
export const DRILLS: Drill[] = [
  {
    name: 'redis-stop',
    description: 'Redis stops for 15 s (and comes back on the same data) while 20 clients post sessions and 5 request summary runs',
    full: () => redisOutageDrill({ mode: 'stop', outageSeconds: 15, clients: 20, runClients: 5 }),
    fast: () => redisOutageDrill({ mode: 'stop', outageSeconds: 4, clients: 10, runClients: 3 }),
  },
  {
    name: 'redis-freeze',
    description: 'Redis hangs (SIGSTOP, connections open) for 15 s while 20 clients post sessions and 5 request summary runs',
    full: () => redisOutageDrill({ mode: 'freeze', outageSeconds: 15, clients: 20, runClients: 5 }),
    fast: () => redisOutageDrill({ mode: 'freeze', outageSeconds: 4, clients: 10, runClients: 3 }),
  },
  {
    name: 'postgres-restart',
    description: 'PostgreSQL fast shutdown, 5 s down, start again, under a write load of 10 clients',
    full: () => postgresRestartDrill({ downSeconds: 5, clients: 10 }),
    fast: () => postgresRestartDrill({ downSeconds: 3, clients: 6 }),
  },
  {
    name: 'worker-sigkill',
    description: 'the worker is SIGKILLed three times in a row in the middle of a summary run; restarted each time',
    full: () => workerSigkillDrill({ kills: 3, extraCountries: 300, sessionsPerCountry: 20, countriesWithDisputes: 4, disputesPerCountry: 10 }),
    fast: () => workerSigkillDrill({ kills: 3, extraCountries: 40, sessionsPerCountry: 10, countriesWithDisputes: 3, disputesPerCountry: 4 }),
  },
  {
    name: 'api-sigterm',
    description: 'the API gets SIGTERM while 20 clients post sessions; restart, retry the rest',
    full: () => sigtermDrill({ clients: 20 }),
    fast: () => sigtermDrill({ clients: 10 }),
  },
  {
    name: 'retry-storm',
    description: 'every POST of a 1,000-operation workload sent 4 times concurrently with random delays',
    full: () => retryStormDrill({ operations: 1_000, retries: 3, concurrency: 16, maxDelayMs: 200 }),
    fast: () => retryStormDrill({ operations: 200, retries: 3, concurrency: 8, maxDelayMs: 200 }),
  },
];

export function drill(name: string): Drill {
  const found = DRILLS.find((d) => d.name === name);
  if (!found) throw new Error(`no drill named ${name}`);
  return found;
}
