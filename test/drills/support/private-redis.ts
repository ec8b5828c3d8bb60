import { ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { freePort, waitFor } from './wait';

/**
 * A redis-server of the drill's own on a free loopback port, with AOF as production runs it
 * (docker-compose.yml), so a stop and a start on the same directory keep the queues.
 */
export class PrivateRedis {
  readonly port: number;
  private readonly dir = mkdtempSync(join(tmpdir(), 'jsd-drill-redis-'));
  private server: ChildProcess | undefined;
  private log = '';

  private constructor(port: number) {
    this.port = port;
  }

  static async create(): Promise<PrivateRedis> {
    const redis = new PrivateRedis(await freePort());
    await redis.start();
    return redis;
  }

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  get running(): boolean {
    return this.server !== undefined && this.server.exitCode === null && this.server.signalCode === null;
  }

  async start(): Promise<void> {
    this.server = spawn(
      'redis-server',
      ['--port', String(this.port), '--bind', '127.0.0.1', '--dir', this.dir, '--appendonly', 'yes', '--save', '', '--maxmemory-policy', 'noeviction', '--daemonize', 'no'],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    this.server.stdout!.on('data', (chunk: Buffer) => (this.log = (this.log + chunk.toString()).slice(-20_000)));
    this.server.stderr!.on('data', (chunk: Buffer) => (this.log = (this.log + chunk.toString()).slice(-20_000)));
    await waitFor('the drill Redis to answer', async () => {
      if (!this.running) throw new Error(`redis-server exited:\n${this.log}`);
      const client = new Redis(this.url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
      client.on('error', () => undefined);
      try {
        await client.connect();
        return (await client.ping()) === 'PONG';
      } catch {
        return false;
      } finally {
        client.disconnect();
      }
    }, 15_000);
  }

  /** A clean stop (SIGTERM: the AOF is flushed, every connection is closed). */
  async stop(): Promise<void> {
    if (!this.running) return;
    const exited = once(this.server!, 'exit');
    this.server!.kill('SIGTERM');
    await exited;
  }

  /** Redis hangs without closing connections (SIGSTOP), as a stalled host or a partition looks. */
  freeze(): void {
    if (this.running) this.server!.kill('SIGSTOP');
  }

  thaw(): void {
    if (this.running) this.server!.kill('SIGCONT');
  }

  async destroy(): Promise<void> {
    if (this.running) {
      this.thaw();
      const exited = once(this.server!, 'exit');
      this.server!.kill('SIGKILL');
      await exited;
    }
    rmSync(this.dir, { recursive: true, force: true });
  }
}
