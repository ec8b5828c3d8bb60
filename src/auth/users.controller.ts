import { Body, Controller, Get, HttpCode, Param, Patch, Post, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiHeader, ApiOkResponse, ApiSecurity, ApiTags } from '@nestjs/swagger';
import { ApiProblems } from '../common/openapi/api-problems.decorator';
import type { FastifyReply } from 'fastify';
import { IfMatch } from '../common/concurrency/if-match.decorator';
import { Ctx, RequestContext } from '../common/context/request-context';
import { Page } from '../common/pagination/page-query.dto';
import { Roles } from './access.decorators';
import { CreateUserDto, ListUsersQueryDto, UpdateUserDto, UserDto, UserPageDto } from './dto/user.dto';
import { UsersService } from './users.service';
import { UuidParam } from '../common/validation/uuid-param.pipe';

@ApiTags('users')
@ApiBearerAuth('bearer')
@ApiSecurity('apiKey')
@Roles('admin')
@Controller('users')
export class UsersController {
  constructor(private readonly users: UsersService) {}

  @Post()
  @HttpCode(201)
  @ApiCreatedResponse({ type: UserDto, description: 'Location names the new user.' })
  @ApiProblems(400, 409, 422)
  async create(@Ctx() ctx: RequestContext, @Body() dto: CreateUserDto, @Res({ passthrough: true }) reply: FastifyReply): Promise<UserDto> {
    const user = await this.users.create(ctx, dto);
    reply.header('Location', `/api/v1/users/${user.id}`);
    return user;
  }

  @Get()
  @ApiOkResponse({ type: UserPageDto, description: 'Ordered by createdAt, then id.' })
  @ApiProblems(400)
  list(@Query() query: ListUsersQueryDto): Promise<Page<UserDto>> {
    return this.users.list(query);
  }

  @Get(':id')
  @ApiOkResponse({ type: UserDto })
  @ApiProblems(400, 404)
  get(@Param('id', UuidParam) id: string): Promise<UserDto> {
    return this.users.get(id);
  }

  @Patch(':id')
  @ApiHeader({ name: 'If-Match', required: false, description: 'ETag from GET; a stale one gets 412 and changes nothing.' })
  @ApiOkResponse({ type: UserDto })
  @ApiProblems(400, 404, 409, 412)
  update(@Ctx() ctx: RequestContext, @Param('id', UuidParam) id: string, @Body() dto: UpdateUserDto, @IfMatch() expectedVersion: number | undefined): Promise<UserDto> {
    return this.users.update(ctx, id, dto, expectedVersion);
  }
}
