import { Inject, Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import { ExtractJwt, Strategy } from 'passport-jwt';
import { DataSource } from 'typeorm';
import { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';
import { Principal } from './principal';
import { principalOf } from './scope';
import type { AccessClaims } from './tokens.service';
import { User } from './user.entity';

/**
 * Bearer access tokens: HS256 only (no `none`, no algorithm chosen by the token), issuer and
 * audience checked. The user is reloaded on every request, so disabling a user or changing a
 * role takes effect at once instead of when the token expires.
 */
@Injectable()
export class JwtStrategy extends PassportStrategy(Strategy, 'jwt') {
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
  }

  async validate(claims: AccessClaims): Promise<Principal | false> {
    if (claims.typ !== 'access' || typeof claims.sub !== 'string' || !/^[0-9a-f-]{36}$/i.test(claims.sub)) return false;
    const user = await this.dataSource.getRepository(User).findOneBy({ id: claims.sub });
    if (!user || user.status !== 'active') return false;
    return principalOf('user', user.id, user);
  }
}
