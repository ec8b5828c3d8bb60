import { Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import type { FastifyRequest } from 'fastify';
import { Strategy } from 'passport-local';
import { clientAddress } from '../common/http/client-address';
import { LoginService } from './login.service';
import { User } from './user.entity';

/** `POST /auth/login {email, password}`; a failure is reported as "no user" (one generic 401). */
@Injectable()
export class LocalStrategy extends PassportStrategy(Strategy, 'local') {
  constructor(private readonly login: LoginService) {
    super({ usernameField: 'email', passwordField: 'password', passReqToCallback: true, session: false });
  }

  async validate(request: FastifyRequest, email: string, password: string): Promise<User | false> {
    return (await this.login.verify(email, password, String(request.id), clientAddress(request))) ?? false;
  }
}
