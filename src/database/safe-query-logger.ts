import { Logger as NestLogger } from '@nestjs/common';
import { Logger as TypeOrmLogger } from 'typeorm';
import { loggableError, scrubMessage, statementText } from '../common/logging/safe-error';

/**
 * TypeORM's own loggers print a failed query with its parameters, which can be password hashes,
 * tokens or personal data. This one logs the statement's text (values are bound as $n; literals
 * are removed too) and what the database said by code and names, never a value: PostgreSQL's
 * message and detail can quote the row (common/logging/safe-error).
 */
export class SafeQueryLogger implements TypeOrmLogger {
  private readonly logger = new NestLogger('Database');

  logQuery(): void {
    // Successful queries are not logged: too many, and they add nothing in production.
  }

  logQueryError(error: string | Error, query: string): void {
    this.logger.error({ err: loggableError(error), statement: statementText(query) }, 'query failed');
  }

  logQuerySlow(time: number, query: string): void {
    this.logger.warn({ ms: time, statement: statementText(query) }, 'slow query');
  }

  logSchemaBuild(): void {
    // The migration CLI prints what it applies; TypeORM's own narration adds nothing.
  }

  logMigration(): void {
    // As above.
  }

  log(level: 'log' | 'info' | 'warn', message: unknown): void {
    // Pool errors arrive here as text with the error in it.
    if (level === 'warn') this.logger.warn(typeof message === 'string' ? scrubMessage(message) : loggableError(message));
  }
}
