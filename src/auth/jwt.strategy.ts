import { Inject, Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import { ExtractJwt, Strategy } from 'passport-jwt';
import { DataSource } from 'typeorm';
import { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';
import { Principal } from './principal';
import { principalOf } from './principal-scope';
import type { AccessClaims } from './tokens.service';
import { RefreshToken } from './refresh-token.entity';
import { User } from './user.entity';

const isUuid = (value: unknown): value is string => typeof value === 'string' && /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(value);

/**
 * Bearer access tokens: HS256 only (no `none`, no algorithm chosen by the token), issuer and
 * audience checked. The user is reloaded on every request, so disabling a user or changing a
 * role takes effect at once instead of when the token expires.
 */
@Injectable()
export class JwtStrategy extends PassportStrategy(Strategy, 'jwt') {
  private readonly maxLifetimeSeconds: number;

  constructor(
    @Inject(APP_CONFIG) config: AppConfig,
    private readonly dataSource: DataSource,
  ) {
    super({
      jwtFromRequest: ExtractJwt.fromAuthHeaderAsBearerToken(),
      secretOrKey: config.jwt.secret,
      algorithms: ['HS256'],
      issuer: config.jwt.issuer,
      audience: config.jwt.audience,
      ignoreExpiration: false,
    });
    this.maxLifetimeSeconds = config.jwt.accessTtlSeconds;
  }

  /**
   * The token's `jti` is the id of the refresh token issued with it: revoking that session
   * (logout, reuse detected, password changed, user disabled) also ends its access token at once,
   * for the price of one join in the per-request lookup.
   */
  async validate(claims: AccessClaims): Promise<Principal | false> {
    if (claims.typ !== 'access' || !isUuid(claims.sub) || !isUuid(claims.jti)) return false;
    // The verifier checks `exp` only when present: a token without one (or one minted to outlive
    // the configured lifetime) would never expire, so it is refused like an expired one.
    if (!Number.isInteger(claims.exp) || !Number.isInteger(claims.iat) || claims.exp - claims.iat > this.maxLifetimeSeconds) return false;
    const user = await this.dataSource
      .getRepository(User)
      .createQueryBuilder('u')
      .innerJoin(RefreshToken, 'r', 'r.userId = u.id AND r.id = :jti AND r.revokedAt IS NULL', { jti: claims.jti })
      .where('u.id = :id', { id: claims.sub })
      .getOne();
    if (!user || user.status !== 'active') return false;
    return principalOf('user', user.id, user);
  }
}
