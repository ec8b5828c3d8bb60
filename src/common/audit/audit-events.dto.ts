import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsISO8601, IsOptional, IsString, IsUUID, MaxLength } from 'class-validator';
import { PageQueryDto } from '../pagination/page-query.dto';

export class ListAuditEventsQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ example: 'country', description: 'Resource name, e.g. user, country, api_key' })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  entity?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(128)
  entityId?: string;

  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID()
  actorId?: string;

  @ApiPropertyOptional({ example: 'update' })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  action?: string;

  @ApiPropertyOptional({ enum: ['user', 'api_key', 'system'] })
  @IsOptional()
  @IsIn(['user', 'api_key', 'system'])
  actorKind?: string;

  @ApiPropertyOptional({ description: 'Inclusive lower bound: a date (YYYY-MM-DD) or an instant with offset' })
  @IsOptional()
  @IsISO8601({ strict: true })
  from?: string;

  @ApiPropertyOptional({ description: 'Exclusive upper bound: a date (YYYY-MM-DD) or an instant with offset' })
  @IsOptional()
  @IsISO8601({ strict: true })
  to?: string;
}

export class AuditActorDto {
  @ApiProperty({ enum: ['user', 'api_key', 'system'] }) kind!: string;
  @ApiProperty({ nullable: true, format: 'uuid', type: String }) id!: string | null;
  @ApiProperty({ nullable: true, type: String }) role!: string | null;
}

export class AuditEventDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ description: 'Position in the hash chain' }) seq!: string;
  @ApiProperty({ format: 'date-time' }) occurredAt!: string;
  @ApiProperty({ type: AuditActorDto }) actor!: AuditActorDto;
  @ApiProperty() action!: string;
  @ApiProperty() entity!: string;
  @ApiProperty() entityId!: string;
  @ApiProperty({ description: 'Changed fields: { field: { from, to } }; personal data shows as "[redacted]"', type: Object })
  changes!: Record<string, unknown>;
  @ApiProperty({ nullable: true, type: String }) requestId!: string | null;
  @ApiProperty() hash!: string;
}

export class AuditEventPageDto {
  @ApiProperty({ type: [AuditEventDto] }) data!: AuditEventDto[];
  @ApiProperty({ type: String, nullable: true }) nextCursor!: string | null;
}
