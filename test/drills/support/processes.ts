import { ChildProcess, spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { waitFor } from './wait';

const DIST_SRC = join(__dirname, '..', '..', '..', 'src');

/** A built entry point (dist/src/main.js, worker.js) run as a child process on this Node (24). */
export class ServiceProcess {
  private output = '';
  readonly child: ChildProcess;
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;

  constructor(readonly name: string, script: string, env: Record<string, string>) {
    this.child = spawn(process.execPath, [join(DIST_SRC, script)], {
      env: { PATH: process.env.PATH ?? '', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const keep = (chunk: Buffer) => (this.output = (this.output + chunk.toString()).slice(-200_000));
    this.child.stdout!.on('data', keep);
    this.child.stderr!.on('data', keep);
    this.exited = once(this.child, 'exit').then(([code, signal]) => ({ code: code as number | null, signal: signal as NodeJS.Signals | null }));
  }

  get running(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  log(): string {
    return this.output;
  }

  async waitForLog(text: string, timeoutMs = 30_000): Promise<void> {
    await waitFor(`${this.name} to log "${text}"`, async () => {
      if (this.output.includes(text)) return true;
      if (!this.running) throw new Error(`${this.name} exited before "${text}":\n${this.output.slice(-4_000)}`);
      return false;
    }, timeoutMs);
  }

  signal(signal: NodeJS.Signals): void {
    if (this.running) this.child.kill(signal);
  }

  /** SIGKILL if still running: cleanup after a failed drill. */
  async kill(): Promise<void> {
    if (!this.running) return;
    this.child.kill('SIGKILL');
    await this.exited;
  }
}

export interface ServiceEnv {
  databaseUrl: string;
  redisUrl: string;
  queuePrefix: string;
}

export const DRILL_ADMIN = { email: 'drill-admin@drill.local', password: 'drill-admin-password-2026' };

function commonEnv(s: ServiceEnv, extra: Record<string, string>): Record<string, string> {
  return {
    NODE_ENV: 'test',
    DATABASE_URL: s.databaseUrl,
    REDIS_URL: s.redisUrl,
    QUEUE_PREFIX: s.queuePrefix,
    LOG_LEVEL: process.env.DRILL_LOG_LEVEL ?? 'warn',
    ...extra,
  };
}

export async function startApi(s: ServiceEnv, port: number, extra: Record<string, string> = {}): Promise<ServiceProcess> {
  const api = new ServiceProcess('API', 'main.js', commonEnv(s, {
    PORT: String(port),
    BOOTSTRAP_ADMIN_EMAIL: DRILL_ADMIN.email,
    BOOTSTRAP_ADMIN_PASSWORD: DRILL_ADMIN.password,
    // Drill clients all come from 127.0.0.1; the rate limit is not what is being drilled.
    RATE_LIMIT_PER_MINUTE: '1000000',
    LOGIN_RATE_LIMIT_PER_MINUTE: '100000',
    ...extra,
  }));
  await api.waitForLog('API listening');
  return api;
}

export async function startWorker(s: ServiceEnv, extra: Record<string, string> = {}): Promise<ServiceProcess> {
  const worker = new ServiceProcess('worker', 'worker.js', commonEnv(s, { LOG_LEVEL: 'info', ...extra }));
  await worker.waitForLog('"worker started"');
  return worker;
}

/** `migrate-cli run` against the drill database, exactly as a deployment runs it. */
export function runMigrations(databaseUrl: string): void {
  const result = spawnSync(process.execPath, [join(DIST_SRC, 'database', 'migrate-cli.js'), 'run'], {
    env: { PATH: process.env.PATH ?? '', NODE_ENV: 'test', DATABASE_URL: databaseUrl, LOG_LEVEL: 'warn' },
    encoding: 'utf8',
  });
  if (result.status !== 0) throw new Error(`migrations failed:\n${result.stdout}\n${result.stderr}`);
}

/** The audit chain check of `npm run audit:verify`, on the drill database. */
export function verifyAuditChain(databaseUrl: string): { ok: boolean; output: string; events: number } {
  const result = spawnSync(process.execPath, [join(DIST_SRC, 'common', 'audit', 'audit-verify-cli.js')], {
    env: { PATH: process.env.PATH ?? '', NODE_ENV: 'test', DATABASE_URL: databaseUrl },
    encoding: 'utf8',
  });
  const output = `${result.stdout}${result.stderr}`.trim();
  return { ok: result.status === 0, output, events: Number(/(\d+) events verified/.exec(output)?.[1] ?? 0) };
}
