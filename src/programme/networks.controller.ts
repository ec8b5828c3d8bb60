import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiHeader, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiSecurity, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Roles } from '../auth/access.decorators';
import { IfMatch } from '../common/concurrency/if-match.decorator';
import { Ctx, RequestContext } from '../common/context/request-context';
import { ApiProblems } from '../common/openapi/api-problems.decorator';
import { UuidParam } from '../common/validation/uuid-param.pipe';
import { CreateNetworkDto, ListNetworksQueryDto, NetworkDto, NetworkPageDto, UpdateNetworkDto } from './dto/network.dto';
import { NetworksService } from './networks.service';

const SCOPE_NOTE =
  'admin and hq_analyst see every network, country_staff those of their countries, a partner those it is assigned to; ' +
  'any other network is 404 and absent from lists.';
const WRITE_NOTE = 'admin, and country_staff within their countries. hq_analyst and partner users get 403.';

@ApiTags('networks')
@ApiBearerAuth('bearer')
@ApiSecurity('apiKey')
@Controller('networks')
export class NetworksController {
  constructor(private readonly networks: NetworksService) {}

  @Post()
  @Roles('admin', 'country_staff')
  @ApiOperation({
    summary: 'Create a network',
    description: `${WRITE_NOTE} The country must be in your scope (else 404 naming countryCode); a parent must be visible to you (else 404 naming parentId), in the same country and of a higher level (else 400).`,
  })
  @ApiHeader({ name: 'Idempotency-Key', required: false })
  @ApiCreatedResponse({ type: NetworkDto })
  @ApiProblems(400, 403, 404, 409, 422)
  async create(@Ctx() ctx: RequestContext, @Body() dto: CreateNetworkDto, @Res({ passthrough: true }) reply: FastifyReply): Promise<NetworkDto> {
    const network = await this.networks.create(ctx, dto);
    reply.header('Location', `/api/v1/networks/${network.id}`);
    return network;
  }

  @Get()
  @Roles('admin', 'hq_analyst', 'country_staff', 'partner')
  @ApiOperation({ summary: 'List networks, ordered by name', description: SCOPE_NOTE })
  @ApiOkResponse({ type: NetworkPageDto })
  @ApiProblems(400)
  list(@Ctx() ctx: RequestContext, @Query() query: ListNetworksQueryDto): Promise<NetworkPageDto> {
    return this.networks.list(ctx, query);
  }

  @Get(':id')
  @Roles('admin', 'hq_analyst', 'country_staff', 'partner')
  @ApiOperation({ summary: 'Read a network', description: SCOPE_NOTE })
  @ApiOkResponse({ type: NetworkDto, headers: { ETag: { description: 'Version of the record, for If-Match' } } })
  @ApiProblems(400, 404)
  get(@Ctx() ctx: RequestContext, @Param('id', UuidParam) id: string): Promise<NetworkDto> {
    return this.networks.get(ctx, id);
  }

  @Patch(':id')
  @Roles('admin', 'country_staff')
  @ApiOperation({
    summary: 'Change a network',
    description: `${WRITE_NOTE} countryCode cannot change. A parentId that would form a cycle, or a level at or below a child's, is 409.`,
  })
  @ApiHeader({ name: 'If-Match', required: false, description: 'ETag from GET; a stale one gets 412' })
  @ApiOkResponse({ type: NetworkDto })
  @ApiProblems(400, 403, 404, 409, 412)
  update(
    @Ctx() ctx: RequestContext,
    @Param('id', UuidParam) id: string,
    @IfMatch() expectedVersion: number | undefined,
    @Body() dto: UpdateNetworkDto,
  ): Promise<NetworkDto> {
    return this.networks.update(ctx, id, expectedVersion, dto);
  }

  @Delete(':id')
  @Roles('admin', 'country_staff')
  @HttpCode(204)
  @ApiOperation({ summary: 'Archive a network', description: `${WRITE_NOTE} A network with active children is 409.` })
  @ApiNoContentResponse({ description: 'Archived (nothing is hard-deleted)' })
  @ApiProblems(400, 403, 404, 409)
  async archive(@Ctx() ctx: RequestContext, @Param('id', UuidParam) id: string): Promise<void> {
    await this.networks.archive(ctx, id);
  }
}
