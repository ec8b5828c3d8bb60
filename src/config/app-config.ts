import { isIP } from 'node:net';

/**
 * The one validated configuration object. Every environment variable the system reads is
 * parsed here, once, at start-up; a missing or malformed value stops the process with a
 * message naming the variable, so a bad deployment fails loudly instead of half-working.
 */
export type NodeEnv = 'development' | 'test' | 'production';

/** PostgreSQL connections per process when DATABASE_POOL_SIZE is unset (also the migration CLI's and the tests'). */
export const DEFAULT_DATABASE_POOL_SIZE = 20;

export interface AppConfig {
  nodeEnv: NodeEnv;
  port: number;
  databaseUrl: string;
  /** Connections each process (API replica, worker) keeps open to PostgreSQL at most. */
  databasePoolSize: number;
  redisUrl: string;
  /** Prefix of every BullMQ key, so several deployments (or test runs) can share one Redis. */
  queuePrefix: string;
  jwt: {
    secret: string;
    issuer: string;
    audience: string;
    accessTtlSeconds: number;
    refreshTtlDays: number;
    /** A retried refresh within this window gets the same new pair instead of revoking the family. */
    refreshGraceSeconds: number;
  };
  /** base64 of 32 bytes: AES-256-GCM key for personal data at rest. */
  dataEncryptionKey: Buffer;
  /** Identifies dataEncryptionKey in stored ciphertexts so that keys can be rotated. */
  dataEncryptionKeyId: string;
  /** Retired keys, still needed to read values written before a rotation (id → key). */
  dataEncryptionOldKeys: Map<string, Buffer>;
  bootstrapAdmin: { email: string; password: string } | null;
  smallCellThreshold: number;
  /** Cell-key perturbation of the people figures (docs/metrics.md); off only outside production. */
  metricsDisclosureControl: boolean;
  /** Longest a metrics question from an API caller may compute before it is answered with a 503 problem (below the 30 s socket timeout). */
  metricsTimeoutMs: number;
  /** How often the worker looks for metrics rollup months marked dirty (a round right after each one that found work). */
  metricsRollupIntervalMs: number;
  /** How long after a month's refresh the worker recomputes the distinct people of its quarter and year (read raw meanwhile). */
  metricsPeriodRefreshDelayMs: number;
  idempotencyTtlHours: number;
  /**
   * maxFailures locks one source out of one account; accountMaxFailures, counted over sources that
   * have not signed in to the account lately, locks every such source out of it (known sources
   * keep signing in, so a stranger cannot lock the owner out).
   */
  login: { maxFailures: number; accountMaxFailures: number; lockMinutes: number; ratePerMinute: number };
  rateLimit: { perMinute: number };
  /**
   * Proxies whose X-Forwarded-For is believed (CIDR blocks). Empty: the client address is the
   * socket's, and the header is ignored; otherwise only the hops these proxies appended count.
   */
  trustedProxies: string[];
  bodyLimitBytes: number;
  corsOrigins: string[];
  logLevel: string;
  /**
   * BullMQ worker locks: a worker that dies mid-job loses its lock after lockDurationMs, and another worker's stalled check (every
   * stalledIntervalMs) hands the job on, up to maxStalledCount times (BullMQ's default of 1 failed a run whose worker was killed twice).
   */
  jobs: { lockDurationMs: number; stalledIntervalMs: number; maxStalledCount: number };
  /** Learning-summary jobs: attempts with exponential backoff, and how long their write waits for a table lock before failing the attempt. */
  learningSummaries: { attempts: number; backoffMs: number; lockTimeoutMs: number };
}

export class ConfigError extends Error {
  constructor(
    readonly variable: string,
    problem: string,
  ) {
    super(`Configuration error: ${variable} ${problem}`);
  }
}

type Env = Record<string, string | undefined>;

// Development and test get working defaults for secrets so that `npm run demo` and `npm test`
// need no setup; production never does (api.md, Operations).
const DEV_SECRETS: Record<string, string> = {
  JWT_SECRET: 'dev-only-jwt-secret-change-me-0123456789abcdef',
  DATA_ENCRYPTION_KEY: Buffer.alloc(32, 7).toString('base64'),
};

export function loadConfig(env: Env = process.env): AppConfig {
  const nodeEnv = oneOf(env, 'NODE_ENV', ['development', 'test', 'production'], 'development');
  const secret = (name: string): string => {
    const value = env[name];
    if (value !== undefined && value !== '') return value;
    if (nodeEnv === 'production') throw new ConfigError(name, 'is required in production');
    return DEV_SECRETS[name];
  };

  const jwtSecret = secret('JWT_SECRET');
  if (jwtSecret.length < 32) throw new ConfigError('JWT_SECRET', 'must be at least 32 characters');

  const keyText = secret('DATA_ENCRYPTION_KEY');
  const dataEncryptionKey = Buffer.from(keyText, 'base64');
  if (dataEncryptionKey.length !== 32 || dataEncryptionKey.toString('base64') !== keyText.trim()) {
    throw new ConfigError('DATA_ENCRYPTION_KEY', 'must be base64 of exactly 32 bytes');
  }

  const adminEmail = env.BOOTSTRAP_ADMIN_EMAIL || undefined;
  const adminPassword = env.BOOTSTRAP_ADMIN_PASSWORD || undefined;
  if ((adminEmail === undefined) !== (adminPassword === undefined)) {
    throw new ConfigError(
      adminEmail ? 'BOOTSTRAP_ADMIN_PASSWORD' : 'BOOTSTRAP_ADMIN_EMAIL',
      'must be set together with its pair',
    );
  }
  if (adminEmail && !/^[^@\s]+@[^@\s]+$/.test(adminEmail)) {
    throw new ConfigError('BOOTSTRAP_ADMIN_EMAIL', 'must be an email address');
  }
  if (adminPassword && adminPassword.length < 12) {
    throw new ConfigError('BOOTSTRAP_ADMIN_PASSWORD', 'must be at least 12 characters');
  }

  return {
    nodeEnv,
    port: int(env, 'PORT', 3000, 0, 65535),
    databaseUrl: url(env, 'DATABASE_URL', 'postgres://postgres@127.0.0.1:5432/jsd', ['postgres:', 'postgresql:']),
    databasePoolSize: int(env, 'DATABASE_POOL_SIZE', DEFAULT_DATABASE_POOL_SIZE, 1, 500),
    redisUrl: url(env, 'REDIS_URL', 'redis://127.0.0.1:6379', ['redis:', 'rediss:']),
    queuePrefix: pattern(env, 'QUEUE_PREFIX', 'jsd', /^[a-z0-9_-]{1,40}$/i),
    jwt: {
      secret: jwtSecret,
      issuer: env.JWT_ISSUER || 'jsd-case-management',
      audience: env.JWT_AUDIENCE || 'jsd-api',
      accessTtlSeconds: int(env, 'JWT_ACCESS_TTL_SECONDS', 900, 30, 86_400),
      refreshTtlDays: int(env, 'JWT_REFRESH_TTL_DAYS', 30, 1, 365),
      refreshGraceSeconds: int(env, 'JWT_REFRESH_GRACE_SECONDS', 30, 0, 300),
    },
    dataEncryptionKey,
    dataEncryptionKeyId: pattern(env, 'DATA_ENCRYPTION_KEY_ID', 'k1', /^[a-z0-9_-]{1,16}$/i),
    dataEncryptionOldKeys: oldKeys(env),
    bootstrapAdmin: adminEmail && adminPassword ? { email: adminEmail.toLowerCase(), password: adminPassword } : null,
    smallCellThreshold: int(env, 'SMALL_CELL_THRESHOLD', 5, 1, 1000),
    metricsDisclosureControl: disclosureControl(env, nodeEnv),
    metricsTimeoutMs: int(env, 'METRICS_TIMEOUT_MS', 20_000, 100, 28_000),
    metricsRollupIntervalMs: int(env, 'METRICS_ROLLUP_INTERVAL_MS', 5_000, 50, 3_600_000),
    metricsPeriodRefreshDelayMs: int(env, 'METRICS_PERIOD_REFRESH_DELAY_MS', 60_000, 0, 3_600_000),
    idempotencyTtlHours: int(env, 'IDEMPOTENCY_TTL_HOURS', 168, 1, 24 * 365),
    login: {
      maxFailures: int(env, 'LOGIN_MAX_FAILURES', 5, 1, 100),
      accountMaxFailures: int(env, 'LOGIN_ACCOUNT_MAX_FAILURES', 50, 1, 100_000),
      lockMinutes: int(env, 'LOGIN_LOCK_MINUTES', 15, 1, 24 * 60),
      ratePerMinute: int(env, 'LOGIN_RATE_LIMIT_PER_MINUTE', 20, 1, 1_000_000),
    },
    rateLimit: { perMinute: int(env, 'RATE_LIMIT_PER_MINUTE', 600, 1, 1_000_000) },
    trustedProxies: cidrList(env, 'TRUSTED_PROXIES'),
    bodyLimitBytes: int(env, 'BODY_LIMIT_BYTES', 1_048_576, 1024, 64 * 1_048_576),
    corsOrigins: (env.CORS_ORIGINS ?? '').split(',').map((s) => s.trim()).filter(Boolean),
    logLevel: oneOf(env, 'LOG_LEVEL', ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], nodeEnv === 'test' ? 'warn' : 'info'),
    jobs: {
      lockDurationMs: int(env, 'JOB_LOCK_DURATION_MS', 30_000, 1_000, 600_000),
      stalledIntervalMs: int(env, 'JOB_STALLED_INTERVAL_MS', 30_000, 500, 600_000),
      maxStalledCount: int(env, 'JOB_MAX_STALLED_COUNT', 5, 0, 100),
    },
    learningSummaries: {
      attempts: int(env, 'LEARNING_SUMMARY_ATTEMPTS', 3, 1, 20),
      backoffMs: int(env, 'LEARNING_SUMMARY_BACKOFF_MS', 30_000, 10, 3_600_000),
      lockTimeoutMs: int(env, 'LEARNING_SUMMARY_LOCK_TIMEOUT_MS', 10_000, 50, 25_000),
    },
  };
}

/**
 * `METRICS_DISCLOSURE_CONTROL=on|off`. Off publishes exact people counts (the threshold alone), so
 * that tests can check the counting itself; a production deployment may not turn it off.
 */
function disclosureControl(env: Env, nodeEnv: NodeEnv): boolean {
  const value = oneOf(env, 'METRICS_DISCLOSURE_CONTROL', ['on', 'off'], 'on');
  if (value === 'off' && nodeEnv === 'production') throw new ConfigError('METRICS_DISCLOSURE_CONTROL', 'cannot be off in production');
  return value === 'on';
}

/** `DATA_ENCRYPTION_OLD_KEYS=k0:<base64>,k00:<base64>` */
function oldKeys(env: Env): Map<string, Buffer> {
  const keys = new Map<string, Buffer>();
  for (const entry of (env.DATA_ENCRYPTION_OLD_KEYS ?? '').split(',').map((s) => s.trim()).filter(Boolean)) {
    const [id, key] = entry.split(':');
    const bytes = Buffer.from(key ?? '', 'base64');
    if (!/^[a-z0-9_-]{1,16}$/i.test(id ?? '') || bytes.length !== 32) {
      throw new ConfigError('DATA_ENCRYPTION_OLD_KEYS', 'must be a comma-separated list of <keyId>:<base64 of 32 bytes>');
    }
    keys.set(id, bytes);
  }
  return keys;
}

/**
 * `TRUSTED_PROXIES=10.0.0.0/8,2001:db8::/32,127.0.0.1`: addresses or CIDR blocks, each checked
 * here because the proxy-address matcher would otherwise fail only when the app is built. A
 * block of every address (/0) is refused: it believes any client's X-Forwarded-For, which is the
 * spoofing this setting exists to stop.
 */
function cidrList(env: Env, name: string): string[] {
  const entries = (env[name] ?? '').split(',').map((s) => s.trim()).filter(Boolean);
  for (const entry of entries) {
    const [address, prefix, extra] = entry.split('/');
    const family = isIP(address);
    const bits = family === 4 ? 32 : 128;
    const prefixOk = prefix === undefined || (/^\d{1,3}$/.test(prefix) && Number(prefix) >= 1 && Number(prefix) <= bits);
    if (family === 0 || extra !== undefined || !prefixOk) {
      throw new ConfigError(name, `must be a comma-separated list of IP addresses or CIDR blocks (prefix 1-32 for IPv4, 1-128 for IPv6), got "${entry}"`);
    }
  }
  return entries;
}

function int(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (!/^-?\d+$/.test(raw.trim())) throw new ConfigError(name, `must be an integer, got "${raw}"`);
  const value = Number(raw);
  if (value < min || value > max) throw new ConfigError(name, `must be between ${min} and ${max}, got ${value}`);
  return value;
}

function url(env: Env, name: string, fallback: string, protocols: string[]): string {
  const raw = env[name] || fallback;
  let parsed: URL;
  try {
    parsed = new URL(raw);
  } catch {
    throw new ConfigError(name, 'must be a URL');
  }
  if (!protocols.includes(parsed.protocol)) {
    throw new ConfigError(name, `must use ${protocols.join(' or ')}, got ${parsed.protocol}`);
  }
  return raw;
}

function pattern(env: Env, name: string, fallback: string, re: RegExp): string {
  const raw = env[name] || fallback;
  if (!re.test(raw)) throw new ConfigError(name, `must match ${re}`);
  return raw;
}

function oneOf<T extends string>(env: Env, name: string, allowed: readonly T[], fallback: T): T {
  const raw = env[name] || fallback;
  if (!(allowed as readonly string[]).includes(raw)) {
    throw new ConfigError(name, `must be one of ${allowed.join(', ')}, got "${raw}"`);
  }
  return raw as T;
}
