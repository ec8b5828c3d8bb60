import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  ArrayMaxSize, ArrayNotEmpty, ArrayUnique, IsArray, IsBoolean, IsIn, IsInt, IsOptional, IsString, IsUUID, Length, Max, Min,
} from 'class-validator';
import { WITHHELD } from '../../common/crypto/free-text';
import { PageQueryDto } from '../../common/pagination/page-query.dto';
import { ApiDate, IsCalendarDate, IsCountryCode, Optional, OptionalNullable } from '../../common/validation/validators';
import { EARLY_WARNING_STATUSES, EarlyWarningStatus, MAX_RISK_FACTOR, MIN_RISK_FACTOR, SEVERITIES, Severity } from '../early-warning-enums';
import { NotInFuture } from './field-validators';

const RISK_FACTORS_DESCRIPTION =
  'Risk factors of the UN Framework of Analysis for Atrocity Crimes (2014), by number 1–14: a non-empty set (no duplicates). ' +
  '1 armed conflict or instability; 2 record of serious violations; 3 weakness of state structures; 4 motives or incentives; ' +
  '5 capacity to commit atrocity crimes; 6 absence of mitigating factors; 7 enabling circumstances or preparatory action; ' +
  '8 triggering factors; 9 intergroup tensions or discrimination; 10 signs of intent to destroy a protected group; ' +
  '11 signs of a widespread or systematic attack on civilians; 12 signs of plans or policies to attack civilians; ' +
  '13 serious threats to those protected under IHL; 14 serious threats to humanitarian or peacekeeping operations.';

/** The set rules, shared by create and update: integers 1–14, at least one, no duplicates. */
function RiskFactors(): PropertyDecorator {
  return applyDecorators(
      IsArray({ message: '$property must be a list of risk factor numbers 1–14' }),
      ArrayNotEmpty({ message: '$property must name at least one risk factor' }),
      ArrayMaxSize(MAX_RISK_FACTOR),
      ArrayUnique({ message: '$property must not repeat a risk factor' }),
      IsInt({ each: true, message: '$property must hold whole numbers 1–14' }),
      Min(MIN_RISK_FACTOR, { each: true, message: '$property must hold numbers from 1 to 14' }),
      Max(MAX_RISK_FACTOR, { each: true, message: '$property must hold numbers from 1 to 14' }),
  );
}

export class CreateEarlyWarningDto {
  @ApiProperty({ example: 'IQ', description: 'ISO 3166-1 alpha-2' })
  @IsCountryCode()
  countryCode!: string;

  @OptionalNullable('Network the report concerns, in the same country. Required for partner users; reports without one are not visible to partners.')
  @IsUUID()
  networkId?: string | null;

  @ApiDate('When the situation was observed; not in the future.')
  @IsCalendarDate()
  @NotInFuture()
  observedOn!: string;

  @OptionalNullable('Where, as the field office names it. May name people: encrypted at rest, withheld from hq_analyst.')
  @IsString()
  @Length(1, 300)
  place?: string | null;

  @ApiProperty({ type: [Number], example: [1, 9], minItems: 1, maxItems: 14, uniqueItems: true, description: RISK_FACTORS_DESCRIPTION })
  @RiskFactors()
  riskFactors!: number[];

  @ApiProperty({ example: 'Armed men seen moving between villages after the market dispute.', description: 'May name people: encrypted at rest, withheld from hq_analyst.' })
  @IsString()
  @Length(1, 10_000)
  description!: string;

  @ApiProperty({ enum: SEVERITIES, description: '`critical` notifies the country staff of the country.' })
  @IsIn(SEVERITIES)
  severity!: Severity;

  @OptionalNullable('The dialogue session the report came from, in the same country.')
  @IsUUID()
  sourceSessionId?: string | null;
}

/** Corrections; the country cannot change (file a new report) and status moves only by transitions. */
export class UpdateEarlyWarningDto {
  @OptionalNullable('Set to null to detach the report from its network.')
  @IsUUID()
  networkId?: string | null;

  @ApiPropertyOptional({ type: String, format: 'date' })
  @Optional()
  @IsCalendarDate()
  @NotInFuture()
  observedOn?: string;

  @OptionalNullable()
  @IsString()
  @Length(1, 300)
  place?: string | null;

  @ApiPropertyOptional({ type: [Number], minItems: 1, maxItems: 14, uniqueItems: true, description: RISK_FACTORS_DESCRIPTION })
  @Optional()
  @RiskFactors()
  riskFactors?: number[];

  @ApiPropertyOptional()
  @Optional()
  @IsString()
  @Length(1, 10_000)
  description?: string;

  @ApiPropertyOptional({ enum: SEVERITIES, description: 'Raising a live report to `critical` notifies the country staff.' })
  @Optional()
  @IsIn(SEVERITIES)
  severity?: Severity;

  @OptionalNullable()
  @IsUUID()
  sourceSessionId?: string | null;
}

export class EarlyWarningTransitionDto {
  @ApiProperty({
    enum: EARLY_WARNING_STATUSES,
    description: 'reported → verified | dismissed; verified → escalated | resolved; escalated → resolved. Anything else is 409.',
  })
  @IsIn(EARLY_WARNING_STATUSES)
  to!: EarlyWarningStatus;

  @ApiProperty({ example: 'Confirmed by two network members and the district police.', description: 'Kept in history; may name people, so encrypted and withheld from hq_analyst.' })
  @IsString()
  @Length(1, 2_000)
  note!: string;
}

const toBoolean = ({ value }: { value: unknown }) => (value === 'true' ? true : value === 'false' ? false : value);

export class ListEarlyWarningsQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ example: 'IQ' })
  @IsOptional()
  @IsCountryCode()
  countryCode?: string;

  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID()
  networkId?: string;

  @ApiPropertyOptional({ minimum: 1, maximum: 14, description: 'Reports tagged with this risk factor.' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(MIN_RISK_FACTOR)
  @Max(MAX_RISK_FACTOR)
  riskFactor?: number;

  @ApiPropertyOptional({ enum: SEVERITIES })
  @IsOptional()
  @IsIn(SEVERITIES)
  severity?: Severity;

  @ApiPropertyOptional({ enum: EARLY_WARNING_STATUSES })
  @IsOptional()
  @IsIn(EARLY_WARNING_STATUSES)
  status?: EarlyWarningStatus;

  @ApiPropertyOptional({ type: String, format: 'date', description: 'observedOn on or after' })
  @IsOptional()
  @IsCalendarDate()
  from?: string;

  @ApiPropertyOptional({ type: String, format: 'date', description: 'observedOn on or before' })
  @IsOptional()
  @IsCalendarDate()
  to?: string;

  @ApiPropertyOptional({ default: false })
  @IsOptional()
  @Transform(toBoolean)
  @IsBoolean()
  includeArchived?: boolean;
}

export class EarlyWarningHistoryDto {
  @ApiProperty({ enum: EARLY_WARNING_STATUSES }) from!: EarlyWarningStatus;
  @ApiProperty({ enum: EARLY_WARNING_STATUSES }) to!: EarlyWarningStatus;
  @ApiProperty({ type: String, nullable: true, description: WITHHELD }) note!: string | null;
  @ApiProperty({ enum: ['user', 'api_key'] }) actorKind!: string;
  @ApiProperty({ type: String, format: 'uuid', nullable: true }) actorId!: string | null;
  @ApiProperty({ type: String, format: 'date-time' }) at!: string;
}

export class EarlyWarningDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ example: 'IQ' }) countryCode!: string;
  @ApiProperty({ type: String, format: 'uuid', nullable: true }) networkId!: string | null;
  @ApiProperty({ type: String, format: 'date' }) observedOn!: string;
  @ApiProperty({ type: String, nullable: true, description: WITHHELD }) place!: string | null;
  @ApiProperty({ type: [Number], example: [1, 9] }) riskFactors!: number[];
  @ApiProperty({ type: String, nullable: true, description: WITHHELD }) description!: string | null;
  @ApiProperty({ enum: SEVERITIES }) severity!: Severity;
  @ApiProperty({ enum: EARLY_WARNING_STATUSES }) status!: EarlyWarningStatus;
  @ApiProperty({ type: String, format: 'uuid', nullable: true, description: 'null when none, or when the session is not visible to you (a partner user: sessions of its networks).' })
  sourceSessionId!: string | null;
  @ApiProperty() version!: number;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) archivedAt!: string | null;
  @ApiProperty({ type: String, format: 'date-time' }) createdAt!: string;
  @ApiProperty({ type: String, format: 'date-time' }) updatedAt!: string;
  @ApiPropertyOptional({ type: [EarlyWarningHistoryDto], description: 'Status changes, oldest first (single-record reads only).' })
  history?: EarlyWarningHistoryDto[];
}

export class EarlyWarningPageDto {
  @ApiProperty({ type: [EarlyWarningDto] }) data!: EarlyWarningDto[];
  @ApiProperty({ type: String, nullable: true }) nextCursor!: string | null;
}
