import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { Principal } from '../../auth/principal';
import type { IdempotencyHandle } from '../idempotency/idempotency.service';

/**
 * The caller's context, passed as the first argument of every service method so that scoping
 * and auditing are never forgotten halfway down a call chain.
 */
export interface RequestContext {
  principal: Principal;
  /** For logs and audit events only: a client may choose it (X-Request-Id). */
  requestId: string;
  /** The request holds an Idempotency-Key (`idempotency` is set). */
  idempotent: boolean;
  /**
   * The claim on the request's Idempotency-Key: its write marks the key committed by it
   * (AuditService) and may store its response in its own transaction (IdempotencyService.prepare).
   */
  idempotency?: IdempotencyHandle;
}

/** The principal is attached to the request by the global access guard. */
export type AuthenticatedRequest = FastifyRequest & { principal?: Principal; idempotency?: IdempotencyHandle };

export function contextOf(request: AuthenticatedRequest): RequestContext {
  if (!request.principal) throw new Error('contextOf() on a request without a principal (route is @Public?)');
  return { principal: request.principal, requestId: String(request.id), idempotent: request.idempotency !== undefined, idempotency: request.idempotency };
}

/** `@Ctx() ctx: RequestContext` in a controller method. */
export const Ctx = createParamDecorator((_: unknown, host: ExecutionContext): RequestContext =>
  contextOf(host.switchToHttp().getRequest<AuthenticatedRequest>()),
);
