import 'reflect-metadata';
import { ConfigError, loadConfig } from './config/app-config';
import { startApp } from './app.factory';
import { stopGracefullyOnSignals } from './common/lifecycle/graceful-shutdown';

async function main(): Promise<void> {
  const startedAt = process.hrtime.bigint();
  const config = loadConfig();
  const app = await startApp(config);
  stopGracefullyOnSignals(app, 'API');
  const ms = Number(process.hrtime.bigint() - startedAt) / 1e6;
  console.log(JSON.stringify({ level: 30, msg: `API listening on port ${config.port}`, startupMs: Math.round(ms) }));
}

main().catch((error: unknown) => {
  console.error(error instanceof ConfigError ? error.message : error instanceof Error ? `${error.name}: ${error.message}` : error);
  process.exit(1);
});
