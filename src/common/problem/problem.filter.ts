import { ArgumentsHost, Catch, ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import { ThrottlerException } from '@nestjs/throttler';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { isDatabaseUnavailable } from '../../database/database-unavailable';
import { defaultProblem, PROBLEM_CONTENT_TYPE, ProblemBody, ProblemException, problemType } from './problem';

/** Seconds a client should wait before retrying while the database is unreachable. */
export const DATABASE_RETRY_AFTER_SECONDS = 2;

/**
 * Turns every error into RFC 9457 problem details. Expected errors keep their detail; anything
 * unexpected is logged with the request id and answered with a 500 that says nothing internal.
 */
@Catch()
export class ProblemFilter implements ExceptionFilter {
  private readonly logger = new Logger('ProblemFilter');

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const request = http.getRequest<FastifyRequest>();
    const reply = http.getResponse<FastifyReply>();
    const databaseDown = isDatabaseUnavailable(exception);
    const problem = databaseDown
      ? { ...defaultProblem(503, 'The database is unreachable; retry shortly (with the same Idempotency-Key for a POST).'), type: problemType('database-unavailable') }
      : this.toProblem(exception, request);
    if (databaseDown) {
      // Expected during a restart or failover; one line without a stack per request is enough.
      this.logger.warn({ err: exception, requestId: request.id }, 'database unavailable');
      reply.header('Retry-After', String(DATABASE_RETRY_AFTER_SECONDS));
    } else if (problem.status >= 500) {
      this.logger.error({ err: exception, requestId: request.id }, 'unexpected error');
    }
    problem.instance = request.url.split('?')[0];
    problem.requestId = String(request.id);
    if (problem.status === 429 && !reply.hasHeader('Retry-After')) reply.header('Retry-After', '60');
    reply.status(problem.status).header('Content-Type', PROBLEM_CONTENT_TYPE).header('Cache-Control', 'no-store').send(problem);
  }

  private toProblem(exception: unknown, request: FastifyRequest): ProblemBody {
    if (exception instanceof ProblemException) return { ...exception.problem };
    if (exception instanceof ThrottlerException) return defaultProblem(429, 'Rate limit exceeded; retry later.');
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      if (status >= 500) return defaultProblem(status, 'The request could not be completed.');
      return defaultProblem(status, this.clientDetail(status, exception, request));
    }
    return defaultProblem(500, 'The request could not be completed. Quote the requestId when reporting this.');
  }

  // Messages that Nest and Fastify produce for client errors are safe to pass on, but they are
  // rewritten where they would name internals (parser names, body-limit plumbing).
  private clientDetail(status: number, exception: HttpException, request: FastifyRequest): string {
    if (status === 404) return `No route ${request.method} ${request.url.split('?')[0]}.`;
    if (status === 413) return 'The request body is larger than the server accepts.';
    if (status === 415) return 'Unsupported Content-Type; send application/json.';
    const response = exception.getResponse();
    const message = typeof response === 'string' ? response : (response as { message?: unknown }).message;
    const text = Array.isArray(message) ? message.join('; ') : typeof message === 'string' ? message : exception.message;
    if (status === 400 && /JSON|Unexpected token|Body/i.test(text)) return 'The request body is not valid JSON.';
    return text;
  }
}
