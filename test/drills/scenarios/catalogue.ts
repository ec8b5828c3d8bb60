import { DrillResult } from '../support/drill-result';
import { redisOutageDrill } from './redis-outage';
import { postgresRestartDrill } from './postgres-restart';

export interface Drill {
  name: string;
  description: string;
  /** The drill at the size the issue asks for (`npm run drills`). */
  full: () => Promise<DrillResult>;
}

export const DRILLS: Drill[] = [
  { name: 'redis-stop', description: 'Redis stops for 15 s while 20 clients post sessions', full: () => redisOutageDrill({ mode: 'stop', outageSeconds: 15, clients: 20 }) },
  { name: 'redis-freeze', description: 'Redis hangs (SIGSTOP) for 15 s while 20 clients post sessions', full: () => redisOutageDrill({ mode: 'freeze', outageSeconds: 15, clients: 20 }) },
];
DRILLS.push({ name: 'postgres-restart', description: 'PostgreSQL restarted (5 s down) during a write load of 10 clients', full: () => postgresRestartDrill({ downSeconds: 5, clients: 10 }) });
