import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsISO8601, Matches, ValidateIf } from 'class-validator';

/** A `YYYY-MM-DD` calendar date that exists (2026-02-30 is refused). */
export function IsCalendarDate(): PropertyDecorator {
  return applyDecorators(
    Matches(/^\d{4}-\d{2}-\d{2}$/, { message: '$property must be a date as YYYY-MM-DD' }),
    IsISO8601({ strict: true, strictSeparator: true }, { message: '$property must be a real calendar date' }),
  );
}

/** ISO 3166-1 alpha-2, upper case. */
export function IsCountryCode(): PropertyDecorator {
  return Matches(/^[A-Z]{2}$/, { message: '$property must be an ISO 3166-1 alpha-2 code such as NP' });
}

/**
 * May be left out, but not sent as null (class-validator's IsOptional would let null through to a
 * NOT NULL column; mapped-types' PartialType adds IsOptional, so PATCH DTOs are written out).
 */
export function Optional(): PropertyDecorator {
  return ValidateIf((_, value) => value !== undefined);
}

/** May be left out, or sent as null to clear the field. */
export function OptionalNullable(description?: string): PropertyDecorator {
  return applyDecorators(ValidateIf((_, value) => value !== undefined && value !== null), ApiPropertyOptional({ nullable: true, description }));
}

export const ApiDate = (description?: string) => ApiProperty({ type: String, format: 'date', example: '2016-07-01', description });
