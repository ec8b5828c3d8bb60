import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsString, Matches } from 'class-validator';
import { PageQueryDto } from '../../common/pagination/page-query.dto';
import { IsCountryCode, Optional } from '../../common/validation/validators';
import type { ActiveLink, CountrySummaryContent, Provenance } from '../learning-summary-content';
import type { CrossCountryFigures, SummaryFigures } from '../learning-summary-figures';
import { PERIOD_PATTERN } from '../learning-summary-period';
import { PERIOD_DESCRIPTION } from './learning-summary-run.dto';

const PERIOD_MESSAGE = '$property must be a year (2016), a quarter (2016-Q3) or a month (2016-07)';

export class ListLearningSummariesQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ example: '2016-Q3', description: PERIOD_DESCRIPTION })
  @Optional()
  @IsString()
  @Matches(PERIOD_PATTERN, { message: PERIOD_MESSAGE })
  period?: string;

  @ApiPropertyOptional({ example: 'IQ' })
  @Optional()
  @IsCountryCode()
  countryCode?: string;
}

export class CrossCountryQueryDto {
  @ApiProperty({ example: '2016-Q3', description: PERIOD_DESCRIPTION })
  @IsString()
  @Matches(PERIOD_PATTERN, { message: PERIOD_MESSAGE })
  period!: string;
}

const FIGURES =
  '`{ smallCellThreshold, impact }`: `impact` is this country\'s row of GET /metrics/impact?countryCode=<the run\'s countries>&from=&to=&groupBy=country for the period (every figure, suppressed alike); null only for summaries stored before figures were computed.';

export class LearningSummaryDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ example: '2016-Q3' }) period!: string;
  @ApiProperty({ example: 'IQ' }) countryCode!: string;
  @ApiProperty({ format: 'date' }) from!: string;
  @ApiProperty({ format: 'date', description: 'Last day of the period.' }) to!: string;
  @ApiProperty({ type: Object, description: 'Resolved disputes in the period and the topics and session kinds most associated with them (through the sessions each dispute is linked to), strongest first.' })
  resolvedDisputes!: CountrySummaryContent['resolvedDisputes'];
  @ApiProperty({ type: Object, description: 'Initiatives completed in the period: total, count per category and the list.' })
  initiativesCompleted!: CountrySummaryContent['initiativesCompleted'];
  @ApiProperty({ type: [Object], description: 'Cross-country links of this country\'s networks active in the period (both networks held sessions in it).' })
  crossCountryLinks!: ActiveLink[];
  @ApiProperty({ type: Object, description: 'computedAt and the row counts the summary was computed from.' })
  provenance!: Provenance;
  @ApiProperty({ type: Object, nullable: true, description: FIGURES }) figures!: SummaryFigures | null;
  @ApiProperty({ format: 'uuid', description: 'The run that computed it.' }) runId!: string;
  @ApiProperty({ description: 'How many times this summary has been computed (a re-run replaces it).' }) version!: number;
}

export class LearningSummaryPageDto {
  @ApiProperty({ type: [LearningSummaryDto] }) data!: LearningSummaryDto[];
  @ApiProperty({ type: String, nullable: true }) nextCursor!: string | null;
}

export class CrossCountryDto {
  @ApiProperty({ example: '2016-Q3' }) period!: string;
  @ApiProperty({ format: 'date' }) from!: string;
  @ApiProperty({ format: 'date' }) to!: string;
  @ApiProperty({ type: [String], description: 'The countries side by side (those visible to you).' }) countryCodes!: string[];
  @ApiProperty({ type: Object, description: 'Each country\'s summary part (and figures), by country code.' })
  countries!: Record<string, unknown>;
  @ApiProperty({ type: [Object], description: 'Cross-country network links active in the period.' }) crossCountryLinks!: ActiveLink[];
  @ApiProperty({ type: Object, nullable: true, description: '`{ strongestIndicatorChanges: [{ countryCode, indicator, months, baseline, latest, percentChange }] }`: the largest indicator changes (by size of the percent change) across the stored summaries of the period, at most 10, only of the countries visible to you.' })
  figures!: CrossCountryFigures | null;
  @ApiProperty({ type: Object }) provenance!: Provenance;
  @ApiProperty({ format: 'uuid' }) runId!: string;
  @ApiProperty() version!: number;
}
