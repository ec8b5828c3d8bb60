import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiHeader, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiSecurity, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Roles } from '../auth/access.decorators';
import { IfMatch } from '../common/concurrency/if-match.decorator';
import { Ctx, RequestContext } from '../common/context/request-context';
import { ApiProblems } from '../common/openapi/api-problems.decorator';
import { UuidParam } from '../common/validation/uuid-param.pipe';
import { CreateIndicatorValueDto, IndicatorValueDto, IndicatorValuePageDto, ListIndicatorValuesQueryDto, UpdateIndicatorValueDto } from './dto/indicator-value.dto';
import { IndicatorValuesService } from './indicator-values.service';

/**
 * Who may do what: admin everywhere; country_staff for networks of their countries; partner
 * users record and correct values of the networks their partner is assigned to (archiving is
 * the country office's call); hq_analyst reads everything and writes nothing.
 */
@ApiTags('indicator-values')
@ApiBearerAuth('bearer')
@ApiSecurity('apiKey')
@Controller('indicator-values')
export class IndicatorValuesController {
  constructor(private readonly values: IndicatorValuesService) {}

  @Post()
  @Roles('admin', 'country_staff', 'partner')
  @ApiOperation({
    summary: 'Record a community indicator for a network and month',
    description: 'One live value per network, indicator and period: a second POST for the same key is 409 with `existingId`; PATCH that one to correct it.',
  })
  @ApiHeader({ name: 'Idempotency-Key', required: false })
  @ApiCreatedResponse({ type: IndicatorValueDto })
  @ApiProblems(400, 404, 409, 422)
  async create(@Ctx() ctx: RequestContext, @Body() dto: CreateIndicatorValueDto, @Res({ passthrough: true }) reply: FastifyReply): Promise<IndicatorValueDto> {
    const value = await this.values.create(ctx, dto);
    reply.header('Location', `/api/v1/indicator-values/${value.id}`);
    return value;
  }

  @Get()
  @Roles('admin', 'hq_analyst', 'country_staff', 'partner')
  @ApiOperation({ summary: 'List indicator values in your scope, by period' })
  @ApiOkResponse({ type: IndicatorValuePageDto })
  @ApiProblems(400)
  list(@Ctx() ctx: RequestContext, @Query() query: ListIndicatorValuesQueryDto): Promise<IndicatorValuePageDto> {
    return this.values.list(ctx, query);
  }

  @Get(':id')
  @Roles('admin', 'hq_analyst', 'country_staff', 'partner')
  @ApiOkResponse({ type: IndicatorValueDto, headers: { ETag: { description: 'Version of the record, for If-Match' } } })
  @ApiProblems(400, 404)
  get(@Ctx() ctx: RequestContext, @Param('id', UuidParam) id: string): Promise<IndicatorValueDto> {
    return this.values.get(ctx, id);
  }

  @Patch(':id')
  @Roles('admin', 'country_staff', 'partner')
  @ApiOperation({ summary: 'Correct a value or its source' })
  @ApiHeader({ name: 'If-Match', required: false, description: 'ETag from GET; a stale one gets 412' })
  @ApiOkResponse({ type: IndicatorValueDto })
  @ApiProblems(400, 404, 409, 412)
  update(
    @Ctx() ctx: RequestContext,
    @Param('id', UuidParam) id: string,
    @IfMatch() expectedVersion: number | undefined,
    @Body() dto: UpdateIndicatorValueDto,
  ): Promise<IndicatorValueDto> {
    return this.values.update(ctx, id, expectedVersion, dto);
  }

  @Delete(':id')
  @Roles('admin', 'country_staff')
  @HttpCode(204)
  @ApiOperation({ summary: 'Archive a value', description: 'The archived value stays on record (includeArchived=true) and frees its key, so the month can be recorded again.' })
  @ApiNoContentResponse({ description: 'Archived (nothing is hard-deleted)' })
  @ApiProblems(400, 404)
  async archive(@Ctx() ctx: RequestContext, @Param('id', UuidParam) id: string): Promise<void> {
    await this.values.archive(ctx, id);
  }
}
