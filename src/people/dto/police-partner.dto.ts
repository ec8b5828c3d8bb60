import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { ArrayMaxSize, ArrayUnique, IsArray, IsBoolean, IsIn, IsNotEmpty, IsOptional, IsString, IsUUID, MaxLength } from 'class-validator';
import { PageQueryDto } from '../../common/pagination/page-query.dto';
import { IsCountryCode, Optional, OptionalNullable } from '../../common/validation/validators';
import { Institution, INSTITUTIONS } from '../people-enums';
import { toBoolean } from './participant.dto';

export class CreatePolicePartnerDto {
  @ApiProperty({ example: 'NP', description: 'ISO 3166-1 alpha-2' })
  @IsCountryCode()
  countryCode!: string;

  @ApiProperty({ example: 'Ram Bahadur Thapa', description: 'Personal data: stored encrypted.' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  fullName!: string;

  @ApiProperty({ enum: INSTITUTIONS })
  @IsIn(INSTITUTIONS)
  institution!: Institution;

  @OptionalNullable()
  @IsString()
  @MaxLength(100)
  rank?: string | null;

  @OptionalNullable()
  @IsString()
  @MaxLength(200)
  unit?: string | null;

  @OptionalNullable()
  @IsString()
  @MaxLength(200)
  station?: string | null;

  @ApiProperty({ type: [String], format: 'uuid', description: 'Networks in the same country, visible to you.' })
  @IsArray()
  @ArrayMaxSize(100)
  @ArrayUnique()
  @IsUUID('all', { each: true })
  networkIds!: string[];
}

export class UpdatePolicePartnerDto {
  @ApiPropertyOptional({ description: 'Personal data: re-encrypted; the duplicate check runs again.' })
  @Optional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  fullName?: string;

  @ApiPropertyOptional({ enum: INSTITUTIONS })
  @Optional()
  @IsIn(INSTITUTIONS)
  institution?: Institution;

  @OptionalNullable('Set to null to clear.')
  @IsString()
  @MaxLength(100)
  rank?: string | null;

  @OptionalNullable('Set to null to clear.')
  @IsString()
  @MaxLength(200)
  unit?: string | null;

  @OptionalNullable('Set to null to clear.')
  @IsString()
  @MaxLength(200)
  station?: string | null;

  @ApiPropertyOptional({ type: [String], format: 'uuid', description: 'Replaces the whole set.' })
  @Optional()
  @IsArray()
  @ArrayMaxSize(100)
  @ArrayUnique()
  @IsUUID('all', { each: true })
  networkIds?: string[];
}

export class ListPolicePartnersQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ example: 'NP' })
  @IsOptional()
  @IsCountryCode()
  countryCode?: string;

  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID()
  networkId?: string;

  @ApiPropertyOptional({ enum: INSTITUTIONS })
  @IsOptional()
  @IsIn(INSTITUTIONS)
  institution?: Institution;

  @ApiPropertyOptional({ default: false })
  @IsOptional()
  @Transform(toBoolean)
  @IsBoolean()
  includeArchived?: boolean;
}

export class PolicePartnerDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ example: 'NP-S-000007', description: 'Pseudonymous, generated, never reused.' }) code!: string;
  @ApiProperty({ example: 'NP' }) countryCode!: string;
  @ApiPropertyOptional({ description: 'Present only for admin and country staff of this country, and never after erasure.' })
  fullName?: string;
  @ApiProperty({ enum: INSTITUTIONS }) institution!: Institution;
  @ApiProperty({ type: String, nullable: true }) rank!: string | null;
  @ApiProperty({ type: String, nullable: true }) unit!: string | null;
  @ApiProperty({ type: String, nullable: true }) station!: string | null;
  @ApiProperty({ type: [String], format: 'uuid' }) networkIds!: string[];
  @ApiProperty() version!: number;
  @ApiProperty({ type: String, format: 'date-time' }) createdAt!: string;
  @ApiProperty({ type: String, format: 'date-time' }) updatedAt!: string;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) archivedAt!: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) erasedAt!: string | null;
}

export class PolicePartnerPageDto {
  @ApiProperty({ type: [PolicePartnerDto] }) data!: PolicePartnerDto[];
  @ApiProperty({ type: String, nullable: true }) nextCursor!: string | null;
}
