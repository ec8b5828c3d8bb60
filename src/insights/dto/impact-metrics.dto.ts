import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { GROUP_BYS } from '../impact-metrics.model';

const COUNT_MAP = { type: 'object', additionalProperties: { type: 'integer' } } as const;
const NULLABLE_COUNT_MAP = { type: 'object', additionalProperties: { type: 'integer', nullable: true } } as const;
const PEOPLE = 'People count, perturbed (docs/metrics.md: 0 stays 0; otherwise within ±2, and within 10% from 20 on): null when the published value is between 1 and SMALL_CELL_THRESHOLD − 1, or when the question does not fall on whole months (distinct people: one whole month, quarter or year per row); see suppressed.';

export class MoneyFigureDto {
  @ApiProperty({ example: '1250.00', description: 'Decimal string, summed in PostgreSQL numeric' }) amount!: string;
  @ApiProperty({ example: 'USD' }) currency!: string;
}

export class IndicatorChangeDto {
  @ApiProperty({ description: 'Months with values in the range' }) months!: number;
  @ApiProperty({ type: Number, nullable: true, description: 'Mean of the values in the first (up to) three months' }) baseline!: number | null;
  @ApiProperty({ type: Number, nullable: true, description: 'Mean of the values in the last (up to) three months; null with fewer than two months' }) latest!: number | null;
  @ApiProperty({ type: Number, nullable: true, example: -75, description: '(latest − baseline) / baseline × 100, one decimal' }) percentChange!: number | null;
}

export class ImpactRowDto {
  @ApiPropertyOptional({ type: String, nullable: true, example: 'IQ', description: 'groupBy=country or network' }) countryCode?: string | null;
  @ApiPropertyOptional({ type: String, format: 'uuid', nullable: true, description: 'groupBy=network; null for early warnings filed without a network' }) networkId?: string | null;
  @ApiPropertyOptional({ type: String, nullable: true, description: 'groupBy=network' }) networkName?: string | null;
  @ApiPropertyOptional({ example: '2016-Q3', description: 'groupBy=month (2016-07), quarter (2016-Q3) or year (2016)' }) period?: string;
  @ApiProperty() sessions!: number;
  @ApiProperty({ description: 'Sessions with at least one state partner (police, prosecution, local government …) named in the attendance' }) sessionsWithStatePartners!: number;
  @ApiProperty({ type: Number, nullable: true, description: `Named attendance plus people counted unnamed. ${PEOPLE}` }) attendances!: number | null;
  @ApiProperty({ type: Number, nullable: true, description: PEOPLE }) unnamedAttendances!: number | null;
  @ApiProperty({ type: Number, nullable: true, description: `Distinct participants named in attendance. ${PEOPLE}` }) uniqueParticipants!: number | null;
  @ApiProperty({ type: Number, nullable: true, description: PEOPLE }) women!: number | null;
  @ApiProperty({ type: Number, nullable: true, example: 0.4167, description: 'women / uniqueParticipants (0–1)' }) womenShare!: number | null;
  @ApiProperty({ ...NULLABLE_COUNT_MAP, description: `Distinct participants per stakeholder group (every group present). ${PEOPLE}` }) stakeholderGroups!: Record<string, number | null>;
  @ApiProperty({ ...COUNT_MAP, description: 'total and one count per current status' }) disputes!: Record<string, number>;
  @ApiProperty({ type: Number, nullable: true, description: 'Disputes ever resolved / disputes reported in the range (0–1)' }) disputeResolutionRate!: number | null;
  @ApiProperty({ type: Number, nullable: true, description: 'Median of resolved_on − reported_on in days' }) medianDaysToResolution!: number | null;
  @ApiProperty({ ...COUNT_MAP, description: 'total, open, done, dropped' }) actionPoints!: Record<string, number>;
  @ApiProperty({ ...COUNT_MAP, description: 'total and one count per status' }) initiatives!: Record<string, number>;
  @ApiProperty({ type: [MoneyFigureDto], description: 'Budgets of approved, in-progress and completed initiatives, per currency' }) budgetCommitted!: MoneyFigureDto[];
  @ApiProperty({ type: [MoneyFigureDto], description: 'Disbursements made in the range, per currency' }) disbursed!: MoneyFigureDto[];
  @ApiProperty({ ...COUNT_MAP, description: 'total reports and one count per risk factor "1" … "14"' }) earlyWarnings!: Record<string, number>;
  @ApiProperty({ type: 'object', additionalProperties: { $ref: '#/components/schemas/IndicatorChangeDto' }, description: 'Per indicator' })
  indicatorChange!: Record<string, IndicatorChangeDto>;
  @ApiProperty({ type: [String], example: ['stakeholderGroups.lawyer', 'stakeholderGroups.writer'], description: 'Figures of this row hidden by small-cell suppression' })
  suppressed!: string[];
}

export class ImpactResultDto {
  @ApiProperty({ enum: GROUP_BYS, nullable: true }) groupBy!: string | null;
  @ApiProperty({ type: String, format: 'date', nullable: true }) from!: string | null;
  @ApiProperty({ type: String, format: 'date', nullable: true }) to!: string | null;
  @ApiProperty({ type: [String] }) countryCodes!: string[];
  @ApiProperty({ type: String, format: 'uuid', nullable: true }) networkId!: string | null;
  @ApiProperty({ example: 5 }) smallCellThreshold!: number;
  @ApiProperty({ type: [ImpactRowDto] }) data!: ImpactRowDto[];
}
