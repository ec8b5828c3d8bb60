import { cpus, loadavg, totalmem } from 'node:os';
import { withClient } from './bench-database';

export interface Machine {
  cpu: string;
  cores: number;
  ramGb: number;
  node: string;
  postgres: string;
  loadAverageAtStart: number[];
}

export async function describeMachine(): Promise<Machine> {
  const postgres = await withClient('postgres', async (c) => (await c.query<{ v: string }>("SELECT current_setting('server_version') AS v")).rows[0].v);
  return {
    cpu: cpus()[0]?.model ?? 'unknown',
    cores: cpus().length,
    ramGb: Math.round(totalmem() / 1024 ** 3),
    node: process.version,
    postgres,
    loadAverageAtStart: loadavg().map((l) => Math.round(l * 100) / 100),
  };
}
