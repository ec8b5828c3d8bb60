import { randomBytes } from 'node:crypto';
import { Pool } from 'pg';
import { DrillClient } from './drill-client';
import { PrivatePostgres } from './private-postgres';
import { PrivateRedis } from './private-redis';
import { DRILL_ADMIN, runMigrations, ServiceEnv, ServiceProcess, startApi, startWorker } from './processes';
import { freePort } from './wait';

export interface DrillEnvOptions {
  /** Start the worker too (drills of jobs and of Redis). */
  worker?: boolean;
  apiEnv?: Record<string, string>;
  /** Extra environment of every worker the drill starts (e.g. short job locks). */
  workerEnv?: Record<string, string>;
}

/** The records every workload refers to, created through the API so that they are audited too. */
export interface Seed {
  networkId: string;
  participantIds: string[];
}

/**
 * Everything one drill runs on, private to it: a PostgreSQL cluster, a redis-server, the built
 * API (and worker) as child processes, a signed-in admin client and the seed records.
 * `withDrillEnv` tears it all down whatever happens.
 */
export class DrillEnv {
  api!: ServiceProcess;
  worker: ServiceProcess | undefined;
  client!: DrillClient;
  seed!: Seed;
  /** Direct SQL for verification; survives a database restart (the pool reconnects). */
  readonly db: Pool;
  readonly tag = randomBytes(3).toString('hex');
  readonly services: ServiceEnv;

  private constructor(
    readonly pg: PrivatePostgres,
    readonly redis: PrivateRedis,
    readonly apiPort: number,
    private readonly options: DrillEnvOptions,
  ) {
    this.services = { databaseUrl: pg.url(), redisUrl: redis.url, queuePrefix: `drill${this.tag}` };
    this.db = new Pool({ connectionString: pg.url(), max: 3, connectionTimeoutMillis: 3_000 });
    this.db.on('error', () => undefined); // a drill restarts the database under this pool on purpose
  }

  static async start(options: DrillEnvOptions = {}): Promise<DrillEnv> {
    const [pg, redis] = await Promise.allSettled([PrivatePostgres.create(), PrivateRedis.create()]);
    if (pg.status === 'rejected' || redis.status === 'rejected') {
      if (pg.status === 'fulfilled') await pg.value.destroy();
      if (redis.status === 'fulfilled') await redis.value.destroy();
      throw pg.status === 'rejected' ? pg.reason : (redis as PromiseRejectedResult).reason;
    }
    const env = new DrillEnv(pg.value, redis.value, await freePort(), options);
    LIVE.add(env);
    try {
      runMigrations(env.pg.url());
      await env.startApi();
      if (options.worker) await env.startWorker();
      await env.signIn();
      env.seed = await env.createSeed();
    } catch (error) {
      await env.close();
      throw error;
    }
    return env;
  }

  get baseUrl(): string {
    return `http://127.0.0.1:${this.apiPort}`;
  }

  async startApi(): Promise<ServiceProcess> {
    this.api = await startApi(this.services, this.apiPort, this.options.apiEnv);
    return this.api;
  }

  /** A (new) worker process with the drill's worker environment; the previous one must be gone. */
  async startWorker(): Promise<ServiceProcess> {
    this.worker = await startWorker(this.services, this.options.workerEnv);
    return this.worker;
  }

  /** A fresh client with its own figures, signed in as the drill admin. */
  newClient(timeoutMs?: number): DrillClient {
    return new DrillClient(this.baseUrl, this.client.token, timeoutMs);
  }

  private async signIn(): Promise<void> {
    const client = new DrillClient(this.baseUrl, undefined);
    const res = await client.send('POST', '/api/v1/auth/login', DRILL_ADMIN);
    if (res.status !== 200) throw new Error(`drill login: ${res.status} ${JSON.stringify(res.body)}`);
    client.token = String(res.body!.accessToken);
    this.client = client;
  }

  private async createSeed(): Promise<Seed> {
    const created = async (path: string, body: unknown) => {
      const res = await this.client.send('POST', path, body);
      if (res.status !== 201) throw new Error(`seed ${path}: ${res.status} ${JSON.stringify(res.body)}`);
      return String(res.body!.id);
    };
    const networkId = await created('/api/v1/networks', {
      countryCode: 'IQ', name: `Drill network ${this.tag}`, level: 'district', adminArea: 'Kirkuk', establishedOn: '2015-03-01',
    });
    const participantIds: string[] = [];
    for (const [i, group] of (['tribal_elder', 'womens_group'] as const).entries()) {
      participantIds.push(await created('/api/v1/participants', {
        countryCode: 'IQ', fullName: `Drill Person ${this.tag}-${i}`, gender: i ? 'female' : 'male', ageBand: '30_44', stakeholderGroup: group,
        networkIds: [networkId], consent: { given: true, recordedOn: '2015-03-01', scope: 'programme records and session attendance' },
      }));
    }
    return { networkId, participantIds };
  }

  async close(): Promise<void> {
    LIVE.delete(this);
    this.client?.close();
    await Promise.allSettled([this.api?.kill(), this.worker?.kill()]);
    await this.db.end().catch(() => undefined);
    await Promise.allSettled([this.pg.destroy(), this.redis.destroy()]);
  }
}

const LIVE = new Set<DrillEnv>();

/** Tears down every environment still up: for a drill runner interrupted with Ctrl-C. */
export async function closeAllDrillEnvs(): Promise<void> {
  await Promise.allSettled([...LIVE].map((env) => env.close()));
}

export async function withDrillEnv<T>(options: DrillEnvOptions, fn: (env: DrillEnv) => Promise<T>): Promise<T> {
  const env = await DrillEnv.start(options);
  try {
    return await fn(env);
  } finally {
    await env.close();
  }
}
