import { timingSafeEqual } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import type { FastifyRequest } from 'fastify';
import passport from 'passport';
import { DataSource } from 'typeorm';
import { ApiKeyCache } from './api-key-cache';
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
 * it was created with; revoked keys are refused. A verified key is remembered for a short while
 * (ApiKeyCache: revocation through this process is immediate, through another replica within
 * API_KEY_CACHE_TTL_MS), so that a busy client does not cost two queries per request;
 * `lastUsedAt` is refreshed at most once a minute so that a client does not turn reads into writes.
 */
@Injectable()
export class ApiKeyStrategy extends PassportStrategy(RequestStrategy, 'api-key') {
  constructor(
    private readonly dataSource: DataSource,
    private readonly cache: ApiKeyCache,
  ) {
    super();
  }

  async validate(request: FastifyRequest): Promise<Principal | false> {
    const header = request.headers[API_KEY_HEADER];
    const match = typeof header === 'string' ? API_KEY_FORMAT.exec(header.trim()) : null;
    if (!match) return false;
    const fingerprint = ApiKeyCache.fingerprint(match[0]);
    let principal = this.cache.get(fingerprint);
    if (!principal) {
      const verified = await this.verify(match[1], match[2]);
      if (!verified) return false;
      this.cache.set(fingerprint, verified);
      principal = verified;
    }
    // A copy: nothing a request does to its principal may reach the one the cache serves next.
    return { ...principal, countryCodes: [...principal.countryCodes] };
  }

  private async verify(prefix: string, secret: string): Promise<Principal | false> {
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
