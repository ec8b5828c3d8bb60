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
      'Every figure is aggregated in PostgreSQL over the records in your scope. Counts of people (attendances, unique participants, women, ' +
      'stakeholder groups) are published with disclosure control (docs/metrics.md): each is a sum of fixed cells (a network\'s month for ' +
      'attendances; a country\'s, or for network questions a network\'s, calendar month, quarter or year for distinct people), and each cell ' +
      'is perturbed by a fixed function of who is in it: 0 stays 0, a cell of 5 or more moves by at most ±2 (at most ±10% from 20 people on, ' +
      '±5 at most), and a cell of 1 to SMALL_CELL_THRESHOLD − 1 people is published as 1, 2 or 3 whatever its size. The same question always ' +
      'gets the same answer, and subtracting answers yields perturbed cells, never a true count. A published count from 1 to ' +
      'SMALL_CELL_THRESHOLD − 1 is null. People figures are null for a range that cuts a month, and distinct people (uniqueParticipants, ' +
      'women, stakeholderGroups, womenShare) for anything but one whole calendar month, quarter or year per row: group by month, quarter or ' +
      'year for longer ranges. Every null people figure is named in `suppressed`. Send `Accept: text/csv` for the same rows as CSV.',
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
