import { ApiProperty } from '@nestjs/swagger';
import { IsString, Matches, ValidateBy } from 'class-validator';

/**
 * Money is a decimal string with at most 2 decimals and an ISO 4217 code; it is never a JS
 * number. Columns are numeric(14,2) and every sum or difference is computed by PostgreSQL, so
 * no arithmetic on money happens in Node at all (0.10 + 0.20 is exactly 0.30).
 */
export const MONEY_PATTERN = /^(0|[1-9]\d{0,11})(\.\d{1,2})?$/;
/** numeric(14,2) holds 12 integer digits; a budget of a trillion is a typo, not a grant. */
export const MAX_MONEY = '999999999999.99';

/** ISO 4217 codes known to the runtime's ICU data (XOF, IQD, NPR, …). */
const CURRENCIES = new Set(Intl.supportedValuesOf('currency'));

function PositiveAmount(): PropertyDecorator {
  return ValidateBy({
    name: 'positiveAmount',
    validator: {
      validate: (value: unknown) => typeof value === 'string' && MONEY_PATTERN.test(value) && /[1-9]/.test(value),
      defaultMessage: () => `$property must be a decimal string greater than 0 with at most 2 decimals and at most ${MAX_MONEY}, e.g. "1250.00"`,
    },
  });
}

function IsCurrencyCode(): PropertyDecorator {
  return ValidateBy({
    name: 'isCurrencyCode',
    validator: {
      validate: (value: unknown) => typeof value === 'string' && /^[A-Z]{3}$/.test(value) && CURRENCIES.has(value),
      defaultMessage: () => '$property must be an ISO 4217 currency code in upper case, e.g. USD',
    },
  });
}

export class MoneyDto {
  @ApiProperty({ example: '1250.00', pattern: MONEY_PATTERN.source, description: 'Decimal string, > 0, at most 2 decimals; never a number.' })
  @IsString({ message: '$property must be a decimal string such as "1250.00", not a number' })
  @PositiveAmount()
  amount!: string;

  @ApiProperty({ example: 'USD', pattern: '^[A-Z]{3}$', description: 'ISO 4217' })
  @Matches(/^[A-Z]{3}$/, { message: '$property must be three upper-case letters (ISO 4217)' })
  @IsCurrencyCode()
  currency!: string;
}

/** A money value as answered: the amount as PostgreSQL formats numeric(14,2), e.g. "0.30". */
export class MoneyOutDto {
  @ApiProperty({ example: '1250.00' }) amount!: string;
  @ApiProperty({ example: 'USD' }) currency!: string;
}
