import './worker-process';
import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Logger as PinoLogger } from 'nestjs-pino';
import { ConfigError, loadConfig } from './config/app-config';
import { WorkerModule } from './worker.module';
import { stopGracefullyOnSignals } from './common/lifecycle/graceful-shutdown';

async function main(): Promise<void> {
  const startedAt = process.hrtime.bigint();
  loadConfig(); // fail with the variable's name before anything connects
  const app = await NestFactory.createApplicationContext(WorkerModule, { bufferLogs: true, abortOnError: false });
  app.useLogger(app.get(PinoLogger));
  const logger = new Logger('Worker');

  stopGracefullyOnSignals(app, 'worker');

  const ms = Number(process.hrtime.bigint() - startedAt) / 1e6;
  logger.log({ startupMs: Math.round(ms) }, 'worker started');
}

main().catch((error: unknown) => {
  console.error(error instanceof ConfigError ? error.message : error instanceof Error ? `${error.name}: ${error.message}` : error);
  process.exit(1);
});
