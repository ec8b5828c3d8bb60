import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  ArrayMaxSize, ArrayMinSize, ArrayUnique, IsArray, IsBoolean, IsIn, IsOptional, IsString, IsUUID, Length, ValidateNested,
} from 'class-validator';
import { NotInFuture } from '../../early-warning/dto/field-validators';
import { PageQueryDto } from '../../common/pagination/page-query.dto';
import { ApiDate, IsCalendarDate, IsCountryCode, Optional } from '../../common/validation/validators';
import {
  DISPUTE_CATEGORIES, DISPUTE_SEVERITIES, DISPUTE_STATUSES, DisputeCategory, DisputeSeverity, DisputeStatus, VIOLENCE_RISKS, ViolenceRisk,
} from '../dispute-enums';

const MAX_PARTIES = 50;
const MAX_LINKS = 100;

export class DisputePartyDto {
  @ApiProperty({ example: 'Family of the northern plot', description: 'How the party is known; may identify people, so it is stored encrypted and withheld from hq_analyst.' })
  @IsString()
  @Length(1, 300)
  label!: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'The party as a participant of the dispute\'s country (with consent to be named).' })
  @Optional()
  @IsUUID()
  participantId?: string;
}

/** Fields PATCH may change too; create adds the network and the reporter, which never change. */
class DisputeDescriptionFields {
  @ApiDate('When the dispute was reported; not in the future.')
  @IsCalendarDate()
  @NotInFuture()
  reportedOn!: string;

  @ApiProperty({ enum: DISPUTE_CATEGORIES })
  @IsIn(DISPUTE_CATEGORIES)
  category!: DisputeCategory;

  @ApiProperty({ example: 'Two families claim the same plot after the flood moved the boundary stones.', description: 'May identify people: encrypted at rest, withheld from hq_analyst.' })
  @IsString()
  @Length(1, 10_000)
  description!: string;

  @ApiProperty({ type: [DisputePartyDto], minItems: 1, maxItems: MAX_PARTIES })
  @IsArray()
  @ArrayMinSize(1, { message: '$property must name at least one party' })
  @ArrayMaxSize(MAX_PARTIES)
  @ValidateNested({ each: true })
  @Type(() => DisputePartyDto)
  parties!: DisputePartyDto[];

  @ApiProperty({ enum: DISPUTE_SEVERITIES })
  @IsIn(DISPUTE_SEVERITIES)
  severity!: DisputeSeverity;

  @ApiProperty({ enum: VIOLENCE_RISKS })
  @IsIn(VIOLENCE_RISKS)
  violenceRisk!: ViolenceRisk;

  @ApiPropertyOptional({ type: [String], format: 'uuid', uniqueItems: true, description: 'Participants of the dispute\'s country who mediate (a set; returned sorted).' })
  @Optional()
  @IsArray()
  @ArrayMaxSize(MAX_LINKS)
  @ArrayUnique({ message: '$property must not repeat a participant' })
  @IsUUID('all', { each: true })
  mediatorIds?: string[];

  @ApiPropertyOptional({ type: [String], format: 'uuid', uniqueItems: true, description: 'Dialogue sessions, in any network of the dispute\'s country, where the dispute was taken up (a set; returned sorted).' })
  @Optional()
  @IsArray()
  @ArrayMaxSize(MAX_LINKS)
  @ArrayUnique({ message: '$property must not repeat a session' })
  @IsUUID('all', { each: true })
  sessionIds?: string[];
}

export class CreateDisputeDto extends DisputeDescriptionFields {
  @ApiProperty({ format: 'uuid', description: 'The network where the dispute is mediated; its country becomes the dispute\'s.' })
  @IsUUID()
  networkId!: string;

  @ApiProperty({ format: 'uuid', description: 'A partner assigned to the network. Partner users must name their own organisation.' })
  @IsUUID()
  reportedByPartnerId!: string;
}

/**
 * Corrections to the description, parties, mediators and sessions. Status moves only through
 * /transitions (sending `status` is a 400); the network and reporter do not change.
 */
export class UpdateDisputeDto {
  @ApiPropertyOptional({ type: String, format: 'date' })
  @Optional()
  @IsCalendarDate()
  @NotInFuture()
  reportedOn?: string;

  @ApiPropertyOptional({ enum: DISPUTE_CATEGORIES })
  @Optional()
  @IsIn(DISPUTE_CATEGORIES)
  category?: DisputeCategory;

  @ApiPropertyOptional()
  @Optional()
  @IsString()
  @Length(1, 10_000)
  description?: string;

  @ApiPropertyOptional({ type: [DisputePartyDto], description: 'Replaces the list of parties.' })
  @Optional()
  @IsArray()
  @ArrayMinSize(1, { message: '$property must name at least one party' })
  @ArrayMaxSize(MAX_PARTIES)
  @ValidateNested({ each: true })
  @Type(() => DisputePartyDto)
  parties?: DisputePartyDto[];

  @ApiPropertyOptional({ enum: DISPUTE_SEVERITIES })
  @Optional()
  @IsIn(DISPUTE_SEVERITIES)
  severity?: DisputeSeverity;

  @ApiPropertyOptional({ enum: VIOLENCE_RISKS })
  @Optional()
  @IsIn(VIOLENCE_RISKS)
  violenceRisk?: ViolenceRisk;

  @ApiPropertyOptional({ type: [String], format: 'uuid', description: 'Replaces the set of mediators.' })
  @Optional()
  @IsArray()
  @ArrayMaxSize(MAX_LINKS)
  @ArrayUnique({ message: '$property must not repeat a participant' })
  @IsUUID('all', { each: true })
  mediatorIds?: string[];

  @ApiPropertyOptional({ type: [String], format: 'uuid', description: 'Replaces the set of sessions.' })
  @Optional()
  @IsArray()
  @ArrayMaxSize(MAX_LINKS)
  @ArrayUnique({ message: '$property must not repeat a session' })
  @IsUUID('all', { each: true })
  sessionIds?: string[];
}

const toBoolean = ({ value }: { value: unknown }) => (value === 'true' ? true : value === 'false' ? false : value);

export class ListDisputesQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ example: 'IQ' })
  @IsOptional()
  @IsCountryCode()
  countryCode?: string;

  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID()
  networkId?: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'Reported by this partner.' })
  @IsOptional()
  @IsUUID()
  partnerId?: string;

  @ApiPropertyOptional({ enum: DISPUTE_STATUSES })
  @IsOptional()
  @IsIn(DISPUTE_STATUSES)
  status?: DisputeStatus;

  @ApiPropertyOptional({ enum: DISPUTE_CATEGORIES })
  @IsOptional()
  @IsIn(DISPUTE_CATEGORIES)
  category?: DisputeCategory;

  @ApiPropertyOptional({ enum: DISPUTE_SEVERITIES })
  @IsOptional()
  @IsIn(DISPUTE_SEVERITIES)
  severity?: DisputeSeverity;

  @ApiPropertyOptional({ enum: VIOLENCE_RISKS })
  @IsOptional()
  @IsIn(VIOLENCE_RISKS)
  violenceRisk?: ViolenceRisk;

  @ApiPropertyOptional({ type: String, format: 'date', description: 'reportedOn on or after' })
  @IsOptional()
  @IsCalendarDate()
  from?: string;

  @ApiPropertyOptional({ type: String, format: 'date', description: 'reportedOn on or before' })
  @IsOptional()
  @IsCalendarDate()
  to?: string;

  @ApiPropertyOptional({ default: false, description: 'Only disputes still being worked on: reported, in_mediation or escalated.' })
  @IsOptional()
  @Transform(toBoolean)
  @IsBoolean()
  openOnly?: boolean;

  @ApiPropertyOptional({ default: false })
  @IsOptional()
  @Transform(toBoolean)
  @IsBoolean()
  includeArchived?: boolean;
}
