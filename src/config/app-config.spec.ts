import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ConfigError, loadConfig } from './app-config';

const secrets = { JWT_SECRET: 'x'.repeat(40), DATA_ENCRYPTION_KEY: Buffer.alloc(32, 3).toString('base64') };

describe('loadConfig', () => {
  it('gives documented defaults in development', () => {
    const config = loadConfig({});
    assert.equal(config.port, 3000);
    assert.equal(config.databaseUrl, 'postgres://postgres@127.0.0.1:5432/jsd');
    assert.equal(config.redisUrl, 'redis://127.0.0.1:6379');
    assert.equal(config.smallCellThreshold, 5);
    assert.equal(config.idempotencyTtlHours, 168);
    assert.equal(config.metricsRollupIntervalMs, 5_000);
    assert.equal(config.metricsPeriodRefreshDelayMs, 60_000);
  });

  it('names each missing secret in production', () => {
    assert.throws(() => loadConfig({ NODE_ENV: 'production', DATA_ENCRYPTION_KEY: secrets.DATA_ENCRYPTION_KEY }), (e: ConfigError) => e.variable === 'JWT_SECRET');
    assert.throws(() => loadConfig({ NODE_ENV: 'production', JWT_SECRET: secrets.JWT_SECRET }), (e: ConfigError) => e.variable === 'DATA_ENCRYPTION_KEY');
    assert.equal(loadConfig({ NODE_ENV: 'production', ...secrets }).nodeEnv, 'production');
  });

  it('names each malformed variable', () => {
    const cases: Record<string, string> = {
      PORT: 'abc',
      DATABASE_URL: 'mysql://x',
      REDIS_URL: 'not a url',
      SMALL_CELL_THRESHOLD: '0',
      DATABASE_POOL_SIZE: '0',
      IDEMPOTENCY_TTL_HOURS: '1.5',
      METRICS_PERIOD_REFRESH_DELAY_MS: '-1',
      DATA_ENCRYPTION_KEY: 'c2hvcnQ=',
      JWT_SECRET: 'short',
      NODE_ENV: 'staging',
      DATA_ENCRYPTION_OLD_KEYS: 'k0:short',
      BOOTSTRAP_ADMIN_EMAIL: 'admin@example.org',
      LOGIN_ACCOUNT_MAX_FAILURES: '0',
      TRUSTED_PROXIES: '10.0.0.0/8,proxy.internal',
    };
    for (const [variable, value] of Object.entries(cases)) {
      assert.throws(
        () => loadConfig({ [variable]: value }),
        (e: Error) => e instanceof ConfigError && e.message.includes(variable === 'BOOTSTRAP_ADMIN_EMAIL' ? 'BOOTSTRAP_ADMIN_PASSWORD' : variable),
        variable,
      );
    }
  });

  it('keeps disclosure control of the metrics on unless a non-production deployment turns it off', () => {
    assert.equal(loadConfig({}).metricsDisclosureControl, true);
    assert.equal(loadConfig({ METRICS_DISCLOSURE_CONTROL: 'off', NODE_ENV: 'test' }).metricsDisclosureControl, false);
    assert.throws(() => loadConfig({ METRICS_DISCLOSURE_CONTROL: 'maybe' }), (e: ConfigError) => e.variable === 'METRICS_DISCLOSURE_CONTROL');
    assert.throws(() => loadConfig({ NODE_ENV: 'production', ...secrets, METRICS_DISCLOSURE_CONTROL: 'off' }), (e: ConfigError) => e.variable === 'METRICS_DISCLOSURE_CONTROL');
  });

  it('sizes the database pool from DATABASE_POOL_SIZE, 20 by default', () => {
    assert.equal(loadConfig({}).databasePoolSize, 20);
    assert.equal(loadConfig({ DATABASE_POOL_SIZE: '32' }).databasePoolSize, 32);
  });

  it('reads retired encryption keys for rotation', () => {
    const config = loadConfig({ DATA_ENCRYPTION_OLD_KEYS: `k0:${Buffer.alloc(32, 9).toString('base64')}` });
    assert.equal(config.dataEncryptionOldKeys.get('k0')?.length, 32);
  });

  it('reads TRUSTED_PROXIES as addresses and CIDR blocks, none by default (X-Forwarded-For ignored)', () => {
    assert.deepEqual(loadConfig({}).trustedProxies, []);
    assert.deepEqual(loadConfig({ TRUSTED_PROXIES: ' 10.0.0.0/8, 127.0.0.1 ,2001:db8::/32,::1' }).trustedProxies, ['10.0.0.0/8', '127.0.0.1', '2001:db8::/32', '::1']);
    for (const value of ['0.0.0.0/0', '::/0', '10.0.0.0/33', '2001:db8::/129', '10.0.0.0/8/1', '10.0.0.0/', '10.0.0.0/x', '10.0.0', '*', 'loopback']) {
      assert.throws(() => loadConfig({ TRUSTED_PROXIES: value }), (e: Error) => e instanceof ConfigError && e.variable === 'TRUSTED_PROXIES', value);
    }
  });
});
