import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiHeader, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiSecurity, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Roles } from '../auth/access.decorators';
import { PERSON_RECORD_READERS } from './personal-data';
import { IfMatch } from '../common/concurrency/if-match.decorator';
import { Ctx, RequestContext } from '../common/context/request-context';
import { ApiProblems } from '../common/openapi/api-problems.decorator';
import { UuidParam } from '../common/validation/uuid-param.pipe';
import { DuplicateQueryDto } from './dto/participant.dto';
import { CreatePolicePartnerDto, ListPolicePartnersQueryDto, PolicePartnerDto, PolicePartnerPageDto, UpdatePolicePartnerDto } from './dto/police-partner.dto';
import { PolicePartnersService } from './police-partners.service';

const IDENTITY_NOTE =
  '`fullName` is present only for admin and for country staff of the police partner\'s country, and never after erasure; ' +
  'every response that shows them is recorded in the audit log (action `view_personal_data`).';

@ApiTags('police-partners')
@ApiBearerAuth('bearer')
@ApiSecurity('apiKey')
@Controller('police-partners')
export class PolicePartnersController {
  constructor(private readonly policePartners: PolicePartnersService) {}

  @Post()
  @Roles('admin', 'country_staff')
  @ApiOperation({ summary: 'Record a police partner (state actor)', description: `Generates the pseudonymous code. A police partner whose normalised name matches one in the same country and institution is a 409 with \`existingId\`, unless \`allowDuplicate=true\`. ${IDENTITY_NOTE}` })
  @ApiHeader({ name: 'Idempotency-Key', required: false })
  @ApiCreatedResponse({ type: PolicePartnerDto })
  @ApiProblems(400, 404, 409, 422)
  async create(
    @Ctx() ctx: RequestContext,
    @Body() dto: CreatePolicePartnerDto,
    @Query() query: DuplicateQueryDto,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<PolicePartnerDto> {
    const policePartner = await this.policePartners.create(ctx, dto, query.allowDuplicate ?? false);
    reply.header('Location', `/api/v1/police-partners/${policePartner.id}`);
    return policePartner;
  }

  @Get()
  @Roles(...PERSON_RECORD_READERS)
  @ApiOperation({ summary: 'List police partners visible to you', description: IDENTITY_NOTE })
  @ApiOkResponse({ type: PolicePartnerPageDto })
  @ApiProblems(400)
  list(@Ctx() ctx: RequestContext, @Query() query: ListPolicePartnersQueryDto): Promise<PolicePartnerPageDto> {
    return this.policePartners.list(ctx, query);
  }

  @Get(':id')
  @Roles(...PERSON_RECORD_READERS)
  @ApiOperation({ summary: 'Read a police partner', description: IDENTITY_NOTE })
  @ApiOkResponse({ type: PolicePartnerDto, headers: { ETag: { description: 'Version of the record, for If-Match' } } })
  @ApiProblems(400, 404)
  get(@Ctx() ctx: RequestContext, @Param('id', UuidParam) id: string): Promise<PolicePartnerDto> {
    return this.policePartners.get(ctx, id);
  }

  @Patch(':id')
  @Roles('admin', 'country_staff')
  @ApiOperation({ summary: 'Change a police partner', description: `\`networkIds\` replaces the set. ${IDENTITY_NOTE}` })
  @ApiHeader({ name: 'If-Match', required: false, description: 'ETag from GET; a stale one gets 412' })
  @ApiOkResponse({ type: PolicePartnerDto })
  @ApiProblems(400, 404, 409, 412)
  update(
    @Ctx() ctx: RequestContext,
    @Param('id', UuidParam) id: string,
    @IfMatch() expectedVersion: number | undefined,
    @Body() dto: UpdatePolicePartnerDto,
    @Query() query: DuplicateQueryDto,
  ): Promise<PolicePartnerDto> {
    return this.policePartners.update(ctx, id, expectedVersion, dto, query.allowDuplicate ?? false);
  }

  @Delete(':id')
  @Roles('admin', 'country_staff')
  @HttpCode(204)
  @ApiNoContentResponse({ description: 'Archived (nothing is hard-deleted)' })
  @ApiProblems(400, 404)
  async archive(@Ctx() ctx: RequestContext, @Param('id', UuidParam) id: string): Promise<void> {
    await this.policePartners.archive(ctx, id);
  }

  @Post(':id/erase')
  @Roles('admin', 'country_staff')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Erase a police partner\'s personal data for good',
    description:
      'Wipes the encrypted name, the duplicate-detection hash, the rank, unit and station irreversibly; keeps the code, the institution and the links.' +
      ' Then removes the person from everything else that shows them, in the same transaction: a dispute party that is the person is labelled "[erased]"; every mention of the full name or phone in the free text of the country (and of each part of the name in records the person is linked to) becomes "[erased]", each changed record audited as `redact`; stored Idempotency-Key responses about those records or showing the person are withdrawn (a retry gets 409). See docs/security.md, "Free text and erasure". Erasing twice changes nothing.',
  })
  @ApiHeader({ name: 'Idempotency-Key', required: false })
  @ApiOkResponse({ type: PolicePartnerDto })
  @ApiProblems(400, 404, 422)
  erase(@Ctx() ctx: RequestContext, @Param('id', UuidParam) id: string): Promise<PolicePartnerDto> {
    return this.policePartners.erase(ctx, id);
  }
}
