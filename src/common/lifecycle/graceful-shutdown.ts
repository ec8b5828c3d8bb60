import { INestApplicationContext, Logger } from '@nestjs/common';
import { loggableError } from '../logging/safe-error';

const SHUTDOWN_TIMEOUT_MS = 60_000;

/**
 * On SIGTERM or SIGINT: app.close() (the HTTP server stops accepting and finishes in-flight
 * requests; workers finish active jobs; Redis and PostgreSQL close), then exit 0. Our own handler
 * rather than enableShutdownHooks(): Nest re-raises the signal after its hooks, which makes a
 * clean stop look like a crash (exit by signal) to orchestrators and tests.
 */
export function stopGracefullyOnSignals(app: INestApplicationContext, what: string): void {
  const logger = new Logger('Shutdown');
  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    logger.log(`${signal} received: stopping the ${what}`);
    const force = setTimeout(() => {
      logger.error(`the ${what} took longer than ${SHUTDOWN_TIMEOUT_MS / 1000}s to stop; exiting`);
      process.exit(1);
    }, SHUTDOWN_TIMEOUT_MS);
    force.unref();
    app
      .close()
      .then(() => {
        logger.log(`${what} stopped`);
        process.exit(0);
      })
      .catch((error: unknown) => {
        console.error(`${what} shutdown failed:`, JSON.stringify(loggableError(error)));
        process.exit(1);
      });
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}
