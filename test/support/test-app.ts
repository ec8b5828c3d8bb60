import { randomBytes } from 'node:crypto';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { Pool } from 'pg';
import request from 'supertest';
import TestAgent from 'supertest/lib/agent';
import { AppConfig, loadConfig } from '../../src/config/app-config';
import { createApp } from '../../src/app.factory';
import { createTestDatabase } from './test-database';

export const TEST_ADMIN = { email: 'admin@test.local', password: 'admin-password-123' };

export interface TestApp {
  app: NestFastifyApplication;
  config: AppConfig;
  /** supertest bound to the running app: `t.http.get('/api/v1/countries')`. */
  http: TestAgent;
  /** Direct SQL on this test file's own database, for assertions the API cannot make. */
  db: Pool;
  close(): Promise<void>;
}

/**
 * Boots the real AppModule over HTTP against a private copy of the migrated database and a
 * private BullMQ prefix in the real Redis. `env` overrides environment variables for this app.
 */
export async function startTestApp(env: Record<string, string> = {}): Promise<TestApp> {
  const database = await createTestDatabase();
  const testEnv: Record<string, string> = {
    NODE_ENV: 'test',
    DATABASE_URL: database.url,
    QUEUE_PREFIX: `jsdt${randomBytes(4).toString('hex')}`,
    BOOTSTRAP_ADMIN_EMAIL: TEST_ADMIN.email,
    BOOTSTRAP_ADMIN_PASSWORD: TEST_ADMIN.password,
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    // Every test calls from 127.0.0.1, logging in many times a minute, and one client has one budget
    // across all routes; rate-limit.e2e-spec tests the budgets.
    RATE_LIMIT_PER_MINUTE: '100000',
    LOGIN_RATE_LIMIT_PER_MINUTE: '100000',
    ...env,
  };
  const config = loadConfig({ ...process.env, ...testEnv });
  // Nest modules read configuration through loadConfig(process.env); keep both in step.
  const saved = { ...process.env };
  Object.assign(process.env, testEnv);
  let app: NestFastifyApplication;
  try {
    app = await createApp(config);
    await app.init();
    await app.getHttpAdapter().getInstance().ready();
  } catch (error) {
    process.env = saved;
    await database.drop();
    throw error;
  }
  const db = new Pool({ connectionString: database.url, max: 4 });
  // DROP DATABASE ... WITH (FORCE) at the end terminates idle connections; that is expected.
  db.on('error', () => undefined);
  return {
    app,
    config,
    http: request(app.getHttpServer()),
    db,
    async close() {
      await app.close();
      await db.end();
      await database.drop();
      process.env = saved;
    },
  };
}
