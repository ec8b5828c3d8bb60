import { timingSafeEqual } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import type { FastifyRequest } from 'fastify';
import passport from 'passport';
import { DataSource } from 'typeorm';
import { ApiKey } from './api-key.entity';
import { Principal } from './principal';
import { principalOf } from './principal-scope';
import { sha256 } from './tokens.service';

type VerifyRequest = (request: FastifyRequest, done: (err: unknown, principal?: Principal | false) => void) => void;

/** A passport strategy that hands the whole request to its verify callback. */
class RequestStrategy extends passport.Strategy {
  constructor(private readonly verifyRequest: VerifyRequest) {
    super();
  }

  override authenticate(request: unknown): void {
    this.verifyRequest(request as FastifyRequest, (err, principal) => {
      if (err) this.error(err as Error);
      else if (principal) this.success(principal as Express.User);
      else this.fail('invalid_api_key', 401);
    });
  }
}

export const API_KEY_HEADER = 'x-api-key';
export const API_KEY_FORMAT = /^jsd_([0-9a-f]{12})_([A-Za-z0-9_-]{43})$/;

/**
 * `X-API-Key: jsd_<prefix>_<secret>` for machine clients. The key acts with the role and scope
 * it was created with; revoked keys are refused. `lastUsedAt` is refreshed at most once a minute
 * so that a busy client does not turn every read into a write.
 */
@Injectable()
export class ApiKeyStrategy extends PassportStrategy(RequestStrategy, 'api-key') {
  constructor(private readonly dataSource: DataSource) {
    super();
  }

  async validate(request: FastifyRequest): Promise<Principal | false> {
    const header = request.headers[API_KEY_HEADER];
    const match = typeof header === 'string' ? API_KEY_FORMAT.exec(header.trim()) : null;
    if (!match) return false;
    const [, prefix, secret] = match;
    const key = await this.dataSource.getRepository(ApiKey).findOneBy({ prefix });
    const presented = Buffer.from(sha256(secret), 'hex');
    const stored = Buffer.from(key?.secretHash ?? '0'.repeat(64), 'hex');
    const matches = timingSafeEqual(presented, stored);
    if (!key || !matches || key.revokedAt) return false;
    await this.dataSource.query(
      `UPDATE api_keys SET last_used_at = now() WHERE id = $1 AND (last_used_at IS NULL OR last_used_at < now() - interval '1 minute')`,
      [key.id],
    );
    return principalOf('api_key', key.id, key);
  }
}
