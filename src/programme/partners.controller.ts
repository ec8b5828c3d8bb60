import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiHeader, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiSecurity, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Roles } from '../auth/access.decorators';
import { IfMatch } from '../common/concurrency/if-match.decorator';
import { Ctx, RequestContext } from '../common/context/request-context';
import { ApiProblems } from '../common/openapi/api-problems.decorator';
import { UuidParam } from '../common/validation/uuid-param.pipe';
import { CreatePartnerDto, ListPartnersQueryDto, PartnerDto, PartnerPageDto, UpdatePartnerDto } from './dto/partner.dto';
import { PartnersService } from './partners.service';

const SCOPE_NOTE =
  'admin and hq_analyst see every partner, country_staff those of their countries, a partner user only its own organisation; ' +
  'any other partner is 404 and absent from lists. networkIds lists only networks visible to you.';
const WRITE_NOTE = 'admin, and country_staff within their countries. hq_analyst and partner users get 403 (a partner cannot change its own assignments).';

@ApiTags('partners')
@ApiBearerAuth('bearer')
@ApiSecurity('apiKey')
@Controller('partners')
export class PartnersController {
  constructor(private readonly partners: PartnersService) {}

  @Post()
  @Roles('admin', 'country_staff')
  @ApiOperation({
    summary: 'Create a partner organisation, optionally assigned to networks',
    description: `${WRITE_NOTE} Each network must be visible to you (else 404 naming networkIds) and in the partner's country (else 400).`,
  })
  @ApiHeader({ name: 'Idempotency-Key', required: false })
  @ApiCreatedResponse({ type: PartnerDto })
  @ApiProblems(400, 403, 404, 409, 422)
  async create(@Ctx() ctx: RequestContext, @Body() dto: CreatePartnerDto, @Res({ passthrough: true }) reply: FastifyReply): Promise<PartnerDto> {
    const partner = await this.partners.create(ctx, dto);
    reply.header('Location', `/api/v1/partners/${partner.id}`);
    return partner;
  }

  @Get()
  @Roles('admin', 'hq_analyst', 'country_staff', 'partner')
  @ApiOperation({ summary: 'List partners, ordered by name', description: SCOPE_NOTE })
  @ApiOkResponse({ type: PartnerPageDto })
  @ApiProblems(400)
  list(@Ctx() ctx: RequestContext, @Query() query: ListPartnersQueryDto): Promise<PartnerPageDto> {
    return this.partners.list(ctx, query);
  }

  @Get(':id')
  @Roles('admin', 'hq_analyst', 'country_staff', 'partner')
  @ApiOperation({ summary: 'Read a partner', description: SCOPE_NOTE })
  @ApiOkResponse({ type: PartnerDto, headers: { ETag: { description: 'Version of the record, for If-Match' } } })
  @ApiProblems(400, 404)
  get(@Ctx() ctx: RequestContext, @Param('id', UuidParam) id: string): Promise<PartnerDto> {
    return this.partners.get(ctx, id);
  }

  @Patch(':id')
  @Roles('admin', 'country_staff')
  @ApiOperation({ summary: 'Change a partner; networkIds replaces its assignments', description: `${WRITE_NOTE} countryCode cannot change.` })
  @ApiHeader({ name: 'If-Match', required: false, description: 'ETag from GET; a stale one gets 412' })
  @ApiOkResponse({ type: PartnerDto })
  @ApiProblems(400, 403, 404, 409, 412)
  update(
    @Ctx() ctx: RequestContext,
    @Param('id', UuidParam) id: string,
    @IfMatch() expectedVersion: number | undefined,
    @Body() dto: UpdatePartnerDto,
  ): Promise<PartnerDto> {
    return this.partners.update(ctx, id, expectedVersion, dto);
  }

  @Delete(':id')
  @Roles('admin', 'country_staff')
  @HttpCode(204)
  @ApiOperation({ summary: 'Archive a partner', description: WRITE_NOTE })
  @ApiNoContentResponse({ description: 'Archived (nothing is hard-deleted)' })
  @ApiProblems(400, 403, 404)
  async archive(@Ctx() ctx: RequestContext, @Param('id', UuidParam) id: string): Promise<void> {
    await this.partners.archive(ctx, id);
  }
}
