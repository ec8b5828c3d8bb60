import './worker-process';
import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Logger as PinoLogger } from 'nestjs-pino';
import { ConfigError, loadConfig } from './config/app-config';
import { WorkerModule } from './worker.module';

const SHUTDOWN_TIMEOUT_MS = 60_000;

async function main(): Promise<void> {
  const startedAt = process.hrtime.bigint();
  loadConfig(); // fail with the variable's name before anything connects
  const app = await NestFactory.createApplicationContext(WorkerModule, { bufferLogs: true, abortOnError: false });
  app.useLogger(app.get(PinoLogger));
  const logger = new Logger('Worker');

  // Our own signal handling rather than enableShutdownHooks(): Nest re-raises the signal after
  // its hooks, which would make a clean stop exit with 143 instead of 0.
  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    logger.log(`${signal} received: finishing active jobs, then closing Redis and PostgreSQL`);
    const force = setTimeout(() => {
      logger.error(`shutdown took longer than ${SHUTDOWN_TIMEOUT_MS / 1000}s; exiting`);
      process.exit(1);
    }, SHUTDOWN_TIMEOUT_MS);
    force.unref();
    app
      .close()
      .then(() => {
        logger.log('worker stopped');
        process.exit(0);
      })
      .catch((error: unknown) => {
        console.error('worker shutdown failed:', error);
        process.exit(1);
      });
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);

  const ms = Number(process.hrtime.bigint() - startedAt) / 1e6;
  logger.log({ startupMs: Math.round(ms) }, 'worker started');
}

main().catch((error: unknown) => {
  console.error(error instanceof ConfigError ? error.message : error instanceof Error ? `${error.name}: ${error.message}` : error);
  process.exit(1);
});
