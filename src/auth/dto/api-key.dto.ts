import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsIn, IsOptional, IsString, IsUUID, Length, Matches } from 'class-validator';
import { PageQueryDto } from '../../common/pagination/page-query.dto';
import { Role, ROLES } from '../principal';
import { COUNTRY_CODE } from '../principal-scope';

export class CreateApiKeyDto {
  @ApiProperty({ example: 'HQ reporting script' })
  @IsString()
  @Length(1, 200)
  name!: string;

  @ApiProperty({ enum: ROLES, description: 'The key acts with this role and scope.' })
  @IsIn(ROLES)
  role!: Role;

  @ApiPropertyOptional({ type: [String], example: ['IQ'], description: 'Required (one or more) for country_staff; not allowed for other roles.' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(60)
  @Matches(COUNTRY_CODE, { each: true, message: 'each value in countryCodes must be an ISO 3166-1 alpha-2 code (e.g. NP)' })
  countryCodes?: string[];

  @ApiPropertyOptional({ format: 'uuid', description: 'Required for partner; not allowed for other roles.' })
  @IsOptional()
  @IsUUID()
  partnerId?: string;
}

export class ListApiKeysQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ description: 'Include revoked keys.', default: false })
  @IsOptional()
  @Transform(({ value }) => (value === 'true' ? true : value === 'false' ? false : value))
  @IsIn([true, false], { message: 'includeRevoked must be true or false' })
  includeRevoked?: boolean;
}

/** A key as listed: never its secret or hash; `prefix` identifies it in logs and support calls. */
export class ApiKeyDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ example: '3f9a0c1b2d4e', description: 'Public part of the key (jsd_<prefix>_…).' }) prefix!: string;
  @ApiProperty({ enum: ROLES }) role!: Role;
  @ApiProperty({ type: [String] }) countryCodes!: string[];
  @ApiProperty({ format: 'uuid', nullable: true, type: String }) partnerId!: string | null;
  @ApiProperty({ format: 'uuid', nullable: true, type: String }) createdBy!: string | null;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) lastUsedAt!: string | null;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) revokedAt!: string | null;
  @ApiProperty() version!: number;
}

export class CreatedApiKeyDto extends ApiKeyDto {
  @ApiProperty({ example: 'jsd_3f9a0c1b2d4e_…', description: 'Shown once; send it as X-API-Key. Only its hash is stored.' })
  key!: string;
}

export class ApiKeyPageDto {
  @ApiProperty({ type: [ApiKeyDto] }) data!: ApiKeyDto[];
  @ApiProperty({ nullable: true, type: String }) nextCursor!: string | null;
}
