import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsBoolean, IsIn, IsOptional, IsString, IsUUID, Length } from 'class-validator';
import { PageQueryDto } from '../../common/pagination/page-query.dto';
import { IsCalendarDate, IsCountryCode, Optional, OptionalNullable } from '../../common/validation/validators';
import { PARTNER_KINDS, PartnerKind } from '../programme-enums';
import { toBoolean } from './network.dto';

const NETWORK_IDS_DESCRIPTION =
  "Networks the partner is assigned to: each in the partner's country and visible to you. On PATCH the list replaces the current assignments.";
export const MAX_NETWORK_IDS = 500;

export class CreatePartnerDto {
  @ApiProperty({ example: 'NP', description: 'ISO 3166-1 alpha-2; a country in your scope' })
  @IsCountryCode()
  countryCode!: string;

  @ApiProperty({ example: 'Banke Community Mediation Centre' })
  @IsString()
  @Length(2, 200)
  name!: string;

  @ApiProperty({ enum: PARTNER_KINDS })
  @IsIn(PARTNER_KINDS)
  kind!: PartnerKind;

  @OptionalNullable('When the organisation signed its commitment to act inclusively and impartially (YYYY-MM-DD).')
  @IsCalendarDate()
  impartialityCommitmentOn?: string | null;

  @ApiPropertyOptional({ type: [String], format: 'uuid', description: NETWORK_IDS_DESCRIPTION, default: [] })
  @Optional()
  @IsArray()
  @ArrayMaxSize(MAX_NETWORK_IDS)
  @IsUUID('all', { each: true })
  networkIds?: string[];
}

export class UpdatePartnerDto {
  @ApiPropertyOptional()
  @Optional()
  @IsString()
  @Length(2, 200)
  name?: string;

  @ApiPropertyOptional({ enum: PARTNER_KINDS })
  @Optional()
  @IsIn(PARTNER_KINDS)
  kind?: PartnerKind;

  @OptionalNullable('Set to null to clear.')
  @IsCalendarDate()
  impartialityCommitmentOn?: string | null;

  @ApiPropertyOptional({ type: [String], format: 'uuid', description: NETWORK_IDS_DESCRIPTION })
  @Optional()
  @IsArray()
  @ArrayMaxSize(MAX_NETWORK_IDS)
  @IsUUID('all', { each: true })
  networkIds?: string[];
}

export class ListPartnersQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ example: 'NP' })
  @IsOptional()
  @IsCountryCode()
  countryCode?: string;

  @ApiPropertyOptional({ enum: PARTNER_KINDS })
  @IsOptional()
  @IsIn(PARTNER_KINDS)
  kind?: PartnerKind;

  @ApiPropertyOptional({ format: 'uuid', description: 'Partners assigned to this network' })
  @IsOptional()
  @IsUUID()
  networkId?: string;

  @ApiPropertyOptional({ default: false })
  @IsOptional()
  @Transform(toBoolean)
  @IsBoolean()
  includeArchived?: boolean;
}

export class PartnerDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ example: 'NP' }) countryCode!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ enum: PARTNER_KINDS }) kind!: PartnerKind;
  @ApiProperty({ type: String, format: 'date', nullable: true }) impartialityCommitmentOn!: string | null;
  @ApiProperty({ type: [String], description: 'Networks the partner is assigned to that are visible to you' }) networkIds!: string[];
  @ApiProperty() version!: number;
  @ApiProperty({ type: String, format: 'date-time' }) createdAt!: string;
  @ApiProperty({ type: String, format: 'date-time' }) updatedAt!: string;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) archivedAt!: string | null;
}

export class PartnerPageDto {
  @ApiProperty({ type: [PartnerDto] }) data!: PartnerDto[];
  @ApiProperty({ type: String, nullable: true }) nextCursor!: string | null;
}
