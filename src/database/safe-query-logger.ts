import { Logger as NestLogger } from '@nestjs/common';
import { Logger as TypeOrmLogger } from 'typeorm';

/**
 * TypeORM's own loggers print a failed query with its parameters, which can be password hashes,
 * tokens or personal data. This one logs the statement and the database's error, never the values.
 */
export class SafeQueryLogger implements TypeOrmLogger {
  private readonly logger = new NestLogger('Database');

  logQuery(): void {
    // Successful queries are not logged: too many, and they add nothing in production.
  }

  logQueryError(error: string | Error, query: string): void {
    const err = typeof error === 'string' ? { message: error } : { message: error.message, code: (error as { code?: string }).code };
    this.logger.error({ err, query: truncate(query) }, 'query failed');
  }

  logQuerySlow(time: number, query: string): void {
    this.logger.warn({ ms: time, query: truncate(query) }, 'slow query');
  }

  logSchemaBuild(): void {
    // The migration CLI prints what it applies; TypeORM's own narration adds nothing.
  }

  logMigration(): void {
    // As above.
  }

  log(level: 'log' | 'info' | 'warn', message: unknown): void {
    if (level === 'warn') this.logger.warn(message);
  }
}

const truncate = (query: string) => (query.length > 2_000 ? `${query.slice(0, 2_000)}…` : query);
