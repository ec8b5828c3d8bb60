import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { ArrayMaxSize, ArrayUnique, IsArray, IsBoolean, IsIn, IsNotEmpty, IsObject, IsOptional, IsString, IsUUID, MaxLength, ValidateIf, ValidateNested } from 'class-validator';
import { PageQueryDto } from '../../common/pagination/page-query.dto';
import { IsCalendarDate, IsCountryCode, Optional, OptionalNullable } from '../../common/validation/validators';
import { AGE_BANDS, AgeBand, Gender, GENDERS, STAKEHOLDER_GROUPS, StakeholderGroup } from '../people-enums';

export const toBoolean = ({ value }: { value: unknown }) => (value === 'true' ? true : value === 'false' ? false : value);

export class ConsentDto {
  @ApiProperty({ description: 'Whether the person consented. false is allowed and recorded; such a person cannot be named in a session.' })
  @IsBoolean()
  given!: boolean;

  @ApiPropertyOptional({ type: String, format: 'date', nullable: true, description: 'When consent was recorded; required when given.' })
  @ValidateIf((o: ConsentDto) => o.given === true || (o.recordedOn !== undefined && o.recordedOn !== null))
  @IsCalendarDate()
  recordedOn?: string | null;

  @ApiPropertyOptional({ nullable: true, example: 'programme records and session attendance', description: 'What the consent covers; required when given.' })
  @ValidateIf((o: ConsentDto) => o.given === true || (o.scope !== undefined && o.scope !== null))
  @IsString()
  @IsNotEmpty()
  @MaxLength(500)
  scope?: string | null;
}

export class CreateParticipantDto {
  @ApiProperty({ example: 'NP', description: 'ISO 3166-1 alpha-2' })
  @IsCountryCode()
  countryCode!: string;

  @ApiProperty({ example: 'Sita Sharma', description: 'Personal data: stored encrypted.' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  fullName!: string;

  @OptionalNullable('Personal data: stored encrypted.')
  @IsString()
  @IsNotEmpty()
  @MaxLength(40)
  phone?: string | null;

  @ApiProperty({ enum: GENDERS })
  @IsIn(GENDERS)
  gender!: Gender;

  @ApiProperty({ enum: AGE_BANDS })
  @IsIn(AGE_BANDS)
  ageBand!: AgeBand;

  @ApiProperty({ enum: STAKEHOLDER_GROUPS })
  @IsIn(STAKEHOLDER_GROUPS)
  stakeholderGroup!: StakeholderGroup;

  @OptionalNullable('Organisation or community the person speaks for.')
  @IsString()
  @MaxLength(200)
  affiliation?: string | null;

  @ApiProperty({ type: [String], format: 'uuid', description: 'Networks in the same country, visible to you.' })
  @IsArray()
  @ArrayMaxSize(100)
  @ArrayUnique()
  @IsUUID('all', { each: true })
  networkIds!: string[];

  @ApiProperty({ type: ConsentDto })
  // Without IsObject a missing or scalar value passes ValidateNested and reaches the service.
  @IsObject({ message: '$property must be an object' })
  @ValidateNested()
  @Type(() => ConsentDto)
  consent!: ConsentDto;
}

export class UpdateParticipantDto {
  @ApiPropertyOptional({ description: 'Personal data: re-encrypted; the duplicate check runs again.' })
  @Optional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  fullName?: string;

  @OptionalNullable('Set to null to clear.')
  @IsString()
  @IsNotEmpty()
  @MaxLength(40)
  phone?: string | null;

  @ApiPropertyOptional({ enum: GENDERS })
  @Optional()
  @IsIn(GENDERS)
  gender?: Gender;

  @ApiPropertyOptional({ enum: AGE_BANDS })
  @Optional()
  @IsIn(AGE_BANDS)
  ageBand?: AgeBand;

  @ApiPropertyOptional({ enum: STAKEHOLDER_GROUPS })
  @Optional()
  @IsIn(STAKEHOLDER_GROUPS)
  stakeholderGroup?: StakeholderGroup;

  @OptionalNullable('Set to null to clear.')
  @IsString()
  @MaxLength(200)
  affiliation?: string | null;

  @ApiPropertyOptional({ type: [String], format: 'uuid', description: 'Replaces the whole set.' })
  @Optional()
  @IsArray()
  @ArrayMaxSize(100)
  @ArrayUnique()
  @IsUUID('all', { each: true })
  networkIds?: string[];

  @ApiPropertyOptional({ type: ConsentDto, description: 'Replaces the recorded consent.' })
  @Optional()
  // Without IsObject a missing or scalar value passes ValidateNested and reaches the service.
  @IsObject({ message: '$property must be an object' })
  @ValidateNested()
  @Type(() => ConsentDto)
  consent?: ConsentDto;
}

export class DuplicateQueryDto {
  @ApiPropertyOptional({ default: false, description: 'Create (or rename) even when the same person already exists in the country.' })
  @IsOptional()
  @Transform(toBoolean)
  @IsBoolean()
  allowDuplicate?: boolean;
}

export class ListParticipantsQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ example: 'NP' })
  @IsOptional()
  @IsCountryCode()
  countryCode?: string;

  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID()
  networkId?: string;

  @ApiPropertyOptional({ enum: STAKEHOLDER_GROUPS })
  @IsOptional()
  @IsIn(STAKEHOLDER_GROUPS)
  stakeholderGroup?: StakeholderGroup;

  @ApiPropertyOptional({ enum: GENDERS })
  @IsOptional()
  @IsIn(GENDERS)
  gender?: Gender;

  @ApiPropertyOptional({ enum: AGE_BANDS })
  @IsOptional()
  @IsIn(AGE_BANDS)
  ageBand?: AgeBand;

  @ApiPropertyOptional({ default: false })
  @IsOptional()
  @Transform(toBoolean)
  @IsBoolean()
  includeArchived?: boolean;
}

export class ConsentViewDto {
  @ApiProperty() given!: boolean;
  @ApiProperty({ type: String, format: 'date', nullable: true }) recordedOn!: string | null;
  @ApiProperty({ type: String, nullable: true }) scope!: string | null;
}

export class ParticipantDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ example: 'NP-P-000042', description: 'Pseudonymous, generated, never reused.' }) code!: string;
  @ApiProperty({ example: 'NP' }) countryCode!: string;
  @ApiPropertyOptional({ description: 'Present only for admin and country staff of this country, and never after erasure.' })
  fullName?: string;
  @ApiPropertyOptional({ type: String, nullable: true, description: 'Present only when fullName is.' })
  phone?: string | null;
  @ApiProperty({ enum: GENDERS }) gender!: Gender;
  @ApiProperty({ enum: AGE_BANDS }) ageBand!: AgeBand;
  @ApiProperty({ enum: STAKEHOLDER_GROUPS }) stakeholderGroup!: StakeholderGroup;
  @ApiProperty({ type: String, nullable: true }) affiliation!: string | null;
  @ApiProperty({ type: [String], format: 'uuid' }) networkIds!: string[];
  @ApiProperty({ type: ConsentViewDto }) consent!: ConsentViewDto;
  @ApiProperty() version!: number;
  @ApiProperty({ type: String, format: 'date-time' }) createdAt!: string;
  @ApiProperty({ type: String, format: 'date-time' }) updatedAt!: string;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) archivedAt!: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) erasedAt!: string | null;
}

export class ParticipantPageDto {
  @ApiProperty({ type: [ParticipantDto] }) data!: ParticipantDto[];
  @ApiProperty({ type: String, nullable: true }) nextCursor!: string | null;
}

