import { ChildProcess, spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { chownSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { freePort, waitFor } from './wait';

const PG_BIN = process.env.DRILL_PG_BIN ?? '/usr/lib/postgresql/15/bin';

/** initdb and postgres refuse to run as root: as root, run them as the `postgres` system user. */
function postgresUser(): { uid: number; gid: number } | undefined {
  if (process.getuid?.() !== 0) return undefined;
  const line = readFileSync('/etc/passwd', 'utf8').split('\n').find((l) => l.startsWith('postgres:'));
  if (!line) throw new Error('running as root needs a `postgres` system user to own the drill cluster');
  const [, , uid, gid] = line.split(':');
  return { uid: Number(uid), gid: Number(gid) };
}

/**
 * A throw-away PostgreSQL 15 cluster on a free loopback port, private to one drill: the shared
 * server on 5432 is never touched, so a drill may stop and restart this one at will.
 */
export class PrivatePostgres {
  readonly port: number;
  private readonly dir: string;
  private readonly user = postgresUser();
  private server: ChildProcess | undefined;
  private log = '';

  private constructor(port: number) {
    this.port = port;
    this.dir = mkdtempSync(join(tmpdir(), 'jsd-drill-pg-'));
    if (this.user) chownSync(this.dir, this.user.uid, this.user.gid);
  }

  static async create(): Promise<PrivatePostgres> {
    const pg = new PrivatePostgres(await freePort());
    const init = spawnSync(join(PG_BIN, 'initdb'), ['-D', join(pg.dir, 'data'), '-U', 'postgres', '--auth=trust', '--no-sync', '-E', 'UTF8', '--locale=C'], {
      ...pg.user,
      encoding: 'utf8',
    });
    if (init.status !== 0) {
      pg.remove();
      throw new Error(`initdb failed: ${init.stderr || init.error?.message}`);
    }
    await pg.start();
    await pg.adminQuery('CREATE DATABASE jsd_drill');
    return pg;
  }

  /** The connection URL of a database in this cluster. */
  url(database = 'jsd_drill'): string {
    return `postgres://postgres@127.0.0.1:${this.port}/${database}`;
  }

  get running(): boolean {
    return this.server !== undefined && this.server.exitCode === null && this.server.signalCode === null;
  }

  async start(): Promise<void> {
    this.server = spawn(
      join(PG_BIN, 'postgres'),
      // fsync off: a drill measures the API's behaviour, not the disk; the data outlives a clean restart.
      ['-D', join(this.dir, 'data'), '-p', String(this.port), '-c', 'listen_addresses=127.0.0.1', '-c', `unix_socket_directories=${this.dir}`,
        '-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off', '-c', 'max_connections=100'],
      { ...this.user, stdio: ['ignore', 'ignore', 'pipe'] },
    );
    this.server.stderr!.on('data', (chunk: Buffer) => (this.log = (this.log + chunk.toString()).slice(-20_000)));
    await waitFor('the drill PostgreSQL to accept connections', async () => {
      if (!this.running) throw new Error(`PostgreSQL exited:\n${this.log}`);
      return this.adminQuery('SELECT 1').then(() => true, () => false);
    }, 30_000);
  }

  /** Fast shutdown (SIGINT): open transactions are rolled back and every connection is cut, as in a restart. */
  async stop(): Promise<void> {
    const server = this.server;
    if (!server || !this.running) return;
    const exited = once(server, 'exit');
    server.kill('SIGINT');
    await exited;
  }

  async adminQuery(sql: string, params: unknown[] = []): Promise<unknown[]> {
    const client = new Client({ connectionString: this.url('postgres'), connectionTimeoutMillis: 2_000 });
    client.on('error', () => undefined);
    await client.connect();
    try {
      return (await client.query(sql, params)).rows;
    } finally {
      await client.end().catch(() => undefined);
    }
  }

  async destroy(): Promise<void> {
    if (this.running) {
      const exited = once(this.server!, 'exit');
      this.server!.kill('SIGQUIT'); // immediate: nothing of a drill cluster needs keeping
      await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 5_000))]);
      if (this.running) this.server!.kill('SIGKILL');
    }
    this.remove();
  }

  private remove(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}
