import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean, IsIn, IsNumber, IsOptional, IsString, IsUUID, Length, ValidateBy } from 'class-validator';
import { WITHHELD } from '../../common/crypto/free-text';
import { PageQueryDto } from '../../common/pagination/page-query.dto';
import { IsCountryCode, Optional } from '../../common/validation/validators';
import { Indicator, INDICATORS } from '../early-warning-enums';
import { indicatorValueProblem } from '../indicator-rules';
import { IsPeriod, PERIOD_PATTERN } from './field-validators';

const VALUE_DESCRIPTION =
  'reported_crimes and violent_incidents: whole numbers ≥ 0; police_response_time_minutes: ≥ 0 (decimals allowed); trust_score: 0–100. At most 2 decimals.';

/** The value fits the indicator sent alongside it (an unknown indicator is reported on its own field). */
function FitsIndicator(): PropertyDecorator {
  return ValidateBy({
    name: 'fitsIndicator',
    validator: {
      validate: (value: unknown, args) => {
        const indicator = (args?.object as { indicator?: unknown }).indicator;
        if (typeof value !== 'number' || !INDICATORS.includes(indicator as Indicator)) return true;
        return indicatorValueProblem(indicator as Indicator, value) === null;
      },
      defaultMessage: (args) => {
        const indicator = (args?.object as { indicator: Indicator }).indicator;
        return `$property ${indicatorValueProblem(indicator, args?.value as number)}`;
      },
    },
  });
}

export class CreateIndicatorValueDto {
  @ApiProperty({ format: 'uuid' })
  @IsUUID()
  networkId!: string;

  @ApiProperty({ enum: INDICATORS })
  @IsIn(INDICATORS)
  indicator!: Indicator;

  @ApiProperty({ example: '2016-03', description: 'The month, YYYY-MM; not in the future.' })
  @IsPeriod()
  period!: string;

  @ApiProperty({ example: 12, description: VALUE_DESCRIPTION })
  @IsNumber({ allowNaN: false, allowInfinity: false }, { message: '$property must be a number' })
  @FitsIndicator()
  value!: number;

  @ApiProperty({ example: 'District police station monthly report', description: 'Free text, may name people: encrypted at rest, withheld from hq_analyst.' })
  @IsString()
  @Length(1, 500)
  source!: string;
}

/** A correction: the key (network, indicator, period) stays; archive and re-create to move it. */
export class UpdateIndicatorValueDto {
  @ApiPropertyOptional({ description: VALUE_DESCRIPTION })
  @Optional()
  @IsNumber({ allowNaN: false, allowInfinity: false }, { message: '$property must be a number' })
  value?: number;

  @ApiPropertyOptional()
  @Optional()
  @IsString()
  @Length(1, 500)
  source?: string;
}

const toBoolean = ({ value }: { value: unknown }) => (value === 'true' ? true : value === 'false' ? false : value);
const PERIOD_MESSAGE = { message: '$property must be a month as YYYY-MM' };

export class ListIndicatorValuesQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID()
  networkId?: string;

  @ApiPropertyOptional({ example: 'IQ' })
  @IsOptional()
  @IsCountryCode()
  countryCode?: string;

  @ApiPropertyOptional({ enum: INDICATORS })
  @IsOptional()
  @IsIn(INDICATORS)
  indicator?: Indicator;

  @ApiPropertyOptional({ example: '2015-01', description: 'period on or after' })
  @IsOptional()
  @ValidateBy({ name: 'period', validator: { validate: (v: unknown) => typeof v === 'string' && PERIOD_PATTERN.test(v), defaultMessage: () => PERIOD_MESSAGE.message } })
  from?: string;

  @ApiPropertyOptional({ example: '2016-12', description: 'period on or before' })
  @IsOptional()
  @ValidateBy({ name: 'period', validator: { validate: (v: unknown) => typeof v === 'string' && PERIOD_PATTERN.test(v), defaultMessage: () => PERIOD_MESSAGE.message } })
  to?: string;

  @ApiPropertyOptional({ default: false })
  @IsOptional()
  @Transform(toBoolean)
  @IsBoolean()
  includeArchived?: boolean;
}

export class IndicatorValueDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ format: 'uuid' }) networkId!: string;
  @ApiProperty({ example: 'IQ', description: "The network's country" }) countryCode!: string;
  @ApiProperty({ enum: INDICATORS }) indicator!: Indicator;
  @ApiProperty({ example: '2016-03' }) period!: string;
  @ApiProperty({ example: 12 }) value!: number;
  @ApiProperty({ type: String, nullable: true, description: WITHHELD }) source!: string | null;
  @ApiProperty() version!: number;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) archivedAt!: string | null;
  @ApiProperty({ type: String, format: 'date-time' }) createdAt!: string;
  @ApiProperty({ type: String, format: 'date-time' }) updatedAt!: string;
}

export class IndicatorValuePageDto {
  @ApiProperty({ type: [IndicatorValueDto] }) data!: IndicatorValueDto[];
  @ApiProperty({ type: String, nullable: true }) nextCursor!: string | null;
}
