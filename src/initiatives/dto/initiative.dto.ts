import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import {
  ArrayMaxSize, ArrayUnique, IsArray, IsBoolean, IsIn, IsOptional, IsString, IsUUID, Length,
} from 'class-validator';
import { WITHHELD } from '../../common/crypto/free-text';
import { PageQueryDto } from '../../common/pagination/page-query.dto';
import { IsCalendarDate, IsCountryCode, Optional, OptionalNullable } from '../../common/validation/validators';
import { INITIATIVE_CATEGORIES, INITIATIVE_STATUSES, InitiativeCategory, InitiativeStatus } from '../initiative-enums';
import { MoneyDto, MoneyOutDto } from '../money';
import { DisbursementDto } from './disbursement.dto';
import { MoneyField } from './money-field';
import { MilestoneDto } from './milestone.dto';

const MAX_ORIGIN_SESSIONS = 50;


export class CreateInitiativeDto {
  @ApiProperty({ format: 'uuid', description: 'The network that runs the initiative; its country becomes the initiative\'s.' })
  @IsUUID()
  networkId!: string;

  @ApiProperty({ example: 'Help desk at the district police station', description: 'May name people: encrypted at rest, withheld from hq_analyst (as is problemStatement).' })
  @IsString()
  @Length(1, 300)
  title!: string;

  @ApiProperty({ example: 'Women do not report violence because no officer at the station receives them.' })
  @IsString()
  @Length(1, 10_000)
  problemStatement!: string;

  @ApiPropertyOptional({ type: [String], format: 'uuid', description: 'Dialogue sessions of the same network where the problem was identified.' })
  @Optional()
  @IsArray()
  @ArrayMaxSize(MAX_ORIGIN_SESSIONS)
  @ArrayUnique({ message: '$property must not repeat a session' })
  @IsUUID('all', { each: true })
  originSessionIds?: string[];

  @ApiProperty({ enum: INITIATIVE_CATEGORIES })
  @IsIn(INITIATIVE_CATEGORIES)
  category!: InitiativeCategory;

  @ApiProperty({ example: 'Embassy of the Netherlands', description: 'The funding organisation (kept in clear for the exact-match filter: do not type a person\'s name here).' })
  @IsString()
  @Length(1, 300)
  funder!: string;

  @ApiProperty({ type: MoneyDto })
  @MoneyField()
  budget!: MoneyDto;

  @OptionalNullable('First day of the work.')
  @IsCalendarDate()
  startOn?: string | null;

  @OptionalNullable('Last day of the work; not before startOn.')
  @IsCalendarDate()
  endOn?: string | null;
}

/** Corrections; status moves only by /transitions and the network is fixed (archive and re-create). */
export class UpdateInitiativeDto {
  @ApiPropertyOptional()
  @Optional()
  @IsString()
  @Length(1, 300)
  title?: string;

  @ApiPropertyOptional()
  @Optional()
  @IsString()
  @Length(1, 10_000)
  problemStatement?: string;

  @ApiPropertyOptional({ type: [String], format: 'uuid', description: 'Replaces the list.' })
  @Optional()
  @IsArray()
  @ArrayMaxSize(MAX_ORIGIN_SESSIONS)
  @ArrayUnique({ message: '$property must not repeat a session' })
  @IsUUID('all', { each: true })
  originSessionIds?: string[];

  @ApiPropertyOptional({ enum: INITIATIVE_CATEGORIES })
  @Optional()
  @IsIn(INITIATIVE_CATEGORIES)
  category?: InitiativeCategory;

  @ApiPropertyOptional()
  @Optional()
  @IsString()
  @Length(1, 300)
  funder?: string;

  @ApiPropertyOptional({ type: MoneyDto, description: 'Never below what is already disbursed; the currency is fixed once anything is disbursed (409).' })
  @Optional()
  @MoneyField()
  budget?: MoneyDto;

  @OptionalNullable()
  @IsCalendarDate()
  startOn?: string | null;

  @OptionalNullable()
  @IsCalendarDate()
  endOn?: string | null;
}

export class InitiativeTransitionDto {
  @ApiProperty({
    enum: INITIATIVE_STATUSES,
    description: 'proposed → approved → in_progress → completed; any non-final status → cancelled. Anything else is 409.',
  })
  @IsIn(INITIATIVE_STATUSES)
  to!: InitiativeStatus;

  @ApiPropertyOptional({ example: 'Approved by the funder on 3 March.', description: 'Kept in history; may name people, so encrypted and withheld from hq_analyst.' })
  @Optional()
  @IsString()
  @Length(1, 2_000)
  note?: string;
}

const toBoolean = ({ value }: { value: unknown }) => (value === 'true' ? true : value === 'false' ? false : value);

export class ListInitiativesQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ example: 'NP' })
  @IsOptional()
  @IsCountryCode()
  countryCode?: string;

  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID()
  networkId?: string;

  @ApiPropertyOptional({ enum: INITIATIVE_STATUSES })
  @IsOptional()
  @IsIn(INITIATIVE_STATUSES)
  status?: InitiativeStatus;

  @ApiPropertyOptional({ enum: INITIATIVE_CATEGORIES })
  @IsOptional()
  @IsIn(INITIATIVE_CATEGORIES)
  category?: InitiativeCategory;

  @ApiPropertyOptional({ description: 'Exact funder name.' })
  @IsOptional()
  @IsString()
  @Length(1, 300)
  funder?: string;

  @ApiPropertyOptional({ type: String, format: 'date', description: 'startOn on or after' })
  @IsOptional()
  @IsCalendarDate()
  startFrom?: string;

  @ApiPropertyOptional({ type: String, format: 'date', description: 'startOn on or before' })
  @IsOptional()
  @IsCalendarDate()
  startTo?: string;

  @ApiPropertyOptional({ default: false })
  @IsOptional()
  @Transform(toBoolean)
  @IsBoolean()
  includeArchived?: boolean;
}

export class InitiativeHistoryDto {
  @ApiProperty({ enum: INITIATIVE_STATUSES }) from!: InitiativeStatus;
  @ApiProperty({ enum: INITIATIVE_STATUSES }) to!: InitiativeStatus;
  @ApiProperty({ type: String, nullable: true, description: WITHHELD }) note!: string | null;
  @ApiProperty({ enum: ['user', 'api_key'] }) actorKind!: string;
  @ApiProperty({ type: String, format: 'uuid', nullable: true }) actorId!: string | null;
  @ApiProperty({ type: String, format: 'date-time' }) at!: string;
}

/** A list item: the initiative with its money totals, without its child rows. */
export class InitiativeSummaryDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ format: 'uuid' }) networkId!: string;
  @ApiProperty({ example: 'NP', description: "The network's country" }) countryCode!: string;
  @ApiProperty({ type: String, nullable: true, description: WITHHELD }) title!: string | null;
  @ApiProperty({ type: String, nullable: true, description: WITHHELD }) problemStatement!: string | null;
  @ApiProperty({ type: [String], format: 'uuid' }) originSessionIds!: string[];
  @ApiProperty({ enum: INITIATIVE_CATEGORIES }) category!: InitiativeCategory;
  @ApiProperty() funder!: string;
  @ApiProperty({ type: MoneyOutDto }) budget!: MoneyOutDto;
  @ApiProperty({ type: MoneyOutDto, description: 'Sum of the disbursements' }) disbursed!: MoneyOutDto;
  @ApiProperty({ type: MoneyOutDto, description: 'budget − disbursed' }) remaining!: MoneyOutDto;
  @ApiProperty({ enum: INITIATIVE_STATUSES }) status!: InitiativeStatus;
  @ApiProperty({ type: String, format: 'date', nullable: true }) startOn!: string | null;
  @ApiProperty({ type: String, format: 'date', nullable: true }) endOn!: string | null;
  @ApiProperty() version!: number;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) archivedAt!: string | null;
  @ApiProperty({ type: String, format: 'date-time' }) createdAt!: string;
  @ApiProperty({ type: String, format: 'date-time' }) updatedAt!: string;
}

export class InitiativeDto extends InitiativeSummaryDto {
  @ApiProperty({ type: [DisbursementDto], description: 'Oldest first' }) disbursements!: DisbursementDto[];
  @ApiProperty({ type: [MilestoneDto] }) milestones!: MilestoneDto[];
  @ApiProperty({ type: [InitiativeHistoryDto], description: 'Status changes, oldest first' }) history!: InitiativeHistoryDto[];
}

export class InitiativePageDto {
  @ApiProperty({ type: [InitiativeSummaryDto] }) data!: InitiativeSummaryDto[];
  @ApiProperty({ type: String, nullable: true }) nextCursor!: string | null;
}
