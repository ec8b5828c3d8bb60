import { Body, Controller, Get, HttpCode, Param, Post, Query, Res } from '@nestjs/common';
import { ApiAcceptedResponse, ApiBearerAuth, ApiHeader, ApiOkResponse, ApiOperation, ApiSecurity, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { actorOf } from '../common/audit/audit.service';
import { Roles } from '../auth/access.decorators';
import { Ctx, RequestContext } from '../common/context/request-context';
import { ApiProblems } from '../common/openapi/api-problems.decorator';
import { UuidParam } from '../common/validation/uuid-param.pipe';
import { CreatedLearningSummaryRunDto, CreateLearningSummaryRunDto, LearningSummaryRunDto } from './dto/learning-summary-run.dto';
import { CrossCountryDto, CrossCountryQueryDto, LearningSummaryPageDto, ListLearningSummariesQueryDto } from './dto/learning-summary.dto';
import { LearningSummariesService } from './learning-summaries.service';
import { LearningSummaryRunsService } from './learning-summary-runs.service';

/**
 * Who may do what: admin and hq_analyst run and read summaries of every country; country_staff
 * run and read those of their own countries (a run for another country is 403, another country's
 * run is 404); partners get 403 (summaries are headquarters' and country offices' view).
 */
@ApiTags('learning-summaries')
@ApiBearerAuth('bearer')
@ApiSecurity('apiKey')
@Controller('learning-summaries')
export class LearningSummariesController {
  constructor(
    private readonly summaries: LearningSummariesService,
    private readonly runs: LearningSummaryRunsService,
  ) {}

  @Post('runs')
  @Roles('admin', 'hq_analyst', 'country_staff')
  @HttpCode(202)
  @ApiOperation({
    summary: 'Compute the learning summaries of a period',
    description:
      'Queues a job in the worker. A request with the same period and countries while such a run is queued or running joins it (same id, `joined: true`); after it finished, the same request is a re-run that replaces the summaries.',
  })
  @ApiHeader({ name: 'Idempotency-Key', required: false })
  @ApiAcceptedResponse({ type: CreatedLearningSummaryRunDto, headers: { Location: { description: 'The run: /api/v1/learning-summaries/runs/{id}' } } })
  @ApiProblems(400, 403, 409, 422)
  async createRun(@Ctx() ctx: RequestContext, @Body() dto: CreateLearningSummaryRunDto, @Res({ passthrough: true }) reply: FastifyReply): Promise<CreatedLearningSummaryRunDto> {
    const run = await this.runs.request({ principal: ctx.principal, actor: actorOf(ctx) }, dto);
    reply.header('Location', `/api/v1/learning-summaries/runs/${run.id}`);
    return run;
  }

  @Get('runs/:id')
  @Roles('admin', 'hq_analyst', 'country_staff')
  @ApiOperation({ summary: 'The state of a run: queued | running | completed | failed, progress 0–100, the last error' })
  @ApiOkResponse({ type: LearningSummaryRunDto })
  @ApiProblems(400, 403, 404)
  getRun(@Ctx() ctx: RequestContext, @Param('id', UuidParam) id: string): Promise<LearningSummaryRunDto> {
    return this.runs.get(ctx.principal, id);
  }

  @Get('cross-country')
  @Roles('admin', 'hq_analyst', 'country_staff')
  @ApiOperation({ summary: 'The comparison across countries of a period: each country\'s summary side by side and the cross-country links active in it' })
  @ApiOkResponse({ type: CrossCountryDto })
  @ApiProblems(400, 403, 404)
  crossCountry(@Ctx() ctx: RequestContext, @Query() query: CrossCountryQueryDto): Promise<CrossCountryDto> {
    return this.summaries.crossCountry(ctx, query.period);
  }

  @Get()
  @Roles('admin', 'hq_analyst', 'country_staff')
  @ApiOperation({ summary: 'Learning summaries, one per country and period, ordered by period and country' })
  @ApiOkResponse({ type: LearningSummaryPageDto })
  @ApiProblems(400, 403)
  list(@Ctx() ctx: RequestContext, @Query() query: ListLearningSummariesQueryDto): Promise<LearningSummaryPageDto> {
    return this.summaries.list(ctx, query);
  }
}
