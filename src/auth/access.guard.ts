import { CanActivate, ExecutionContext, Injectable, Logger } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyReply } from 'fastify';
import passport from 'passport';
import { ProblemException } from '../common/problem/problem';
import type { AuthenticatedRequest } from '../common/context/request-context';
import { PUBLIC_KEY, ROLES_KEY } from './access.decorators';
import { unauthorized } from './auth-problems';
import { Principal, Role } from './principal';

/** Tried in order; the first that recognises the request's credentials wins. */
export const AUTH_STRATEGIES = ['jwt', 'api-key'] as const;

/** The header each strategy reads its credentials from (jwt: ExtractJwt.fromAuthHeaderAsBearerToken). */
const CREDENTIAL_HEADER: Record<(typeof AUTH_STRATEGIES)[number], string> = { jwt: 'authorization', 'api-key': 'x-api-key' };

/**
 * The strategies whose header the request carries, in AUTH_STRATEGIES order. A strategy without
 * its header can only fail (passport-jwt even builds an Error with a stack trace to say so, on
 * every API-key request), so it is not asked.
 */
export function strategiesFor(headers: Record<string, unknown>): (typeof AUTH_STRATEGIES)[number][] {
  return AUTH_STRATEGIES.filter((strategy) => headers[CREDENTIAL_HEADER[strategy]] !== undefined);
}

/**
 * The global guard (deny by default): a route must declare @Public() or @Roles(...). A route that
 * declares neither is refused for everyone and logged as a programming error. Otherwise the
 * caller is authenticated (bearer token or API key; 401) and their role checked (403), and the
 * principal is attached to the request for @Ctx().
 */
@Injectable()
export class AccessGuard implements CanActivate {
  private readonly logger = new Logger('AccessGuard');

  constructor(private readonly reflector: Reflector) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (context.getType() !== 'http') return true;
    const targets = [context.getHandler(), context.getClass()];
    const isPublic = this.reflector.getAllAndOverride<boolean | undefined>(PUBLIC_KEY, targets);
    const roles = this.reflector.getAllAndOverride<Role[] | undefined>(ROLES_KEY, targets);
    if (isPublic) return true;
    if (!roles?.length) {
      this.logger.error(`${context.getClass().name}.${context.getHandler().name} declares neither @Roles nor @Public; refused (deny by default)`);
      throw new ProblemException(403, 'This route is not open to any role.');
    }

    const http = context.switchToHttp();
    const request = http.getRequest<AuthenticatedRequest>();
    const reply = http.getResponse<FastifyReply>();
    const principal = await this.authenticate(request, reply);
    if (!principal) {
      const presented = Boolean(request.headers.authorization || request.headers['x-api-key']);
      throw unauthorized(reply, 'Send a valid bearer access token or X-API-Key.', presented);
    }
    request.principal = principal;
    if (!roles.includes(principal.role)) throw new ProblemException(403, 'Your role may not do this.');
    return true;
  }

  private authenticate(request: AuthenticatedRequest, reply: FastifyReply): Promise<Principal | null> {
    const strategies = strategiesFor(request.headers);
    if (!strategies.length) return Promise.resolve(null);
    return new Promise((resolve, reject) => {
      const done = (err: unknown, principal?: Principal | false) => (err ? reject(err) : resolve(principal || null));
      const middleware = passport.authenticate(strategies, { session: false }, done) as (
        req: unknown,
        res: unknown,
        next: (err?: unknown) => void,
      ) => void;
      middleware(request, reply, (err) => (err ? reject(err) : resolve(null)));
    });
  }
}
