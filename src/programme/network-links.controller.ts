import { Body, Controller, Delete, Get, HttpCode, Param, Post, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiHeader, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiSecurity, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Roles } from '../auth/access.decorators';
import { Ctx, RequestContext } from '../common/context/request-context';
import { IfMatch } from '../common/concurrency/if-match.decorator';
import { ApiProblems } from '../common/openapi/api-problems.decorator';
import { UuidParam } from '../common/validation/uuid-param.pipe';
import { CreateNetworkLinkDto, ListNetworkLinksQueryDto, NetworkLinkDto, NetworkLinkPageDto, NetworkLinkTransitionDto } from './dto/network-link.dto';
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
      'Needs read access to the network. Each link names the network at the other end by id, country and name only, also across ' +
      'countries once confirmed. A cross-country proposal shows neither side the other\'s name: the proposing side sees the id it sent, ' +
      'the receiving side the proposer\'s id and country. A partner user gets id and name null for networks it is not assigned to.',
  })
  @ApiOkResponse({ type: NetworkLinkPageDto })
  @ApiProblems(400, 404)
  list(@Ctx() ctx: RequestContext, @Param('id', UuidParam) id: string, @Query() query: ListNetworkLinksQueryDto): Promise<NetworkLinkPageDto> {
    return this.links.list(ctx, id, query);
  }

  @Post()
  @Roles('admin', 'country_staff')
  @ApiOperation({
    summary: 'Link this network to another, or propose a link to another country\'s network',
    description:
      'Needs write access to the network in the path (admin, or country_staff of its country). A link to a network you may also ' +
      'write (your countries; an admin: any) is `confirmed` at once. Any other id, of another country or of no network at all, ' +
      'makes a `proposed` link, with the same answer either way (the other end shown only by the id you sent): that country\'s ' +
      'office confirms or declines it with POST …/links/{linkId}/transitions. A link of the same kind between the two networks, ' +
      'in either direction, is 409.',
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

  @Post(':linkId/transitions')
  @Roles('admin', 'country_staff')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Confirm or decline a proposed link',
    description:
      'proposed → confirmed | declined, by the country office of the network the proposal names (write access to it) or an ' +
      'admin, through either end\'s path; the proposing side gets 409 (it may withdraw the proposal with DELETE). Once confirmed ' +
      'both sides see both names; a declined proposal is archived. Anything else is 409; a stale If-Match is 412.',
  })
  @ApiHeader({ name: 'Idempotency-Key', required: false })
  @ApiHeader({ name: 'If-Match', required: false, description: 'ETag of the link; a stale one gets 412' })
  @ApiOkResponse({ type: NetworkLinkDto })
  @ApiProblems(400, 403, 404, 409, 412, 422)
  transition(
    @Ctx() ctx: RequestContext,
    @Param('id', UuidParam) id: string,
    @Param('linkId', UuidParam) linkId: string,
    @IfMatch() expectedVersion: number | undefined,
    @Body() dto: NetworkLinkTransitionDto,
  ): Promise<NetworkLinkDto> {
    return this.links.transition(ctx, id, linkId, expectedVersion, dto);
  }

  @Delete(':linkId')
  @Roles('admin', 'country_staff')
  @HttpCode(204)
  @ApiOperation({ summary: 'Archive a link or withdraw a proposal', description: 'Needs write access to the network in the path, at either end of the link.' })
  @ApiNoContentResponse({ description: 'Archived (nothing is hard-deleted)' })
  @ApiProblems(400, 403, 404)
  async archive(@Ctx() ctx: RequestContext, @Param('id', UuidParam) id: string, @Param('linkId', UuidParam) linkId: string): Promise<void> {
    await this.links.archive(ctx, id, linkId);
  }
}
