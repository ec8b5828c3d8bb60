import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsObject, IsString, Length, ValidateNested } from 'class-validator';
import { NotInFuture } from '../../early-warning/dto/field-validators';
import { ApiDate, IsCalendarDate, Optional } from '../../common/validation/validators';
import { DISPUTE_STATUSES, DisputeStatus, REFERRAL_TARGETS, ReferralTarget } from '../dispute-enums';

export class ResolutionDto {
  @ApiProperty({ example: 'The plot is divided along the old wall; the northern family pays for the new stones.', description: 'May identify people: encrypted at rest, withheld from hq_analyst.' })
  @IsString()
  @Length(1, 10_000)
  terms!: string;

  @ApiDate('When the parties agreed; not before reportedOn and not in the future.')
  @IsCalendarDate()
  @NotInFuture()
  agreedOn!: string;

  @ApiPropertyOptional({ type: String, format: 'date', description: 'When the network checks the agreement holds; not before agreedOn.' })
  @Optional()
  @IsCalendarDate()
  followUpOn?: string;
}

export class ReferralDto {
  @ApiProperty({ enum: REFERRAL_TARGETS })
  @IsIn(REFERRAL_TARGETS)
  to!: ReferralTarget;

  @ApiPropertyOptional({ example: 'Case 2016/114, district court', description: 'The receiving institution\'s reference. May name people: encrypted at rest, withheld from hq_analyst.' })
  @Optional()
  @IsString()
  @Length(1, 200)
  reference?: string;
}

export class DisputeTransitionDto {
  @ApiProperty({
    enum: DISPUTE_STATUSES,
    description:
      'reported → in_mediation | referred | withdrawn; in_mediation → resolved | referred | escalated | withdrawn; escalated → in_mediation | referred; ' +
      'resolved | referred | withdrawn → closed. Anything else is 409.',
  })
  @IsIn(DISPUTE_STATUSES)
  to!: DisputeStatus;

  @ApiProperty({ example: 'Both families agreed to meet the elders on Friday.', description: 'Kept in history; may name people, so encrypted and withheld from hq_analyst.' })
  @IsString()
  @Length(1, 2_000)
  note!: string;

  @ApiPropertyOptional({
    enum: DISPUTE_STATUSES,
    description: 'The status the client saw. When given and the dispute has moved on, the request is refused with 409 (If-Match does the same with 412).',
  })
  @Optional()
  @IsIn(DISPUTE_STATUSES)
  from?: DisputeStatus;

  @ApiPropertyOptional({ type: ResolutionDto, description: 'Required to enter resolved, refused otherwise.' })
  @Optional()
  @IsObject()
  @ValidateNested()
  @Type(() => ResolutionDto)
  resolution?: ResolutionDto;

  @ApiPropertyOptional({ type: ReferralDto, description: 'Required to enter referred, refused otherwise.' })
  @Optional()
  @IsObject()
  @ValidateNested()
  @Type(() => ReferralDto)
  referral?: ReferralDto;
}
