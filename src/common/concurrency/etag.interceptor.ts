import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { Observable, tap } from 'rxjs';
import { etagFor } from './etag';

/** Every single-record response (an object with `id` and a numeric `version`) carries its ETag. */
@Injectable()
export class EtagInterceptor implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    return next.handle().pipe(
      tap((body: unknown) => {
        if (body && typeof body === 'object' && 'id' in body && 'version' in body && typeof body.version === 'number') {
          context.switchToHttp().getResponse<FastifyReply>().header('ETag', etagFor(body.version));
        }
      }),
    );
  }
}
