import type { FastifyReply } from 'fastify';
import { ProblemException } from '../common/problem/problem';

export const GENERIC_LOGIN_FAILURE = 'The email or password is incorrect, or the account cannot sign in right now.';

/**
 * A 401 problem with its WWW-Authenticate challenge (RFC 9110 requires one on every 401). The
 * detail never says which check failed, so a caller learns nothing about accounts or keys.
 */
export function unauthorized(reply: FastifyReply | undefined, detail: string, invalidToken = false): ProblemException {
  reply?.header('WWW-Authenticate', `Bearer realm="jsd-api"${invalidToken ? ', error="invalid_token"' : ''}`);
  return new ProblemException(401, detail);
}
