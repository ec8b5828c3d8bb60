import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiHeader, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiSecurity, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Roles } from '../auth/access.decorators';
import { PERSON_RECORD_READERS } from './personal-data';
import { IfMatch } from '../common/concurrency/if-match.decorator';
import { Ctx, RequestContext } from '../common/context/request-context';
import { ApiProblems } from '../common/openapi/api-problems.decorator';
import { UuidParam } from '../common/validation/uuid-param.pipe';
import {
  CreateParticipantDto, DuplicateQueryDto, ListParticipantsQueryDto, ParticipantDto, ParticipantPageDto, UpdateParticipantDto,
} from './dto/participant.dto';
import { ParticipantsService } from './participants.service';

const IDENTITY_NOTE =
  '`fullName` and `phone` are present only for admin and for country staff of the participant\'s country, and never after erasure; ' +
  'every response that shows them is recorded in the audit log (action `view_personal_data`).';

@ApiTags('participants')
@ApiBearerAuth('bearer')
@ApiSecurity('apiKey')
@Controller('participants')
export class ParticipantsController {
  constructor(private readonly participants: ParticipantsService) {}

  @Post()
  @Roles('admin', 'country_staff')
  @ApiOperation({ summary: 'Record a participant', description: `Generates the pseudonymous code. A participant whose normalised name and phone match one in the same country is a 409 with \`existingId\`, unless \`allowDuplicate=true\`. ${IDENTITY_NOTE}` })
  @ApiHeader({ name: 'Idempotency-Key', required: false })
  @ApiCreatedResponse({ type: ParticipantDto })
  @ApiProblems(400, 404, 409, 422)
  async create(
    @Ctx() ctx: RequestContext,
    @Body() dto: CreateParticipantDto,
    @Query() query: DuplicateQueryDto,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<ParticipantDto> {
    const participant = await this.participants.create(ctx, dto, query.allowDuplicate ?? false);
    reply.header('Location', `/api/v1/participants/${participant.id}`);
    return participant;
  }

  @Get()
  @Roles(...PERSON_RECORD_READERS)
  @ApiOperation({ summary: 'List participants visible to you', description: IDENTITY_NOTE })
  @ApiOkResponse({ type: ParticipantPageDto })
  @ApiProblems(400)
  list(@Ctx() ctx: RequestContext, @Query() query: ListParticipantsQueryDto): Promise<ParticipantPageDto> {
    return this.participants.list(ctx, query);
  }

  @Get(':id')
  @Roles(...PERSON_RECORD_READERS)
  @ApiOperation({ summary: 'Read a participant', description: IDENTITY_NOTE })
  @ApiOkResponse({ type: ParticipantDto, headers: { ETag: { description: 'Version of the record, for If-Match' } } })
  @ApiProblems(400, 404)
  get(@Ctx() ctx: RequestContext, @Param('id', UuidParam) id: string): Promise<ParticipantDto> {
    return this.participants.get(ctx, id);
  }

  @Patch(':id')
  @Roles('admin', 'country_staff')
  @ApiOperation({ summary: 'Change a participant', description: `\`networkIds\` replaces the set; \`consent\` replaces the recorded consent. ${IDENTITY_NOTE}` })
  @ApiHeader({ name: 'If-Match', required: false, description: 'ETag from GET; a stale one gets 412' })
  @ApiOkResponse({ type: ParticipantDto })
  @ApiProblems(400, 404, 409, 412)
  update(
    @Ctx() ctx: RequestContext,
    @Param('id', UuidParam) id: string,
    @IfMatch() expectedVersion: number | undefined,
    @Body() dto: UpdateParticipantDto,
    @Query() query: DuplicateQueryDto,
  ): Promise<ParticipantDto> {
    return this.participants.update(ctx, id, expectedVersion, dto, query.allowDuplicate ?? false);
  }

  @Delete(':id')
  @Roles('admin', 'country_staff')
  @HttpCode(204)
  @ApiNoContentResponse({ description: 'Archived (nothing is hard-deleted)' })
  @ApiProblems(400, 404)
  async archive(@Ctx() ctx: RequestContext, @Param('id', UuidParam) id: string): Promise<void> {
    await this.participants.archive(ctx, id);
  }

  @Post(':id/erase')
  @Roles('admin', 'country_staff')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Erase a participant\'s personal data for good',
    description:
      'Wipes the encrypted name and phone, the duplicate-detection hash and the affiliation irreversibly; keeps the code, the statistical attributes and the links.' +
      ' Then removes the person from everything else that shows them, in the same transaction: a dispute party that is the person is labelled "[erased]"; every mention of the full name or phone in the free text of the country (and of each part of the name in records the person is linked to) becomes "[erased]", each changed record audited as `redact`; stored Idempotency-Key responses about those records or showing the person are withdrawn (a retry gets 409). See docs/security.md, "Free text and erasure". Erasing twice changes nothing.',
  })
  @ApiHeader({ name: 'Idempotency-Key', required: false })
  @ApiOkResponse({ type: ParticipantDto })
  @ApiProblems(400, 404, 422)
  erase(@Ctx() ctx: RequestContext, @Param('id', UuidParam) id: string): Promise<ParticipantDto> {
    return this.participants.erase(ctx, id);
  }
}
