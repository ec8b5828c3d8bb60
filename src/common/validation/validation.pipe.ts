import { ValidationError, ValidationPipe } from '@nestjs/common';
import { FieldError, ProblemException } from '../problem/problem';
import { cacheValidationMetadata } from './validation-metadata-cache';

/**
 * At most this many failed fields are listed in one problem. A body can fail on every one of its
 * items (a thousand attendance entries of the wrong type): listing each made answers of megabytes.
 * The detail still says how many failed.
 */
export const MAX_LISTED_ERRORS = 20;

/**
 * Validates and transforms every body and query DTO. Unknown fields are rejected, never silently
 * dropped (api.md), and the problem lists the failed fields by their path (`actionPoints[0].dueOn`).
 */
export function createValidationPipe(): ValidationPipe {
  cacheValidationMetadata();
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    forbidUnknownValues: true,
    validationError: { target: false, value: false },
    exceptionFactory: (errors) => {
      const counted = { total: 0 };
      const fieldErrors = flatten(errors, '', MAX_LISTED_ERRORS, counted);
      const listed = counted.total > fieldErrors.length ? `; the first ${fieldErrors.length} are listed` : '';
      return new ProblemException(400, `${counted.total} field(s) failed validation${listed}.`, {
        slug: 'validation',
        title: 'Validation failed',
        errors: fieldErrors,
      });
    },
  });
}

/**
 * Validation errors as `{ field, message }` with paths like `actionPoints[0].dueOn` (also used by
 * POST /sync): at most `limit` of them, while `counted.total` counts them all.
 */
export function flatten(errors: ValidationError[], parent = '', limit = Infinity, counted = { total: 0 }): FieldError[] {
  const out: FieldError[] = [];
  const walk = (list: ValidationError[], prefix: string) => {
    for (const error of list) {
      const isIndex = /^\d+$/.test(error.property);
      const field = prefix ? (isIndex ? `${prefix}[${error.property}]` : `${prefix}.${error.property}`) : error.property;
      for (const message of Object.values(error.constraints ?? {})) {
        counted.total += 1;
        if (out.length < limit) out.push({ field, message: message.replace(/^property (\S+) should not exist$/, 'is not an allowed field') });
      }
      walk(error.children ?? [], field);
    }
  };
  walk(errors, parent);
  return out;
}
