import { ValidateBy } from 'class-validator';

/**
 * Today's date where it is latest on Earth (UTC+14): a field office east of Greenwich may record
 * "today" while it is still yesterday in UTC, and that must not read as the future.
 */
export function latestDateOnEarth(now = new Date()): string {
  return new Date(now.getTime() + 14 * 3600_000).toISOString().slice(0, 10);
}

/** A `YYYY-MM-DD` that is not after today (checked after IsCalendarDate). */
export function NotInFuture(): PropertyDecorator {
  return ValidateBy({
    name: 'notInFuture',
    validator: {
      validate: (value: unknown) => typeof value !== 'string' || value <= latestDateOnEarth(),
      defaultMessage: () => '$property cannot be in the future',
    },
  });
}

export const PERIOD_PATTERN = /^\d{4}-(0[1-9]|1[0-2])$/;

/** A `YYYY-MM` month that exists and has begun (a value for a month not yet started is a typo). */
export function IsPeriod(): PropertyDecorator {
  return ValidateBy({
    name: 'isPeriod',
    validator: {
      validate: (value: unknown) => typeof value === 'string' && PERIOD_PATTERN.test(value) && value >= '1900-01' && value <= latestDateOnEarth().slice(0, 7),
      defaultMessage: () => '$property must be a month as YYYY-MM (01–12), not in the future',
    },
  });
}
