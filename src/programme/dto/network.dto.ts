import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { IsBoolean, IsIn, IsNumber, IsObject, IsOptional, IsString, IsUUID, Length, Max, Min, ValidateNested } from 'class-validator';
import { PageQueryDto } from '../../common/pagination/page-query.dto';
import { ApiDate, IsCalendarDate, IsCountryCode, Optional, OptionalNullable } from '../../common/validation/validators';
import { NETWORK_LEVELS, NETWORK_STATUSES, NetworkLevel, NetworkStatus } from '../programme-enums';

export const toBoolean = ({ value }: { value: unknown }) => (value === 'true' ? true : value === 'false' ? false : value);

export class LocationDto {
  @ApiProperty({ example: 27.7172, minimum: -90, maximum: 90 })
  @IsNumber({ allowNaN: false, allowInfinity: false, maxDecimalPlaces: 6 })
  @Min(-90)
  @Max(90)
  lat!: number;

  @ApiProperty({ example: 85.324, minimum: -180, maximum: 180 })
  @IsNumber({ allowNaN: false, allowInfinity: false, maxDecimalPlaces: 6 })
  @Min(-180)
  @Max(180)
  lon!: number;
}

const PARENT_DESCRIPTION =
  'A network of a higher level in the same country (national > regional > district > community). Null or absent for a top-level network.';

export class CreateNetworkDto {
  @ApiProperty({ example: 'NP', description: 'ISO 3166-1 alpha-2; a country in your scope' })
  @IsCountryCode()
  countryCode!: string;

  @ApiProperty({ example: 'Banke district dialogue network' })
  @IsString()
  @Length(2, 200)
  name!: string;

  @ApiProperty({ enum: NETWORK_LEVELS })
  @IsIn(NETWORK_LEVELS)
  level!: NetworkLevel;

  @OptionalNullable(PARENT_DESCRIPTION)
  @IsUUID()
  parentId?: string | null;

  @ApiProperty({ example: 'Banke', description: 'Governorate, province, district … as the country names it' })
  @IsString()
  @Length(1, 200)
  adminArea!: string;

  @OptionalNullable('Where the network meets; null when unknown.')
  // Without IsObject a missing or scalar value passes ValidateNested and reaches the service.
  @IsObject({ message: '$property must be an object' })
  @ValidateNested()
  @Type(() => LocationDto)
  location?: LocationDto | null;

  @ApiDate('When the network was established')
  @IsCalendarDate()
  establishedOn!: string;

  @ApiPropertyOptional({ enum: NETWORK_STATUSES, default: 'active' })
  @Optional()
  @IsIn(NETWORK_STATUSES)
  status?: NetworkStatus;
}

/** countryCode cannot change: parents, children, partners and sessions all hang off it. */
export class UpdateNetworkDto {
  @ApiPropertyOptional()
  @Optional()
  @IsString()
  @Length(2, 200)
  name?: string;

  @ApiPropertyOptional({ enum: NETWORK_LEVELS })
  @Optional()
  @IsIn(NETWORK_LEVELS)
  level?: NetworkLevel;

  @OptionalNullable(`${PARENT_DESCRIPTION} A change that would make a cycle is refused (409).`)
  @IsUUID()
  parentId?: string | null;

  @ApiPropertyOptional()
  @Optional()
  @IsString()
  @Length(1, 200)
  adminArea?: string;

  @OptionalNullable('Set to null to clear.')
  // Without IsObject a missing or scalar value passes ValidateNested and reaches the service.
  @IsObject({ message: '$property must be an object' })
  @ValidateNested()
  @Type(() => LocationDto)
  location?: LocationDto | null;

  @ApiPropertyOptional({ type: String, format: 'date' })
  @Optional()
  @IsCalendarDate()
  establishedOn?: string;

  @ApiPropertyOptional({ enum: NETWORK_STATUSES })
  @Optional()
  @IsIn(NETWORK_STATUSES)
  status?: NetworkStatus;
}

export class ListNetworksQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ example: 'NP' })
  @IsOptional()
  @IsCountryCode()
  countryCode?: string;

  @ApiPropertyOptional({ enum: NETWORK_LEVELS })
  @IsOptional()
  @IsIn(NETWORK_LEVELS)
  level?: NetworkLevel;

  @ApiPropertyOptional({ enum: NETWORK_STATUSES })
  @IsOptional()
  @IsIn(NETWORK_STATUSES)
  status?: NetworkStatus;

  @ApiPropertyOptional({ description: 'Networks this partner is assigned to', format: 'uuid' })
  @IsOptional()
  @IsUUID()
  partnerId?: string;

  @ApiPropertyOptional({ description: 'Direct children of this network', format: 'uuid' })
  @IsOptional()
  @IsUUID()
  parentId?: string;

  @ApiPropertyOptional({ default: false })
  @IsOptional()
  @Transform(toBoolean)
  @IsBoolean()
  includeArchived?: boolean;
}

export class LocationOutDto {
  @ApiProperty() lat!: number;
  @ApiProperty() lon!: number;
}

export class NetworkDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ example: 'NP' }) countryCode!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ enum: NETWORK_LEVELS }) level!: NetworkLevel;
  @ApiProperty({
    type: String,
    format: 'uuid',
    nullable: true,
    description: 'Null for a top-level network, and when the parent is not visible to you (a partner user sees only its assigned networks).',
  })
  parentId!: string | null;
  @ApiProperty() adminArea!: string;
  @ApiProperty({ type: LocationOutDto, nullable: true }) location!: LocationOutDto | null;
  @ApiProperty({ type: String, format: 'date' }) establishedOn!: string;
  @ApiProperty({ enum: NETWORK_STATUSES }) status!: NetworkStatus;
  @ApiProperty({ type: [String], description: 'Partners assigned to this network that are visible to you' }) partnerIds!: string[];
  @ApiProperty() version!: number;
  @ApiProperty({ type: String, format: 'date-time' }) createdAt!: string;
  @ApiProperty({ type: String, format: 'date-time' }) updatedAt!: string;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) archivedAt!: string | null;
}

export class NetworkPageDto {
  @ApiProperty({ type: [NetworkDto] }) data!: NetworkDto[];
  @ApiProperty({ type: String, nullable: true }) nextCursor!: string | null;
}
