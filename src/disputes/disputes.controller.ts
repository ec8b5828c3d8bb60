import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiHeader, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiSecurity, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Roles } from '../auth/access.decorators';
import { IfMatch } from '../common/concurrency/if-match.decorator';
import { Ctx, RequestContext } from '../common/context/request-context';
import { ApiProblems } from '../common/openapi/api-problems.decorator';
import { UuidParam } from '../common/validation/uuid-param.pipe';
import { DisputesService } from './disputes.service';
import { DisputeDto, DisputePageDto } from './dto/dispute-response.dto';
import { DisputeTransitionDto } from './dto/dispute-transition.dto';
import { CreateDisputeDto, ListDisputesQueryDto, UpdateDisputeDto } from './dto/dispute.dto';

const IF_MATCH = { name: 'If-Match', required: false, description: 'ETag from GET; a stale one gets 412' };

/**
 * Who may do what: admin everywhere; country_staff in their countries; partner users record,
 * correct and move disputes of the networks their partner is assigned to, reporting as their own
 * organisation; archiving is the country office's call; hq_analyst reads everything but the case
 * text (description, party labels, resolution terms, notes) and writes nothing. A dispute outside
 * the caller's scope is a 404.
 */
@ApiTags('disputes')
@ApiBearerAuth('bearer')
@ApiSecurity('apiKey')
@Controller('disputes')
export class DisputesController {
  constructor(private readonly disputes: DisputesService) {}

  @Post()
  @Roles('admin', 'country_staff', 'partner')
  @ApiOperation({
    summary: 'Record a dispute',
    description:
      'Starts in `reported` with a first history entry. The country is the network\'s. The reporting partner must be assigned to the network (a partner user: its own ' +
      'organisation); mediators and participants named as parties are participants of that country with consent; sessions are sessions of that country.',
  })
  @ApiHeader({ name: 'Idempotency-Key', required: false })
  @ApiCreatedResponse({ type: DisputeDto })
  @ApiProblems(400, 404, 409, 422)
  async create(@Ctx() ctx: RequestContext, @Body() dto: CreateDisputeDto, @Res({ passthrough: true }) reply: FastifyReply): Promise<DisputeDto> {
    const dispute = await this.disputes.create(ctx, dto);
    reply.header('Location', `/api/v1/disputes/${dispute.id}`);
    return dispute;
  }

  @Get()
  @Roles('admin', 'hq_analyst', 'country_staff', 'partner')
  @ApiOperation({ summary: 'List disputes in your scope, most recently reported first', description: 'Items carry no history; read one dispute for it.' })
  @ApiOkResponse({ type: DisputePageDto })
  @ApiProblems(400)
  list(@Ctx() ctx: RequestContext, @Query() query: ListDisputesQueryDto): Promise<DisputePageDto> {
    return this.disputes.list(ctx, query);
  }

  @Get(':id')
  @Roles('admin', 'hq_analyst', 'country_staff', 'partner')
  @ApiOkResponse({ type: DisputeDto, headers: { ETag: { description: 'Version of the record, for If-Match' } } })
  @ApiProblems(400, 404)
  get(@Ctx() ctx: RequestContext, @Param('id', UuidParam) id: string): Promise<DisputeDto> {
    return this.disputes.get(ctx, id);
  }

  @Patch(':id')
  @Roles('admin', 'country_staff', 'partner')
  @ApiOperation({ summary: 'Correct a dispute', description: 'Description, parties, mediators and sessions; status moves only through /transitions (`status` here is a 400).' })
  @ApiHeader(IF_MATCH)
  @ApiOkResponse({ type: DisputeDto })
  @ApiProblems(400, 404, 409, 412)
  update(
    @Ctx() ctx: RequestContext,
    @Param('id', UuidParam) id: string,
    @IfMatch() expectedVersion: number | undefined,
    @Body() dto: UpdateDisputeDto,
  ): Promise<DisputeDto> {
    return this.disputes.update(ctx, id, expectedVersion, dto);
  }

  @Post(':id/transitions')
  @Roles('admin', 'country_staff', 'partner')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Move a dispute along its workflow',
    description:
      'reported → in_mediation | referred | withdrawn; in_mediation → resolved | referred | escalated | withdrawn; escalated → in_mediation | referred; ' +
      'resolved | referred | withdrawn → closed. Anything else is 409. `resolution` is required to enter resolved, `referral` to enter referred (400). ' +
      'Of two concurrent transitions exactly one is applied; the other gets 409, or 412 with a stale If-Match.',
  })
  @ApiHeader({ name: 'Idempotency-Key', required: false })
  @ApiHeader(IF_MATCH)
  @ApiOkResponse({ type: DisputeDto })
  @ApiProblems(400, 404, 409, 412, 422)
  transition(
    @Ctx() ctx: RequestContext,
    @Param('id', UuidParam) id: string,
    @IfMatch() expectedVersion: number | undefined,
    @Body() dto: DisputeTransitionDto,
  ): Promise<DisputeDto> {
    return this.disputes.transition(ctx, id, expectedVersion, dto);
  }

  @Delete(':id')
  @Roles('admin', 'country_staff')
  @HttpCode(204)
  @ApiNoContentResponse({ description: 'Archived (nothing is hard-deleted)' })
  @ApiProblems(400, 404)
  async archive(@Ctx() ctx: RequestContext, @Param('id', UuidParam) id: string): Promise<void> {
    await this.disputes.archive(ctx, id);
  }
}
