import { Body, Controller, Delete, Get, HttpCode, Param, Post, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiSecurity, ApiTags } from '@nestjs/swagger';
import { ApiProblems } from '../common/openapi/api-problems.decorator';
import type { FastifyReply } from 'fastify';
import { Ctx, RequestContext } from '../common/context/request-context';
import { Page } from '../common/pagination/page-query.dto';
import { Roles } from './access.decorators';
import { ApiKeysService } from './api-keys.service';
import { ApiKeyDto, ApiKeyPageDto, CreateApiKeyDto, CreatedApiKeyDto, ListApiKeysQueryDto } from './dto/api-key.dto';
import { UuidParam } from '../common/validation/uuid-param.pipe';

@ApiTags('api-keys')
@ApiBearerAuth('bearer')
@ApiSecurity('apiKey')
@Roles('admin')
@Controller('api-keys')
export class ApiKeysController {
  constructor(private readonly keys: ApiKeysService) {}

  @Post()
  @HttpCode(201)
  @ApiCreatedResponse({ type: CreatedApiKeyDto, description: 'The only response that ever contains the key.' })
  @ApiProblems(400, 422)
  async create(@Ctx() ctx: RequestContext, @Body() dto: CreateApiKeyDto, @Res({ passthrough: true }) reply: FastifyReply): Promise<CreatedApiKeyDto> {
    const key = await this.keys.create(ctx, dto);
    reply.header('Location', `/api/v1/api-keys/${key.id}`);
    return key;
  }

  @Get()
  @ApiOkResponse({ type: ApiKeyPageDto, description: 'Without secrets; revoked keys only with includeRevoked=true.' })
  @ApiProblems(400)
  list(@Query() query: ListApiKeysQueryDto): Promise<Page<ApiKeyDto>> {
    return this.keys.list(query);
  }

  @Get(':id')
  @ApiOkResponse({ type: ApiKeyDto })
  @ApiProblems(400, 404)
  get(@Param('id', UuidParam) id: string): Promise<ApiKeyDto> {
    return this.keys.get(id);
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiNoContentResponse({ description: 'Revoked: the key gets 401 from now on (from other API replicas within 30 s, the time each trusts a key it has verified).' })
  @ApiProblems(400, 404)
  async revoke(@Ctx() ctx: RequestContext, @Param('id', UuidParam) id: string): Promise<void> {
    await this.keys.revoke(ctx, id);
  }
}
