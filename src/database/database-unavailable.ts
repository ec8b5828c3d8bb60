import { QueryFailedError, QueryRunnerAlreadyReleasedError, QueryRunnerProviderAlreadyReleasedError } from 'typeorm';

/**
 * SQLSTATEs that mean "the database is not there right now", not "this request is wrong":
 * class 08 (connection exception), 57P01–57P03 (shutting down, crash recovery, starting up) and
 * 53300 (too many connections).
 */
const UNAVAILABLE_SQLSTATE = /^(08|57P0[123]$|53300$)/;

/** Socket errors of a database that went away or is not listening. */
const UNAVAILABLE_ERRNO = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENOTCONN']);

/** Messages of node-postgres for a connection that broke or could not be made in time. */
const UNAVAILABLE_MESSAGE = /Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error|Connection is not established|not queryable/i;

/**
 * True when a failure comes from PostgreSQL being unreachable (a restart, a failover, a full
 * pool of a dead server): the request did not happen and the client should retry, so it is a
 * 503 with Retry-After rather than a 500.
 */
export function isDatabaseUnavailable(error: unknown): boolean {
  // TypeORM releases a transaction's query runner when its connection breaks; the transaction's
  // next statement then fails with these (the transaction itself was rolled back by the server).
  if (error instanceof QueryRunnerAlreadyReleasedError || error instanceof QueryRunnerProviderAlreadyReleasedError) return true;
  for (let e: unknown = error, depth = 0; e && depth < 4; depth++) {
    const candidate = e as { code?: unknown; message?: unknown; driverError?: unknown; cause?: unknown };
    const code = typeof candidate.code === 'string' ? candidate.code : '';
    if (UNAVAILABLE_SQLSTATE.test(code) || UNAVAILABLE_ERRNO.has(code)) return true;
    if (typeof candidate.message === 'string' && UNAVAILABLE_MESSAGE.test(candidate.message)) return true;
    e = e instanceof QueryFailedError ? candidate.driverError : candidate.cause;
  }
  return false;
}
