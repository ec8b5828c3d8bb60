import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsString, Matches } from 'class-validator';
import { Optional } from '../../common/validation/validators';
import { PERIOD_PATTERN } from '../learning-summary-period';
import { RUN_STATUSES, RunStatus } from '../learning-summary-run.entity';

export const PERIOD_DESCRIPTION = 'A calendar year (`2016`), quarter (`2016-Q3`) or month (`2016-07`), years 2000–2100.';

export class CreateLearningSummaryRunDto {
  @ApiProperty({ example: '2016-Q3', description: PERIOD_DESCRIPTION })
  @IsString()
  @Matches(PERIOD_PATTERN, { message: '$property must be a year (2016), a quarter (2016-Q3) or a month (2016-07)' })
  period!: string;

  @ApiPropertyOptional({
    type: [String],
    example: ['IQ', 'NP'],
    description: 'ISO 3166-1 alpha-2 codes of existing countries. Left out: every country (country_staff: every country of theirs).',
  })
  @Optional()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(250)
  @Matches(/^[A-Z]{2}$/, { each: true, message: '$property must hold ISO 3166-1 alpha-2 codes such as NP' })
  countryCodes?: string[];
}

export class LearningSummaryRunDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ example: '2016-Q3' }) period!: string;
  @ApiProperty({ type: [String], example: ['IQ', 'NP'] }) countryCodes!: string[];
  @ApiProperty({ enum: RUN_STATUSES }) status!: RunStatus;
  @ApiProperty({ minimum: 0, maximum: 100, description: 'Progress of the current attempt.' }) progress!: number;
  @ApiPropertyOptional({ description: 'The last attempt\'s error (also while a retry is pending, with status queued).' }) error?: string;
  @ApiProperty({ description: 'Attempts started so far, including a restart after a worker died.' }) attempts!: number;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiPropertyOptional({ format: 'date-time' }) startedAt?: string;
  @ApiPropertyOptional({ format: 'date-time' }) finishedAt?: string;
}

export class CreatedLearningSummaryRunDto extends LearningSummaryRunDto {
  @ApiProperty({ description: 'true when an identical run (same period and countries) was already queued or running and this request joined it.' })
  joined!: boolean;
}
