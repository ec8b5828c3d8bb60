import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { parseIfMatch } from './etag';

/** `@IfMatch() expectedVersion: number | undefined` in a PATCH handler. */
export const IfMatch = createParamDecorator((_: unknown, host: ExecutionContext): number | undefined =>
  parseIfMatch(host.switchToHttp().getRequest<FastifyRequest>().headers['if-match']),
);
