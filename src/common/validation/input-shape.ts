import { FieldError, ProblemException } from '../problem/problem';

/**
 * Deeper than any body this API takes (a session's attendance is four levels down). Deeper input
 * is refused before class-transformer, whose recursive walk overflows the stack on deep arrays.
 */
export const MAX_JSON_DEPTH = 32;

/**
 * Limits on a body's shape, each above the largest request a client can legitimately send and far
 * below what it takes to stall the process. Validation (class-transformer, class-validator) costs
 * several microseconds per value, more with an error per value, and runs on the event loop: a 1 MB
 * login body of 95,000 keys took 5 s and answered 5 MB, a 100,000-value body within the old limits
 * still took 0.1-1.3 s. The widest request object has 12 fields, the longest arrays 500 items
 * (attendance, POST /sync operations, a partner's networks), the largest single record about 2,000
 * values (a session with 500 attendees and 100 action points).
 */
export const MAX_OBJECT_KEYS = 100;
export const MAX_ARRAY_ITEMS = 1_000;
export const MAX_JSON_VALUES = 10_000;
/** POST /sync carries up to 500 offline records at once: 45,000 values fit the default 1 MB body limit. */
export const BULK_JSON_VALUES = 100_000;
/**
 * Routes anyone may call (sign-in, refresh, sign-out) take one or two fields, and the sign-in body
 * is validated before anyone is authenticated: no more values than that, give or take.
 */
export const PUBLIC_JSON_VALUES = 64;

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

/**
 * Measures a JSON text's shape without building it, as it arrives: one pass over the bytes that
 * tracks the nesting and counts the items of each open object or array, and stops at the first
 * limit exceeded. It runs on the body while it is read, before JSON.parse, so a body that is too
 * wide or too deep is refused after its first offending kilobyte, without decoding the rest or
 * building a single object. It works on raw UTF-8: every byte of a multi-byte character is above
 * 0x7f, so none is mistaken for JSON punctuation. Malformed JSON is left to the parser that
 * follows; the scan only ever refuses what exceeds a limit.
 */
export class JsonShapeScanner {
  private readonly items = new Int32Array(MAX_JSON_DEPTH + 1);
  private readonly isObject = new Uint8Array(MAX_JSON_DEPTH + 1);
  private level = -1; // the innermost open object or array (0 is the outermost)
  private awaitingFirst = false; // it was just opened and holds nothing yet
  private values = 0;
  private inString = false;
  private escapePending = false; // a chunk ended on a backslash inside a string
  private malformed = false;

  constructor(private readonly maxValues = MAX_JSON_VALUES) {}

  /** The next bytes of the body: a problem once a limit is exceeded, else null. */
  push(chunk: Buffer): string | null {
    if (this.malformed) return null;
    const end = chunk.length;
    let i = 0;
    if (this.escapePending && end > 0) {
      this.escapePending = false;
      i = 1;
    }
    while (i < end) {
      if (this.inString) {
        // Jump to the next quote or backslash: indexOf runs natively, far faster than a loop.
        const quote = chunk.indexOf(0x22, i);
        const backslash = chunk.indexOf(0x5c, i);
        if (backslash !== -1 && (quote === -1 || backslash < quote)) {
          i = backslash + 2;
          if (i > end) this.escapePending = true;
          continue;
        }
        if (quote === -1) return null;
        this.inString = false;
        i = quote + 1;
        continue;
      }
      const c = chunk[i++];
      if (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09 || c === 0x3a) continue;
      if (c === 0x2c) {
        if (this.level < 0) return this.giveUp();
        const count = ++this.items[this.level];
        if (++this.values > this.maxValues) return `holds more than ${this.maxValues} values`;
        if (this.isObject[this.level] === 1 && count > MAX_OBJECT_KEYS) return `has an object with more than ${MAX_OBJECT_KEYS} fields`;
        if (this.isObject[this.level] === 0 && count > MAX_ARRAY_ITEMS) return `has an array with more than ${MAX_ARRAY_ITEMS} items`;
        continue;
      }
      if (c === 0x7d || c === 0x5d) {
        if (this.level < 0) return this.giveUp();
        this.level -= 1;
        this.awaitingFirst = false;
        continue;
      }
      // Anything else begins or continues a key or a value.
      if (this.awaitingFirst) {
        this.awaitingFirst = false;
        this.items[this.level] = 1;
        if (++this.values > this.maxValues) return `holds more than ${this.maxValues} values`;
      }
      if (c === 0x22) this.inString = true;
      else if (c === 0x7b || c === 0x5b) {
        if (this.level === MAX_JSON_DEPTH) return `is nested more than ${MAX_JSON_DEPTH} levels deep`;
        this.level += 1;
        this.items[this.level] = 0;
        this.isObject[this.level] = c === 0x7b ? 1 : 0;
        this.awaitingFirst = true;
      }
    }
    return null;
  }

  /** More closing brackets than opening ones: not JSON, which the parser will say. */
  private giveUp(): null {
    this.malformed = true;
    return null;
  }
}

/** The shape problem of a whole JSON text, if any. */
export function findJsonShapeProblem(text: string | Buffer, maxValues = MAX_JSON_VALUES): string | null {
  return new JsonShapeScanner(maxValues).push(typeof text === 'string' ? Buffer.from(text) : text);
}

/** The one short problem for a body beyond the shape limits (never an error per key). */
export function bodyShapeProblem(message: string): ProblemException {
  return new ProblemException(400, `The request body ${message}; no request this API takes is that large.`, {
    slug: 'validation',
    title: 'Validation failed',
    errors: [{ field: 'body', message }],
  });
}
