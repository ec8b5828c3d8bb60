import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsString, Length } from 'class-validator';
import { WITHHELD } from '../../common/crypto/free-text';
import { IsCalendarDate, Optional, OptionalNullable } from '../../common/validation/validators';
import { NotInFuture } from '../../early-warning/dto/field-validators';

export class CreateMilestoneDto {
  @ApiProperty({ example: 'Help desk staffed five days a week', description: 'May name people: encrypted at rest, withheld from hq_analyst.' })
  @IsString()
  @Length(1, 2_000)
  description!: string;

  @OptionalNullable('When it should be achieved.')
  @IsCalendarDate()
  dueOn?: string | null;

  @OptionalNullable('When it was achieved; not in the future.')
  @IsCalendarDate()
  @NotInFuture()
  achievedOn?: string | null;
}

export class UpdateMilestoneDto {
  @ApiPropertyOptional()
  @Optional()
  @IsString()
  @Length(1, 2_000)
  description?: string;

  @OptionalNullable()
  @IsCalendarDate()
  dueOn?: string | null;

  @OptionalNullable('Not in the future; null clears it.')
  @IsCalendarDate()
  @NotInFuture()
  achievedOn?: string | null;
}

export class MilestoneDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ type: String, nullable: true, description: WITHHELD }) description!: string | null;
  @ApiProperty({ type: String, format: 'date', nullable: true }) dueOn!: string | null;
  @ApiProperty({ type: String, format: 'date', nullable: true }) achievedOn!: string | null;
  @ApiProperty() version!: number;
}
