import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiHeader, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiSecurity, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Roles } from '../auth/access.decorators';
import { IfMatch } from '../common/concurrency/if-match.decorator';
import { Ctx, RequestContext } from '../common/context/request-context';
import { ApiProblems } from '../common/openapi/api-problems.decorator';
import { UuidParam } from '../common/validation/uuid-param.pipe';
import { CreateInitiativeDto, InitiativeDto, InitiativePageDto, InitiativeTransitionDto, ListInitiativesQueryDto, UpdateInitiativeDto } from './dto/initiative.dto';
import { CreateDisbursementDto, DisbursementDto } from './dto/disbursement.dto';
import { CreateMilestoneDto, MilestoneDto, UpdateMilestoneDto } from './dto/milestone.dto';
import { DisbursementsService } from './disbursements.service';
import { INITIATIVE_READERS, INITIATIVE_WRITERS } from './initiative-enums';
import { InitiativesService } from './initiatives.service';
import { MilestonesService } from './milestones.service';

const IF_MATCH = { name: 'If-Match', required: false, description: 'ETag from GET; a stale one gets 412 and changes nothing' };
const IDEMPOTENCY_KEY = { name: 'Idempotency-Key', required: false };

/**
 * Who may do what: admin everywhere and country_staff in their countries create and change
 * initiatives, disbursements and milestones (domain.md: the country office manages initiatives).
 * Partner users read the initiatives of their networks but record nothing, milestones included:
 * what an initiative delivered is reported to the funder by the country office. hq_analyst reads
 * everything and writes nothing. An initiative outside the caller's scope is a 404.
 */
@ApiTags('initiatives')
@ApiBearerAuth('bearer')
@ApiSecurity('apiKey')
@Controller('initiatives')
export class InitiativesController {
  constructor(
    private readonly initiatives: InitiativesService,
    private readonly disbursements: DisbursementsService,
    private readonly milestones: MilestonesService,
  ) {}

  @Post()
  @Roles(...INITIATIVE_WRITERS)
  @ApiOperation({
    summary: 'Propose a funded initiative',
    description: 'Starts as `proposed`. The network and every origin session must be visible to you (404 naming the field); origin sessions must be held by the same network (400).',
  })
  @ApiHeader(IDEMPOTENCY_KEY)
  @ApiCreatedResponse({ type: InitiativeDto })
  @ApiProblems(400, 404, 409, 422)
  async create(@Ctx() ctx: RequestContext, @Body() dto: CreateInitiativeDto, @Res({ passthrough: true }) reply: FastifyReply): Promise<InitiativeDto> {
    const initiative = await this.initiatives.create(ctx, dto);
    reply.header('Location', `/api/v1/initiatives/${initiative.id}`);
    return initiative;
  }

  @Get()
  @Roles(...INITIATIVE_READERS)
  @ApiOperation({ summary: 'List initiatives in your scope, newest first, with disbursed and remaining totals' })
  @ApiOkResponse({ type: InitiativePageDto })
  @ApiProblems(400)
  list(@Ctx() ctx: RequestContext, @Query() query: ListInitiativesQueryDto): Promise<InitiativePageDto> {
    return this.initiatives.list(ctx, query);
  }

  @Get(':id')
  @Roles(...INITIATIVE_READERS)
  @ApiOkResponse({ type: InitiativeDto, headers: { ETag: { description: 'Version of the record, for If-Match' } } })
  @ApiProblems(400, 404)
  get(@Ctx() ctx: RequestContext, @Param('id', UuidParam) id: string): Promise<InitiativeDto> {
    return this.initiatives.get(ctx, id);
  }

  @Patch(':id')
  @Roles(...INITIATIVE_WRITERS)
  @ApiOperation({
    summary: 'Correct an initiative',
    description: 'Status changes go through /transitions. The budget may not fall below what is disbursed, nor change currency once anything is disbursed (409).',
  })
  @ApiHeader(IF_MATCH)
  @ApiOkResponse({ type: InitiativeDto })
  @ApiProblems(400, 404, 409, 412)
  update(
    @Ctx() ctx: RequestContext,
    @Param('id', UuidParam) id: string,
    @IfMatch() expectedVersion: number | undefined,
    @Body() dto: UpdateInitiativeDto,
  ): Promise<InitiativeDto> {
    return this.initiatives.update(ctx, id, expectedVersion, dto);
  }

  @Post(':id/transitions')
  @Roles(...INITIATIVE_WRITERS)
  @HttpCode(200)
  @ApiOperation({
    summary: 'Move an initiative along its workflow',
    description: 'proposed → approved → in_progress → completed; any non-final status → cancelled; completed and cancelled are final. Anything else is 409.',
  })
  @ApiHeader(IDEMPOTENCY_KEY)
  @ApiHeader(IF_MATCH)
  @ApiOkResponse({ type: InitiativeDto })
  @ApiProblems(400, 404, 409, 412, 422)
  transition(
    @Ctx() ctx: RequestContext,
    @Param('id', UuidParam) id: string,
    @IfMatch() expectedVersion: number | undefined,
    @Body() dto: InitiativeTransitionDto,
  ): Promise<InitiativeDto> {
    return this.initiatives.transition(ctx, id, expectedVersion, dto);
  }

  @Delete(':id')
  @Roles(...INITIATIVE_WRITERS)
  @HttpCode(204)
  @ApiNoContentResponse({ description: 'Archived (nothing is hard-deleted)' })
  @ApiProblems(400, 404)
  async archive(@Ctx() ctx: RequestContext, @Param('id', UuidParam) id: string): Promise<void> {
    await this.initiatives.archive(ctx, id);
  }

  @Post(':id/disbursements')
  @Roles(...INITIATIVE_WRITERS)
  @ApiOperation({
    summary: 'Record a disbursement',
    description: "Only approved or in_progress initiatives receive money (409). The amount must be in the budget's currency (400) and the total may not exceed the budget (409, with the remaining amount). Retry with the same Idempotency-Key: one disbursement.",
  })
  @ApiHeader(IDEMPOTENCY_KEY)
  @ApiCreatedResponse({ type: DisbursementDto })
  @ApiProblems(400, 404, 409, 422)
  async disburse(
    @Ctx() ctx: RequestContext,
    @Param('id', UuidParam) id: string,
    @Body() dto: CreateDisbursementDto,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<DisbursementDto> {
    const disbursement = await this.disbursements.create(ctx, id, dto);
    reply.header('Location', `/api/v1/initiatives/${id}/disbursements/${disbursement.id}`);
    return disbursement;
  }

  @Get(':id/disbursements/:disbursementId')
  @Roles(...INITIATIVE_READERS)
  @ApiOkResponse({ type: DisbursementDto })
  @ApiProblems(400, 404)
  getDisbursement(
    @Ctx() ctx: RequestContext,
    @Param('id', UuidParam) id: string,
    @Param('disbursementId', UuidParam) disbursementId: string,
  ): Promise<DisbursementDto> {
    return this.disbursements.get(ctx, id, disbursementId);
  }

  @Post(':id/milestones')
  @Roles(...INITIATIVE_WRITERS)
  @ApiOperation({ summary: 'Add a milestone', description: 'achievedOn cannot be in the future.' })
  @ApiHeader(IDEMPOTENCY_KEY)
  @ApiCreatedResponse({ type: MilestoneDto })
  @ApiProblems(400, 404, 409, 422)
  async addMilestone(
    @Ctx() ctx: RequestContext,
    @Param('id', UuidParam) id: string,
    @Body() dto: CreateMilestoneDto,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<MilestoneDto> {
    const milestone = await this.milestones.create(ctx, id, dto);
    reply.header('Location', `/api/v1/initiatives/${id}/milestones/${milestone.id}`);
    return milestone;
  }

  @Get(':id/milestones/:milestoneId')
  @Roles(...INITIATIVE_READERS)
  @ApiOkResponse({ type: MilestoneDto, headers: { ETag: { description: 'Version of the milestone, for If-Match' } } })
  @ApiProblems(400, 404)
  getMilestone(@Ctx() ctx: RequestContext, @Param('id', UuidParam) id: string, @Param('milestoneId', UuidParam) milestoneId: string): Promise<MilestoneDto> {
    return this.milestones.get(ctx, id, milestoneId);
  }

  @Patch(':id/milestones/:milestoneId')
  @Roles(...INITIATIVE_WRITERS)
  @ApiOperation({ summary: 'Update a milestone (e.g. record when it was achieved)', description: 'If-Match names the milestone\'s version; achievedOn cannot be in the future.' })
  @ApiHeader(IF_MATCH)
  @ApiOkResponse({ type: MilestoneDto })
  @ApiProblems(400, 404, 409, 412)
  updateMilestone(
    @Ctx() ctx: RequestContext,
    @Param('id', UuidParam) id: string,
    @Param('milestoneId', UuidParam) milestoneId: string,
    @IfMatch() expectedVersion: number | undefined,
    @Body() dto: UpdateMilestoneDto,
  ): Promise<MilestoneDto> {
    return this.milestones.update(ctx, id, milestoneId, expectedVersion, dto);
  }
}
