import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsEmail,
  IsIn,
  IsOptional,
  IsString,
  IsUUID,
  Length,
  Matches,
  MaxLength,
  MinLength,
  ValidateIf,
} from 'class-validator';
import { PageQueryDto } from '../../common/pagination/page-query.dto';
import { Role, ROLES } from '../principal';
import { COUNTRY_CODE } from '../principal-scope';
import { USER_STATUSES, UserStatus } from '../user.entity';

const lower = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim().toLowerCase() : value);

export class CreateUserDto {
  @ApiProperty({ example: 'staff@example.org', description: 'Stored in lower case; unique.' })
  @Transform(lower)
  @IsEmail()
  @MaxLength(254)
  email!: string;

  @ApiProperty({ format: 'password', minLength: 12, maxLength: 256 })
  @IsString()
  @MinLength(12)
  @MaxLength(256)
  password!: string;

  @ApiProperty({ example: 'Amina K.' })
  @IsString()
  @Length(1, 200)
  displayName!: string;

  @ApiProperty({ enum: ROLES })
  @IsIn(ROLES)
  role!: Role;

  @ApiPropertyOptional({ type: [String], example: ['NP'], description: 'Required (one or more) for country_staff; not allowed for other roles.' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(60)
  @Matches(COUNTRY_CODE, { each: true, message: 'each value in countryCodes must be an ISO 3166-1 alpha-2 code (e.g. NP)' })
  countryCodes?: string[];

  @ApiPropertyOptional({ format: 'uuid', description: 'Required for partner; not allowed for other roles.' })
  @IsOptional()
  @IsUUID()
  partnerId?: string;

  @ApiPropertyOptional({ enum: USER_STATUSES, default: 'active' })
  @IsOptional()
  @IsIn(USER_STATUSES)
  status?: UserStatus;
}

/** Every field optional; the merged result must still be a valid user (role and scope agree). */
export class UpdateUserDto {
  @ApiPropertyOptional()
  @IsOptional()
  @Transform(lower)
  @IsEmail()
  @MaxLength(254)
  email?: string;

  @ApiPropertyOptional({ format: 'password', minLength: 12, maxLength: 256, description: 'Re-hashed; ends the user\'s sessions.' })
  @IsOptional()
  @IsString()
  @MinLength(12)
  @MaxLength(256)
  password?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @Length(1, 200)
  displayName?: string;

  @ApiPropertyOptional({ enum: ROLES })
  @IsOptional()
  @IsIn(ROLES)
  role?: Role;

  @ApiPropertyOptional({ type: [String] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(60)
  @Matches(COUNTRY_CODE, { each: true, message: 'each value in countryCodes must be an ISO 3166-1 alpha-2 code (e.g. NP)' })
  countryCodes?: string[];

  @ApiPropertyOptional({ format: 'uuid', nullable: true, type: String })
  @IsOptional()
  @ValidateIf((_, value) => value !== null)
  @IsUUID()
  partnerId?: string | null;

  @ApiPropertyOptional({ enum: USER_STATUSES, description: 'disabled ends the user\'s sessions and refuses their tokens at once.' })
  @IsOptional()
  @IsIn(USER_STATUSES)
  status?: UserStatus;
}

export class ListUsersQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ enum: ROLES })
  @IsOptional()
  @IsIn(ROLES)
  role?: Role;

  @ApiPropertyOptional({ enum: USER_STATUSES })
  @IsOptional()
  @IsIn(USER_STATUSES)
  status?: UserStatus;
}

/** A user as the API shows it: never the password hash, nor the login-failure bookkeeping. */
export class UserDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() email!: string;
  @ApiProperty() displayName!: string;
  @ApiProperty({ enum: ROLES }) role!: Role;
  @ApiProperty({ type: [String] }) countryCodes!: string[];
  @ApiProperty({ format: 'uuid', nullable: true, type: String }) partnerId!: string | null;
  @ApiProperty({ enum: USER_STATUSES }) status!: UserStatus;
  @ApiProperty({ format: 'date-time', nullable: true, type: String, description: 'Set while sign-in is locked after repeated failures.' })
  lockedUntil!: string | null;
  @ApiProperty() version!: number;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiProperty({ format: 'date-time' }) updatedAt!: string;
}

export class UserPageDto {
  @ApiProperty({ type: [UserDto] }) data!: UserDto[];
  @ApiProperty({ nullable: true, type: String }) nextCursor!: string | null;
}
