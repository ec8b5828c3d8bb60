import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean, IsOptional, IsString, Length, MaxLength } from 'class-validator';
import { PageQueryDto } from '../../common/pagination/page-query.dto';
import { IsCalendarDate, IsCountryCode, Optional, OptionalNullable } from '../../common/validation/validators';

export class CreateCountryDto {
  @ApiProperty({ example: 'NP', description: 'ISO 3166-1 alpha-2' })
  @IsCountryCode()
  code!: string;

  @ApiProperty({ example: 'Nepal' })
  @IsString()
  @Length(2, 100)
  name!: string;

  @ApiProperty({ example: 'South Asia' })
  @IsString()
  @Length(2, 100)
  region!: string;

  @OptionalNullable('When the programme began in this country (YYYY-MM-DD).')
  @IsCalendarDate()
  programmeStartedOn?: string | null;
}

export class UpdateCountryDto {
  @ApiPropertyOptional({ example: 'Nepal' })
  @Optional()
  @IsString()
  @Length(2, 100)
  name?: string;

  @ApiPropertyOptional({ example: 'South Asia' })
  @Optional()
  @IsString()
  @Length(2, 100)
  region?: string;

  @OptionalNullable('Set to null to clear.')
  @IsCalendarDate()
  programmeStartedOn?: string | null;
}

export class ListCountriesQueryDto extends PageQueryDto {
  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(100)
  region?: string;

  @ApiPropertyOptional({ default: false })
  @IsOptional()
  @Transform(({ value }) => (value === 'true' ? true : value === 'false' ? false : value))
  @IsBoolean()
  includeArchived?: boolean;
}

export class CountryDto {
  @ApiProperty({ example: 'NP' }) code!: string;
  /** Same as code: lets generic clients (and the ETag interceptor) treat every record alike. */
  @ApiProperty({ example: 'NP' }) id!: string;
  @ApiProperty() name!: string;
  @ApiProperty() region!: string;
  @ApiProperty({ type: String, format: 'date', nullable: true }) programmeStartedOn!: string | null;
  @ApiProperty() version!: number;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) archivedAt!: string | null;
  @ApiProperty({ type: String, format: 'date-time' }) createdAt!: string;
  @ApiProperty({ type: String, format: 'date-time' }) updatedAt!: string;
}

export class CountryPageDto {
  @ApiProperty({ type: [CountryDto] }) data!: CountryDto[];
  @ApiProperty({ type: String, nullable: true }) nextCursor!: string | null;
}
