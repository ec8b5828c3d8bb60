import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { ArrayMaxSize, ArrayUnique, IsArray, IsBoolean, IsIn, IsInt, IsObject, IsOptional, IsString, IsUUID, Length, Max, MaxLength, Min, ValidateBy, ValidateNested } from 'class-validator';
import { WITHHELD } from '../../common/crypto/free-text';
import { PageQueryDto } from '../../common/pagination/page-query.dto';
import { ApiDate, IsCalendarDate, IsCountryCode, Optional, OptionalNullable } from '../../common/validation/validators';
import {
  ACTION_POINT_STATUSES, ActionPointStatus, ATTENDANCE_ROLES, AttendanceRole, MAX_ACTION_POINTS, MAX_ATTENDANCE, SESSION_KINDS, SESSION_TOPICS,
  SessionKind, SessionTopic,
} from '../field-work-enums';

/**
 * Not after today. Today is taken in the timezone furthest ahead of UTC (+14 h), so a session
 * logged in the evening in Kathmandu or Baghdad is never refused for being "tomorrow" in UTC.
 */
export function NotInFuture(): PropertyDecorator {
  return ValidateBy({
    name: 'notInFuture',
    validator: {
      validate: (value: unknown) => typeof value !== 'string' || value <= new Date(Date.now() + 14 * 3_600_000).toISOString().slice(0, 10),
      defaultMessage: () => '$property cannot be in the future',
    },
  });
}

export class AttendanceDto {
  @ApiPropertyOptional({ format: 'uuid', description: 'A participant (non-state actor); exactly one of participantId and policePartnerId.' })
  @Optional()
  @IsUUID()
  participantId?: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'A police partner (state actor); exactly one of participantId and policePartnerId.' })
  @Optional()
  @IsUUID()
  policePartnerId?: string;

  @ApiProperty({ enum: ATTENDANCE_ROLES })
  @IsIn(ATTENDANCE_ROLES)
  role!: AttendanceRole;
}

export class UnnamedAttendanceDto {
  @ApiProperty({ minimum: 0 }) @IsInt() @Min(0) @Max(100_000) women!: number;
  @ApiProperty({ minimum: 0 }) @IsInt() @Min(0) @Max(100_000) men!: number;
  @ApiProperty({ minimum: 0 }) @IsInt() @Min(0) @Max(100_000) youth!: number;
}

const NOT_FOR_HQ = 'null for hq_analyst, who reads no records of single people: exact counts of one session would undo the metrics\' disclosure control (docs/metrics.md).';

/** Unnamed attendance as a session answers it. */
export class UnnamedAttendanceCountsDto {
  @ApiProperty({ type: Number, nullable: true, description: NOT_FOR_HQ }) women!: number | null;
  @ApiProperty({ type: Number, nullable: true, description: NOT_FOR_HQ }) men!: number | null;
  @ApiProperty({ type: Number, nullable: true, description: NOT_FOR_HQ }) youth!: number | null;
}

export class CreateActionPointDto {
  @ApiProperty({ example: 'Ask the district police to open a help desk for women', description: 'May name people: encrypted at rest, withheld from hq_analyst.' })
  @IsString()
  @Length(1, 2000)
  description!: string;

  @OptionalNullable('YYYY-MM-DD')
  @IsCalendarDate()
  dueOn?: string | null;

  @ApiPropertyOptional({ enum: ACTION_POINT_STATUSES, default: 'open' })
  @Optional()
  @IsIn(ACTION_POINT_STATUSES)
  status?: ActionPointStatus;
}

export class UpdateActionPointDto {
  @ApiPropertyOptional()
  @Optional()
  @IsString()
  @Length(1, 2000)
  description?: string;

  @OptionalNullable('YYYY-MM-DD; null clears it')
  @IsCalendarDate()
  dueOn?: string | null;

  @ApiPropertyOptional({ enum: ACTION_POINT_STATUSES })
  @Optional()
  @IsIn(ACTION_POINT_STATUSES)
  status?: ActionPointStatus;
}

export class CreateSessionDto {
  @ApiProperty({ format: 'uuid' })
  @IsUUID()
  networkId!: string;

  @ApiProperty({ example: 'Monthly dialogue: police and displaced families', description: 'May name people: encrypted at rest, withheld from hq_analyst (as are place and summary).' })
  @IsString()
  @Length(1, 300)
  title!: string;

  @ApiProperty({ enum: SESSION_KINDS })
  @IsIn(SESSION_KINDS)
  kind!: SessionKind;

  @ApiDate('Not in the future')
  @IsCalendarDate()
  @NotInFuture()
  heldOn!: string;

  @OptionalNullable('Minutes, 1 to 10080')
  @IsInt()
  @Min(1)
  @Max(10_080)
  durationMinutes?: number | null;

  @OptionalNullable()
  @IsString()
  @MaxLength(300)
  place?: string | null;

  @OptionalNullable('A partner of the session\'s country visible to you')
  @IsUUID()
  facilitatorPartnerId?: string | null;

  @ApiPropertyOptional({ enum: SESSION_TOPICS, isArray: true, default: [] })
  @Optional()
  @IsArray()
  @ArrayMaxSize(SESSION_TOPICS.length)
  @ArrayUnique()
  @IsIn(SESSION_TOPICS, { each: true })
  topics?: SessionTopic[];

  @OptionalNullable()
  @IsString()
  @MaxLength(20_000)
  summary?: string | null;

  @ApiPropertyOptional({ type: [AttendanceDto], description: `Named attendance, each person at most once (up to ${MAX_ATTENDANCE}).` })
  @Optional()
  @IsArray()
  @ArrayMaxSize(MAX_ATTENDANCE)
  @ValidateNested({ each: true })
  @Type(() => AttendanceDto)
  attendance?: AttendanceDto[];

  @ApiPropertyOptional({ type: UnnamedAttendanceDto })
  @Optional()
  // Without IsObject a missing or scalar value passes ValidateNested and reaches the service.
  @IsObject({ message: '$property must be an object' })
  @ValidateNested()
  @Type(() => UnnamedAttendanceDto)
  unnamedAttendance?: UnnamedAttendanceDto;

  @ApiPropertyOptional({ type: [CreateActionPointDto], description: `Up to ${MAX_ACTION_POINTS}.` })
  @Optional()
  @IsArray()
  @ArrayMaxSize(MAX_ACTION_POINTS)
  @ValidateNested({ each: true })
  @Type(() => CreateActionPointDto)
  actionPoints?: CreateActionPointDto[];
}

/** The session's own fields; attendance and action points have their own writes. */
export class UpdateSessionDto {
  @ApiPropertyOptional()
  @Optional()
  @IsString()
  @Length(1, 300)
  title?: string;

  @ApiPropertyOptional({ enum: SESSION_KINDS })
  @Optional()
  @IsIn(SESSION_KINDS)
  kind?: SessionKind;

  @ApiPropertyOptional({ type: String, format: 'date' })
  @Optional()
  @IsCalendarDate()
  @NotInFuture()
  heldOn?: string;

  @OptionalNullable()
  @IsInt()
  @Min(1)
  @Max(10_080)
  durationMinutes?: number | null;

  @OptionalNullable()
  @IsString()
  @MaxLength(300)
  place?: string | null;

  @OptionalNullable()
  @IsUUID()
  facilitatorPartnerId?: string | null;

  @ApiPropertyOptional({ enum: SESSION_TOPICS, isArray: true })
  @Optional()
  @IsArray()
  @ArrayMaxSize(SESSION_TOPICS.length)
  @ArrayUnique()
  @IsIn(SESSION_TOPICS, { each: true })
  topics?: SessionTopic[];

  @OptionalNullable()
  @IsString()
  @MaxLength(20_000)
  summary?: string | null;

  @ApiPropertyOptional({ type: UnnamedAttendanceDto })
  @Optional()
  // Without IsObject a missing or scalar value passes ValidateNested and reaches the service.
  @IsObject({ message: '$property must be an object' })
  @ValidateNested()
  @Type(() => UnnamedAttendanceDto)
  unnamedAttendance?: UnnamedAttendanceDto;
}

const toBoolean = ({ value }: { value: unknown }) => (value === 'true' ? true : value === 'false' ? false : value);

export class ListSessionsQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ example: 'NP' }) @IsOptional() @IsCountryCode() countryCode?: string;
  @ApiPropertyOptional({ format: 'uuid' }) @IsOptional() @IsUUID() networkId?: string;
  @ApiPropertyOptional({ type: String, format: 'date', description: 'heldOn on or after' }) @IsOptional() @IsCalendarDate() from?: string;
  @ApiPropertyOptional({ type: String, format: 'date', description: 'heldOn on or before' }) @IsOptional() @IsCalendarDate() to?: string;
  @ApiPropertyOptional({ enum: SESSION_KINDS }) @IsOptional() @IsIn(SESSION_KINDS) kind?: SessionKind;
  @ApiPropertyOptional({ enum: SESSION_TOPICS }) @IsOptional() @IsIn(SESSION_TOPICS) topic?: SessionTopic;
  @ApiPropertyOptional({ format: 'uuid', description: 'Facilitating partner' }) @IsOptional() @IsUUID() partnerId?: string;

  @ApiPropertyOptional({ description: 'Only sessions with (true) or without (false) a police partner or other state actor attending' })
  @IsOptional()
  @Transform(toBoolean)
  @IsBoolean()
  hasStatePartner?: boolean;

  @ApiPropertyOptional({ default: false })
  @IsOptional()
  @Transform(toBoolean)
  @IsBoolean()
  includeArchived?: boolean;
}

export class AttendanceRecordDto {
  @ApiPropertyOptional({ format: 'uuid' }) participantId?: string;
  @ApiPropertyOptional({ format: 'uuid' }) policePartnerId?: string;
  @ApiProperty({ enum: ATTENDANCE_ROLES }) role!: AttendanceRole;
}

export class ActionPointDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ format: 'uuid' }) sessionId!: string;
  @ApiProperty({ type: String, nullable: true, description: WITHHELD }) description!: string | null;
  @ApiProperty({ type: String, format: 'date', nullable: true }) dueOn!: string | null;
  @ApiProperty({ enum: ACTION_POINT_STATUSES }) status!: ActionPointStatus;
  @ApiProperty() version!: number;
  @ApiProperty({ type: String, format: 'date-time' }) createdAt!: string;
  @ApiProperty({ type: String, format: 'date-time' }) updatedAt!: string;
}

class SessionFieldsDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ format: 'uuid' }) networkId!: string;
  @ApiProperty({ example: 'NP', description: 'The network\'s country' }) countryCode!: string;
  @ApiProperty({ type: String, nullable: true, description: WITHHELD }) title!: string | null;
  @ApiProperty({ enum: SESSION_KINDS }) kind!: SessionKind;
  @ApiProperty({ type: String, format: 'date' }) heldOn!: string;
  @ApiProperty({ type: Number, nullable: true }) durationMinutes!: number | null;
  @ApiProperty({ type: String, nullable: true, description: WITHHELD }) place!: string | null;
  @ApiProperty({ type: String, format: 'uuid', nullable: true }) facilitatorPartnerId!: string | null;
  @ApiProperty({ enum: SESSION_TOPICS, isArray: true }) topics!: SessionTopic[];
  @ApiProperty({ type: String, nullable: true, description: WITHHELD }) summary!: string | null;
  @ApiProperty({ type: UnnamedAttendanceCountsDto }) unnamedAttendance!: UnnamedAttendanceCountsDto;
  @ApiProperty() version!: number;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) archivedAt!: string | null;
  @ApiProperty({ type: String, format: 'date-time' }) createdAt!: string;
  @ApiProperty({ type: String, format: 'date-time' }) updatedAt!: string;
}

/** A full session: named attendance by pseudonymous ids only, never names. */
export class SessionDto extends SessionFieldsDto {
  @ApiProperty({ type: [AttendanceRecordDto] }) attendance!: AttendanceRecordDto[];
  @ApiProperty({ type: [ActionPointDto] }) actionPoints!: ActionPointDto[];
}

export class AttendanceCountsDto {
  @ApiProperty({ type: Number, nullable: true, description: `Named participants; ${NOT_FOR_HQ}` }) participants!: number | null;
  @ApiProperty({ type: Number, nullable: true, description: `Named police partners and other state actors; ${NOT_FOR_HQ}` }) policePartners!: number | null;
}

export class ActionPointCountsDto {
  @ApiProperty() open!: number;
  @ApiProperty() done!: number;
  @ApiProperty() dropped!: number;
}

/** A session in a list: counts instead of the full attendance and action points (GET /sessions/{id} has them). */
export class SessionSummaryDto extends SessionFieldsDto {
  @ApiProperty({ type: AttendanceCountsDto }) attendanceCounts!: AttendanceCountsDto;
  @ApiProperty({ type: ActionPointCountsDto }) actionPointCounts!: ActionPointCountsDto;
}

export class SessionPageDto {
  @ApiProperty({ type: [SessionSummaryDto] }) data!: SessionSummaryDto[];
  @ApiProperty({ type: String, nullable: true }) nextCursor!: string | null;
}

export class ListActionPointsQueryDto extends PageQueryDto {
  @ApiProperty({ format: 'uuid' }) @IsUUID() networkId!: string;
  @ApiPropertyOptional({ enum: ACTION_POINT_STATUSES }) @IsOptional() @IsIn(ACTION_POINT_STATUSES) status?: ActionPointStatus;
}

export class ActionPointListItemDto extends ActionPointDto {
  @ApiProperty({ format: 'uuid' }) networkId!: string;
  @ApiProperty({ type: String, format: 'date', description: 'When the session that agreed it was held' }) heldOn!: string;
  @ApiProperty({ type: String, nullable: true, description: WITHHELD }) sessionTitle!: string | null;
}

export class ActionPointPageDto {
  @ApiProperty({ type: [ActionPointListItemDto] }) data!: ActionPointListItemDto[];
  @ApiProperty({ type: String, nullable: true }) nextCursor!: string | null;
}
