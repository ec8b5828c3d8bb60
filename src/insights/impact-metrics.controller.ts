import { Controller, Get, Headers, Query, StreamableFile } from '@nestjs/common';
import { ApiBearerAuth, ApiHeader, ApiOkResponse, ApiOperation, ApiProduces, ApiSecurity, ApiTags } from '@nestjs/swagger';
import { Roles } from '../auth/access.decorators';
import { Ctx, RequestContext } from '../common/context/request-context';
import { ApiProblems } from '../common/openapi/api-problems.decorator';
import { ImpactMetricsQueryDto, toImpactQuery } from './dto/impact-metrics-query.dto';
import { ImpactResultDto } from './dto/impact-metrics.dto';
import { impactCsvStream } from './impact-metrics-csv';
import { ImpactResult } from './impact-metrics.model';
import { ImpactMetricsService } from './impact-metrics.service';

const CSV = 'text/csv';

/** Whether the client asked for CSV: `Accept: text/csv` (with or without parameters), ahead of JSON. */
function wantsCsv(accept: string | undefined): boolean {
  const types = (accept ?? '').split(',').map((t) => t.split(';')[0].trim().toLowerCase());
  const csv = types.indexOf(CSV);
  const json = types.indexOf('application/json');
  return csv >= 0 && (json < 0 || csv < json);
}

/**
 * Headquarters' impact metrics. Partners get 403: the figures span networks they are not
 * assigned to. Country staff get their countries only (scope in SQL).
 */
@ApiTags('metrics')
@ApiBearerAuth('bearer')
@ApiSecurity('apiKey')
@Controller('metrics')
export class ImpactMetricsController {
  constructor(private readonly metrics: ImpactMetricsService) {}

  @Get('impact')
  @Roles('admin', 'hq_analyst', 'country_staff')
  @ApiOperation({
    summary: 'Impact metrics by country, network or period, as JSON or CSV',
    description:
      'Every figure is aggregated in PostgreSQL over the records in your scope. Counts of people between 1 and SMALL_CELL_THRESHOLD − 1 ' +
      '(and complementary cells that would reveal them) are null and named in `suppressed`. Send `Accept: text/csv` for the same rows as CSV, ' +
      'one column per figure (see the README, "Impact metrics", for every definition).',
  })
  @ApiHeader({ name: 'Accept', required: false, description: '`application/json` (default) or `text/csv`' })
  @ApiProduces('application/json', CSV)
  @ApiOkResponse({ type: ImpactResultDto })
  @ApiProblems(400, 404, 503)
  async impact(@Ctx() ctx: RequestContext, @Query() query: ImpactMetricsQueryDto, @Headers('accept') accept?: string): Promise<ImpactResult | StreamableFile> {
    const result = await this.metrics.compute(ctx.principal, toImpactQuery(query));
    if (!wantsCsv(accept)) return result;
    return new StreamableFile(impactCsvStream(result, this.metrics.template()), {
      type: `${CSV}; charset=utf-8`,
      disposition: 'attachment; filename="impact-metrics.csv"',
    });
  }
}
