import { FieldError, ProblemException } from '../problem/problem';

/**
 * Deeper than any body this API takes (a session's attendance is four levels down). Deeper input
 * is refused before class-transformer, whose recursive walk overflows the stack on deep arrays.
 */
export const MAX_JSON_DEPTH = 32;

/**
 * Strings PostgreSQL cannot store: NUL is refused by `text`, and a lone UTF-16 surrogate (valid
 * in JSON as "\ud800") is refused by `jsonb` when the value reaches the audit log's `changes`.
 */
// With the `u` flag a surrogate pair is one code point, so \p{Cs} matches only lone surrogates.
const LONE_SURROGATE = /\p{Cs}/u;
const unstorable = (text: string) => text.includes('\u0000') || LONE_SURROGATE.test(text);

/**
 * Finds the first part of a request input (body, query or path parameters) that no handler can
 * process: nesting beyond MAX_JSON_DEPTH, or a string or key PostgreSQL cannot store. The walk is
 * iterative so that the check itself cannot overflow the stack on hostile input.
 */
export function findUnsafeInput(value: unknown, root: string): FieldError | null {
  const stack: { value: unknown; path: string; depth: number }[] = [{ value, path: root, depth: 0 }];
  while (stack.length > 0) {
    const item = stack.pop()!;
    if (typeof item.value === 'string') {
      if (unstorable(item.value)) return { field: item.path, message: 'contains a NUL character or invalid Unicode' };
      continue;
    }
    if (item.value === null || typeof item.value !== 'object') continue;
    if (item.depth > MAX_JSON_DEPTH) return { field: item.path, message: `is nested more than ${MAX_JSON_DEPTH} levels deep` };
    for (const [key, child] of Object.entries(item.value)) {
      if (unstorable(key)) return { field: item.path, message: 'has a field name with a NUL character or invalid Unicode' };
      const path = Array.isArray(item.value) ? `${item.path}[${key}]` : item.path ? `${item.path}.${key}` : key;
      stack.push({ value: child, path, depth: item.depth + 1 });
    }
  }
  return null;
}

/** Throws the validation problem for the first unsafe part of a request's inputs. */
export function assertSafeInput(inputs: { body?: unknown; query?: unknown; params?: unknown }): void {
  for (const [name, value] of Object.entries(inputs)) {
    const error = findUnsafeInput(value, '');
    if (error) {
      if (!error.field) error.field = name;
      throw new ProblemException(400, '1 field(s) failed validation.', { slug: 'validation', title: 'Validation failed', errors: [error] });
    }
  }
}

/**
 * Every request body this API takes is a JSON object. A bare `null`, number, string or boolean
 * (valid JSON) would pass the validation pipe untouched (it skips null and undefined) and reach a
 * service as its DTO, failing there as a 500; refuse it here with a 400. No body at all is left to
 * the routes that take none.
 */
export function assertObjectBody(body: unknown): void {
  if (body === undefined || (typeof body === 'object' && body !== null)) return;
  throw new ProblemException(400, 'The request body must be a JSON object.', {
    slug: 'validation',
    title: 'Validation failed',
    errors: [{ field: 'body', message: 'must be a JSON object' }],
  });
}
