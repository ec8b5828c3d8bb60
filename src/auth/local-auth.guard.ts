import { ExecutionContext, Injectable } from '@nestjs/common';
import { AuthGuard } from '@nestjs/passport';
import type { FastifyReply } from 'fastify';
import { createValidationPipe } from '../common/validation/validation.pipe';
import { GENERIC_LOGIN_FAILURE, unauthorized } from './auth-problems';
import { LoginDto } from './dto/login.dto';

/**
 * Runs the local strategy on `/auth/login`. Guards run before pipes, so the body is validated
 * here first: a malformed body gets the usual 400 validation problem instead of a 401.
 */
@Injectable()
export class LocalAuthGuard extends AuthGuard('local') {
  private readonly pipe = createValidationPipe();

  override async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<{ body: unknown }>();
    await this.pipe.transform(request.body ?? {}, { type: 'body', metatype: LoginDto });
    return (await super.canActivate(context)) as boolean;
  }

  override handleRequest<TUser>(err: unknown, user: TUser, _info: unknown, context: ExecutionContext): TUser {
    if (err) throw err;
    if (!user) throw unauthorized(context.switchToHttp().getResponse<FastifyReply>(), GENERIC_LOGIN_FAILURE);
    return user;
  }
}
