import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsIn, IsOptional, IsUUID, Matches } from 'class-validator';
import { IsCalendarDate } from '../../common/validation/validators';
import { GROUP_BYS, GroupBy, ImpactQuery } from '../impact-metrics.model';

/** `countryCode=IQ,NP` or `countryCode=IQ&countryCode=NP`: both are natural in a query string. */
const toList = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.split(',').map((v) => v.trim()) : value);

export class ImpactMetricsQueryDto {
  @ApiPropertyOptional({
    type: String,
    example: 'IQ,NP',
    description: 'One or more ISO 3166-1 alpha-2 codes, comma-separated or repeated. A country outside your scope (or unknown) is 404.',
  })
  @IsOptional()
  @Transform(toList)
  @IsArray({ message: '$property must be a list of country codes' })
  @ArrayMinSize(1)
  @ArrayMaxSize(50)
  @Matches(/^[A-Z]{2}$/, { each: true, message: '$property must hold ISO 3166-1 alpha-2 codes such as NP' })
  countryCode?: string[];

  @ApiPropertyOptional({ format: 'uuid', description: 'One network; outside your scope (or unknown) is 404.' })
  @IsOptional()
  @IsUUID()
  networkId?: string;

  @ApiPropertyOptional({ type: String, format: 'date', example: '2015-01-01', description: 'First day counted (inclusive).' })
  @IsOptional()
  @IsCalendarDate()
  from?: string;

  @ApiPropertyOptional({ type: String, format: 'date', example: '2016-12-31', description: 'Last day counted (inclusive); not before from.' })
  @IsOptional()
  @IsCalendarDate()
  to?: string;

  @ApiPropertyOptional({ enum: GROUP_BYS, description: 'One row per group; without it, one row for the whole filter.' })
  @IsOptional()
  @IsIn(GROUP_BYS)
  groupBy?: GroupBy;
}

export function toImpactQuery(dto: ImpactMetricsQueryDto): ImpactQuery {
  return { countryCodes: dto.countryCode, networkId: dto.networkId, from: dto.from, to: dto.to, groupBy: dto.groupBy };
}
