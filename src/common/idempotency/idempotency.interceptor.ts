import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { catchError, from, mergeMap, Observable, of, throwError } from 'rxjs';
import { AuthenticatedRequest } from '../context/request-context';
import { ProblemException } from '../problem/problem';
import { IdempotencyHandle, IdempotencyService, IdempotentRequest } from './idempotency.service';

export const IDEMPOTENCY_HEADER = 'idempotency-key';
const MAX_KEY_LENGTH = 255;

/**
 * `Idempotency-Key` on every authenticated POST (api.md): the same key and body replay the first
 * response; another body is a 422; a concurrent duplicate is a 409; failures are not stored.
 */
@Injectable()
export class IdempotencyInterceptor implements NestInterceptor {
  constructor(private readonly idempotency: IdempotencyService) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const http = context.switchToHttp();
    const request = http.getRequest<AuthenticatedRequest>();
    const header = request.headers[IDEMPOTENCY_HEADER];
    if (request.method !== 'POST' || header === undefined || !request.principal) return next.handle();

    const key = Array.isArray(header) ? header.join(',') : header;
    if (key.length === 0 || key.length > MAX_KEY_LENGTH) {
      throw new ProblemException(400, `Idempotency-Key must be 1 to ${MAX_KEY_LENGTH} characters.`, {
        slug: 'validation',
        title: 'Validation failed',
        errors: [{ field: 'Idempotency-Key', message: `must be 1 to ${MAX_KEY_LENGTH} characters` }],
      });
    }
    const reply = http.getResponse<FastifyReply>();
    const idem: IdempotentRequest = {
      principalKey: `${request.principal.kind}:${request.principal.id}`,
      key,
      method: request.method,
      path: request.url,
      body: request.body,
    };

    return from(this.idempotency.claim(idem)).pipe(
      mergeMap((claim) => {
        if (claim.kind === 'replay') {
          reply.status(claim.status).header('Idempotent-Replayed', 'true');
          if (claim.location) reply.header('Location', claim.location);
          return of(claim.body);
        }
        // Tells AuditService which key to mark committed inside the write's own transaction. The
        // request id (the client's X-Request-Id) plays no part: only this claim settles the key.
        const handle: IdempotencyHandle = claim.handle;
        request.idempotency = handle;
        // The write has committed (or failed) by the time its outcome is recorded: a failure to
        // record it must neither turn a done write into an error nor hide the original error.
        return next.handle().pipe(
          catchError((error: unknown) => from(this.idempotency.settle(() => this.idempotency.release(handle))).pipe(mergeMap(() => throwError(() => error)))),
          mergeMap((body: unknown) => {
            const header = reply.getHeader('location');
            const location = typeof header === 'string' ? header : null;
            const status = reply.statusCode;
            // Already stored by the write's own transaction, exactly as answered: nothing left to do.
            const stored = handle.stored;
            if (stored && stored.status === status && stored.location === location && stored.json === JSON.stringify(body ?? null)) return of(body);
            return from(this.idempotency.settle(() => this.idempotency.complete(handle, status, body, location))).pipe(
              mergeMap(() => of(body)),
            );
          }),
        );
      }),
    );
  }
}
