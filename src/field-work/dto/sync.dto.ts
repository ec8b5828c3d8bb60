import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayMinSize, ArrayUnique, IsArray, IsIn, IsInt, IsObject, IsString, IsUUID, MaxLength, Min, ValidateNested } from 'class-validator';
import { Type } from 'class-transformer';
import { ProblemSchema } from '../../common/openapi/api-problems.decorator';
import { Optional } from '../../common/validation/validators';
import { MAX_SYNC_OPERATIONS } from '../field-work-enums';
import type { SyncMethod } from '../sync-registry';

export class SyncOperationDto {
  @ApiProperty({ format: 'uuid', description: 'Chosen by the client; the operation is applied at most once per caller and clientId.' })
  @IsUUID()
  clientId!: string;

  @ApiProperty({ example: 'sessions', description: 'Supported now: sessions (POST, PATCH), action-points (PATCH).' })
  @IsString()
  @MaxLength(50)
  resource!: string;

  @ApiProperty({ enum: ['POST', 'PATCH'] })
  @IsIn(['POST', 'PATCH'])
  method!: SyncMethod;

  @ApiProperty({ type: 'object', additionalProperties: true, description: 'The body the HTTP route takes, validated the same way.' })
  @IsObject()
  body!: Record<string, unknown>;

  @ApiPropertyOptional({ format: 'uuid', description: 'PATCH: the record to change.' })
  @Optional()
  @IsUUID()
  id?: string;

  @ApiPropertyOptional({ description: 'PATCH: the version the offline change was based on. A changed record is a conflict, never overwritten.' })
  @Optional()
  @IsInt()
  @Min(1)
  version?: number;
}

export class SyncRequestDto {
  @ApiProperty({ type: [SyncOperationDto], maxItems: MAX_SYNC_OPERATIONS })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(MAX_SYNC_OPERATIONS)
  @ArrayUnique((op: SyncOperationDto) => op?.clientId, { message: 'clientId must be unique within a batch' })
  @ValidateNested({ each: true })
  @Type(() => SyncOperationDto)
  operations!: SyncOperationDto[];
}

export class SyncResultDto {
  @ApiProperty({ format: 'uuid' }) clientId!: string;
  @ApiProperty({ example: 201, description: 'What the HTTP route would have answered: 201, 200, 400, 404, 409 …' }) status!: number;
  @ApiPropertyOptional({ format: 'uuid', description: 'The record created or changed.' }) id?: string;
  @ApiPropertyOptional({ description: 'True when this operation had been applied by an earlier upload: its stored result is returned.' }) replayed?: boolean;
  @ApiPropertyOptional({ type: ProblemSchema }) problem?: ProblemSchema;
  @ApiPropertyOptional({ type: 'object', additionalProperties: true, description: 'With a version conflict: the record as it is now on the server.' })
  current?: unknown;
}

export class SyncResponseDto {
  @ApiProperty({ type: [SyncResultDto], description: 'One result per operation, in input order.' }) results!: SyncResultDto[];
}
