import { ValidationError, ValidationPipe } from '@nestjs/common';
import { FieldError, ProblemException } from '../problem/problem';
import { cacheValidationMetadata } from './validation-metadata-cache';

/**
 * Validates and transforms every body and query DTO. Unknown fields are rejected, never silently
 * dropped (api.md), and the problem lists every failed field by its path (`actionPoints[0].dueOn`).
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
      const fieldErrors = flatten(errors);
      return new ProblemException(400, `${fieldErrors.length} field(s) failed validation.`, {
        slug: 'validation',
        title: 'Validation failed',
        errors: fieldErrors,
      });
    },
  });
}

/** Validation errors as `{ field, message }` with paths like `actionPoints[0].dueOn` (also used by POST /sync). */
export function flatten(errors: ValidationError[], parent = ''): FieldError[] {
  return errors.flatMap((error) => {
    const isIndex = /^\d+$/.test(error.property);
    const field = parent ? (isIndex ? `${parent}[${error.property}]` : `${parent}.${error.property}`) : error.property;
    const own = Object.values(error.constraints ?? {}).map((message) => ({
      field,
      message: message.replace(/^property (\S+) should not exist$/, 'is not an allowed field'),
    }));
    return [...own, ...flatten(error.children ?? [], field)];
  });
}
