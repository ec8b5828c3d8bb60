import { Body, Controller, Get, HttpCode, Post, Req, Res, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiSecurity, ApiTags } from '@nestjs/swagger';
import { ApiProblems, ApiPublicProblems } from '../common/openapi/api-problems.decorator';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Ctx, RequestContext } from '../common/context/request-context';
import { Public, Roles } from './access.decorators';
import { unauthorized } from './auth-problems';
import { LocalAuthGuard } from './local-auth.guard';
import { LoginDto } from './dto/login.dto';
import { RefreshTokenDto } from './dto/refresh-token.dto';
import { MeDto, TokenPairDto } from './dto/token-pair.dto';
import { ROLES } from './principal';
import { TokenPair, TokensService } from './tokens.service';
import { User } from './user.entity';
import { UsersService } from './users.service';

@ApiTags('auth')
@Controller('auth')
export class AuthController {
  constructor(
    private readonly tokens: TokensService,
    private readonly users: UsersService,
  ) {}

  @Public()
  @Post('login')
  @HttpCode(200)
  @UseGuards(LocalAuthGuard)
  @ApiOkResponse({ type: TokenPairDto })
  @ApiOperation({ summary: 'Sign in', description: '401 is the same problem for an unknown email, a wrong password, a disabled or a locked account.' })
  @ApiPublicProblems(400, 401)
  login(@Body() _body: LoginDto, @Req() request: FastifyRequest & { user: User }): Promise<TokenPair> {
    return this.tokens.login(request.user, String(request.id));
  }

  @Public()
  @Post('refresh')
  @HttpCode(200)
  @ApiOkResponse({ type: TokenPairDto, description: 'A new pair; the old refresh token stops working (a retry within the grace period gets this same pair).' })
  @ApiPublicProblems(400, 401)
  async refresh(@Body() body: RefreshTokenDto, @Req() request: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply): Promise<TokenPair> {
    const outcome = await this.tokens.refresh(body.refreshToken, String(request.id));
    if (!outcome.ok) throw unauthorized(reply, 'The refresh token is invalid, expired or revoked; sign in again.', true);
    return outcome.pair;
  }

  @Public()
  @Post('logout')
  @HttpCode(204)
  @ApiNoContentResponse({ description: 'The refresh token\'s whole family is revoked (also when it was already unusable).' })
  @ApiPublicProblems(400)
  async logout(@Body() body: RefreshTokenDto, @Req() request: FastifyRequest): Promise<void> {
    await this.tokens.logout(body.refreshToken, String(request.id));
  }

  @Roles(...ROLES)
  @Get('me')
  @ApiBearerAuth('bearer')
  @ApiSecurity('apiKey')
  @ApiOkResponse({ type: MeDto })
  @ApiProblems()
  me(@Ctx() ctx: RequestContext): Promise<MeDto> {
    return this.users.describePrincipal(ctx.principal);
  }
}
