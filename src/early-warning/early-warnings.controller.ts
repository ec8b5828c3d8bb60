import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiHeader, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiSecurity, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Roles } from '../auth/access.decorators';
import { IfMatch } from '../common/concurrency/if-match.decorator';
import { Ctx, RequestContext } from '../common/context/request-context';
import { ApiProblems } from '../common/openapi/api-problems.decorator';
import { UuidParam } from '../common/validation/uuid-param.pipe';
import {
  CreateEarlyWarningDto, EarlyWarningDto, EarlyWarningPageDto, EarlyWarningTransitionDto, ListEarlyWarningsQueryDto, UpdateEarlyWarningDto,
} from './dto/early-warning.dto';
import { EarlyWarningsService } from './early-warnings.service';

const IF_MATCH = { name: 'If-Match', required: false, description: 'ETag from GET; a stale one gets 412' };

/**
 * Who may do what: admin everywhere; country_staff in their countries; partner users report
 * (POST) and read warnings of the networks their partner is assigned to — verifying, escalating,
 * correcting and archiving are the country office's call; hq_analyst reads everything and
 * writes nothing. A warning outside the caller's scope is a 404.
 */
@ApiTags('early-warnings')
@ApiBearerAuth('bearer')
@ApiSecurity('apiKey')
@Controller('early-warnings')
export class EarlyWarningsController {
  constructor(private readonly warnings: EarlyWarningsService) {}

  @Post()
  @Roles('admin', 'country_staff', 'partner')
  @ApiOperation({
    summary: 'Report an early warning',
    description: 'Severity `critical` queues a notification to every country_staff user of the country, after commit. Partner users must give one of their networks.',
  })
  @ApiHeader({ name: 'Idempotency-Key', required: false })
  @ApiCreatedResponse({ type: EarlyWarningDto })
  @ApiProblems(400, 404, 409, 422)
  async create(@Ctx() ctx: RequestContext, @Body() dto: CreateEarlyWarningDto, @Res({ passthrough: true }) reply: FastifyReply): Promise<EarlyWarningDto> {
    const warning = await this.warnings.create(ctx, dto);
    reply.header('Location', `/api/v1/early-warnings/${warning.id}`);
    return warning;
  }

  @Get()
  @Roles('admin', 'hq_analyst', 'country_staff', 'partner')
  @ApiOperation({ summary: 'List early warnings in your scope, most recently observed first' })
  @ApiOkResponse({ type: EarlyWarningPageDto })
  @ApiProblems(400)
  list(@Ctx() ctx: RequestContext, @Query() query: ListEarlyWarningsQueryDto): Promise<EarlyWarningPageDto> {
    return this.warnings.list(ctx, query);
  }

  @Get(':id')
  @Roles('admin', 'hq_analyst', 'country_staff', 'partner')
  @ApiOkResponse({ type: EarlyWarningDto, headers: { ETag: { description: 'Version of the record, for If-Match' } } })
  @ApiProblems(400, 404)
  get(@Ctx() ctx: RequestContext, @Param('id', UuidParam) id: string): Promise<EarlyWarningDto> {
    return this.warnings.get(ctx, id);
  }

  @Patch(':id')
  @Roles('admin', 'country_staff')
  @ApiOperation({ summary: 'Correct a report', description: 'Status changes go through /transitions. Raising a live report to `critical` notifies the country staff.' })
  @ApiHeader(IF_MATCH)
  @ApiOkResponse({ type: EarlyWarningDto })
  @ApiProblems(400, 404, 409, 412)
  update(
    @Ctx() ctx: RequestContext,
    @Param('id', UuidParam) id: string,
    @IfMatch() expectedVersion: number | undefined,
    @Body() dto: UpdateEarlyWarningDto,
  ): Promise<EarlyWarningDto> {
    return this.warnings.update(ctx, id, expectedVersion, dto);
  }

  @Post(':id/transitions')
  @Roles('admin', 'country_staff')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Move a report along its workflow',
    description: 'reported → verified | dismissed; verified → escalated | resolved; escalated → resolved; anything else is 409. Escalating a critical report notifies the country staff.',
  })
  @ApiHeader({ name: 'Idempotency-Key', required: false })
  @ApiHeader(IF_MATCH)
  @ApiOkResponse({ type: EarlyWarningDto })
  @ApiProblems(400, 404, 409, 412, 422)
  transition(
    @Ctx() ctx: RequestContext,
    @Param('id', UuidParam) id: string,
    @IfMatch() expectedVersion: number | undefined,
    @Body() dto: EarlyWarningTransitionDto,
  ): Promise<EarlyWarningDto> {
    return this.warnings.transition(ctx, id, expectedVersion, dto);
  }

  @Delete(':id')
  @Roles('admin', 'country_staff')
  @HttpCode(204)
  @ApiNoContentResponse({ description: 'Archived (nothing is hard-deleted)' })
  @ApiProblems(400, 404)
  async archive(@Ctx() ctx: RequestContext, @Param('id', UuidParam) id: string): Promise<void> {
    await this.warnings.archive(ctx, id);
  }
}
