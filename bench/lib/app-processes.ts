import { ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const DIST = join(__dirname, '..', '..');

export interface AppProcess {
  name: string;
  child: ChildProcess;
  /** Peak resident set size (bytes) sampled every 200 ms from /proc. */
  peakRss(): number;
  stop(): Promise<void>;
}

export interface AppOptions {
  databaseUrl: string;
  port: number;
  /** Writes a .cpuprofile into this directory on exit (`node --cpu-prof`). */
  cpuProfileDir?: string;
}

/** The environment both processes run with: the bench database, a private queue prefix, no rate limit. */
export function appEnv(options: AppOptions): NodeJS.ProcessEnv {
  return {
    ...process.env,
    DATABASE_URL: options.databaseUrl,
    PORT: String(options.port),
    QUEUE_PREFIX: `jsd-bench-${process.pid}`,
    // The load generator is one client IP; the per-IP limit would turn the benchmark into 429s.
    RATE_LIMIT_PER_MINUTE: '1000000',
    // As many connections as the floor's pool at the busiest scenario (32), so both sides run at the same concurrency.
    DATABASE_POOL_SIZE: '32',
    LOG_LEVEL: process.env.BENCH_LOG_LEVEL ?? 'warn',
  };
}

/** Starts `dist/src/<entry>.js` (main or worker) on the Node running the bench (Node 24 via npm). */
export function startProcess(name: string, entry: 'main' | 'worker', options: AppOptions): AppProcess {
  const flags = options.cpuProfileDir ? ['--cpu-prof', `--cpu-prof-dir=${options.cpuProfileDir}`] : [];
  const child = spawn(process.execPath, [...flags, join(DIST, 'src', `${entry}.js`)], { env: appEnv(options), stdio: ['ignore', 'inherit', 'inherit'] });
  let peak = 0;
  const sampler = setInterval(() => {
    try {
      const status = readFileSync(`/proc/${child.pid}/status`, 'utf8');
      const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
      peak = Math.max(peak, kb * 1024);
    } catch {
      // the process has gone; keep the last peak
    }
  }, 200);
  return {
    name,
    child,
    peakRss: () => peak,
    async stop() {
      clearInterval(sampler);
      if (child.exitCode !== null) return;
      const exited = once(child, 'exit');
      child.kill('SIGTERM');
      await exited;
    },
  };
}

/** Waits for GET /health/ready to answer 200; fails if the process exits or 60 s pass. */
export async function waitReady(app: AppProcess, port: number): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (app.child.exitCode !== null) throw new Error(`${app.name} exited with code ${app.child.exitCode} before it was ready`);
    try {
      const response = await fetch(`http://127.0.0.1:${port}/health/ready`);
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`${app.name} was not ready within 60 s`);
}
