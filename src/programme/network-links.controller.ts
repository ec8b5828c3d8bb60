import { Body, Controller, Delete, Get, HttpCode, Param, Post, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiHeader, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiSecurity, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Roles } from '../auth/access.decorators';
import { Ctx, RequestContext } from '../common/context/request-context';
import { ApiProblems } from '../common/openapi/api-problems.decorator';
import { UuidParam } from '../common/validation/uuid-param.pipe';
import { CreateNetworkLinkDto, ListNetworkLinksQueryDto, NetworkLinkDto, NetworkLinkPageDto } from './dto/network-link.dto';
import { NetworkLinksService } from './network-links.service';

@ApiTags('networks')
@ApiBearerAuth('bearer')
@ApiSecurity('apiKey')
@Controller('networks/:id/links')
export class NetworkLinksController {
  constructor(private readonly links: NetworkLinksService) {}

  @Get()
  @Roles('admin', 'hq_analyst', 'country_staff', 'partner')
  @ApiOperation({
    summary: "List a network's links, from both ends, ordered by since",
    description:
      'Needs read access to the network. Each link names the network at the other end by id, country and name only, ' +
      'also across countries; a partner user gets name null for networks it is not assigned to.',
  })
  @ApiOkResponse({ type: NetworkLinkPageDto })
  @ApiProblems(400, 404)
  list(@Ctx() ctx: RequestContext, @Param('id', UuidParam) id: string, @Query() query: ListNetworkLinksQueryDto): Promise<NetworkLinkPageDto> {
    return this.links.list(ctx, id, query);
  }

  @Post()
  @Roles('admin', 'country_staff')
  @ApiOperation({
    summary: 'Link this network to another, possibly in another country',
    description:
      'Needs write access to the network in the path (admin, or country_staff of its country). The target may be any active ' +
      'network in any country, named by id. A link of the same kind between the two networks, in either direction, is 409.',
  })
  @ApiHeader({ name: 'Idempotency-Key', required: false })
  @ApiCreatedResponse({ type: NetworkLinkDto })
  @ApiProblems(400, 403, 404, 409, 422)
  async create(
    @Ctx() ctx: RequestContext,
    @Param('id', UuidParam) id: string,
    @Body() dto: CreateNetworkLinkDto,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<NetworkLinkDto> {
    const link = await this.links.create(ctx, id, dto);
    reply.header('Location', `/api/v1/networks/${id}/links/${link.id}`);
    return link;
  }

  @Delete(':linkId')
  @Roles('admin', 'country_staff')
  @HttpCode(204)
  @ApiOperation({ summary: 'Archive a link', description: 'Needs write access to the network in the path, at either end of the link.' })
  @ApiNoContentResponse({ description: 'Archived (nothing is hard-deleted)' })
  @ApiProblems(400, 403, 404)
  async archive(@Ctx() ctx: RequestContext, @Param('id', UuidParam) id: string, @Param('linkId', UuidParam) linkId: string): Promise<void> {
    await this.links.archive(ctx, id, linkId);
  }
}
