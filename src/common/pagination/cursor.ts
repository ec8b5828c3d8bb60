import { createHmac, createSecretKey, hkdfSync, KeyObject, timingSafeEqual } from 'node:crypto';
import { ObjectLiteral, SelectQueryBuilder } from 'typeorm';
import { ProblemException } from '../problem/problem';
import { DEFAULT_PAGE_SIZE, Page, PageQueryDto } from './page-query.dto';

type SortValue = string | number;

/**
 * Cursors are signed (HMAC-SHA-256, 128 bits kept) with a key derived from the server's secret, so
 * a cursor is one this server issued or a 400: a hand-made one (`["x","y"]` in base64) used to
 * reach the keyset condition and fail there as a 500, when PostgreSQL could not read "x" as a date
 * or a uuid. Set once at start-up (createApp); rotating the secret ends the paging in progress.
 */
let signingKey: KeyObject | undefined;

export function useCursorSecret(secret: string): void {
  // A KeyObject: an HMAC keyed with raw bytes cost 12 µs (the key is imported each time), this 2 µs.
  signingKey = createSecretKey(Buffer.from(hkdfSync('sha256', secret, '', 'jsd pagination cursor', 32)));
}

/** The signature as text (base64url), compared as text: no second spelling of it is accepted. */
function signatureOf(payload: string): string {
  if (!signingKey) throw new Error('pagination cursors are not keyed: call useCursorSecret() at start-up');
  return createHmac('sha256', signingKey).update(payload).digest().subarray(0, 16).toString('base64url');
}

export function encodeCursor(values: SortValue[]): string {
  const payload = Buffer.from(JSON.stringify(values)).toString('base64url');
  return `${payload}.${signatureOf(payload)}`;
}

export function decodeCursor(cursor: string, arity: number): SortValue[] {
  const [payload, signature, ...rest] = cursor.split('.');
  const expected = Buffer.from(signatureOf(payload));
  const given = Buffer.from(signature ?? '');
  if (rest.length === 0 && given.length === expected.length && timingSafeEqual(given, expected)) {
    try {
      const values: unknown = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
      if (Array.isArray(values) && values.length === arity && values.every((v) => typeof v === 'string' || typeof v === 'number')) {
        return values as SortValue[];
      }
    } catch {
      // fall through to the problem below
    }
  }
  throw new ProblemException(400, 'The cursor is not one this server issued.', {
    slug: 'validation',
    title: 'Validation failed',
    errors: [{ field: 'cursor', message: 'is not a valid cursor' }],
  });
}

export interface KeysetOptions<T> {
  /** SQL expression of the sort key, e.g. `u.created_at`; ties are broken by `tieBreaker`. */
  sortExpression: string;
  /** Unique column, e.g. `u.id`. */
  tieBreaker: string;
  direction?: 'ASC' | 'DESC';
  /** Reads the sort key and the tie-breaker off an entity, to build the next cursor. */
  keyOf: (row: T) => [SortValue, SortValue];
}

/**
 * Keyset (cursor) pagination: a stable order on (sort key, unique tie-breaker), so inserts
 * between pages never repeat or skip rows, and no OFFSET scans.
 */
export async function paginate<T extends ObjectLiteral>(
  qb: SelectQueryBuilder<T>,
  query: PageQueryDto,
  options: KeysetOptions<T>,
): Promise<Page<T>> {
  const limit = applyKeyset(qb, query, options);
  return pageOf(await qb.getMany(), limit, options.keyOf);
}

/** The keyset of one page as SQL: the cursor condition (if any), the order and the limit. */
export interface KeysetClause {
  /** `(sort, tie) < (:__sort, :__tie)` after the first page, else null. */
  condition: { sql: string; params: Record<string, SortValue> } | null;
  orderBy: string;
  /** The page size; the query asks for one row more, which only says there is a next page. */
  limit: number;
}

export function keysetClause(query: PageQueryDto, options: Omit<KeysetOptions<never>, 'keyOf'>): KeysetClause {
  const limit = query.limit ?? DEFAULT_PAGE_SIZE;
  const direction = options.direction ?? 'ASC';
  let condition: KeysetClause['condition'] = null;
  if (query.cursor) {
    const [sortValue, tie] = decodeCursor(query.cursor, 2);
    const op = direction === 'ASC' ? '>' : '<';
    condition = { sql: `(${options.sortExpression}, ${options.tieBreaker}) ${op} (:__sort, :__tie)`, params: { __sort: sortValue, __tie: tie } };
  }
  return { condition, orderBy: `${options.sortExpression} ${direction}, ${options.tieBreaker} ${direction}`, limit };
}

/**
 * The keyset half of paginate() for a query read some other way (raw rows, a wrapping query):
 * adds the cursor condition, the order and `limit + 1`, and returns the limit for pageOf().
 */
export function applyKeyset<T extends ObjectLiteral>(
  qb: SelectQueryBuilder<T>,
  query: PageQueryDto,
  options: Omit<KeysetOptions<never>, 'keyOf'>,
): number {
  const { condition, limit } = keysetClause(query, options);
  const direction = options.direction ?? 'ASC';
  if (condition) qb.andWhere(condition.sql, condition.params);
  qb.orderBy(options.sortExpression, direction).addOrderBy(options.tieBreaker, direction).take(undefined).limit(limit + 1);
  return limit;
}

/** A page from the `limit + 1` rows applyKeyset() asked for: the extra row only says there is more. */
export function pageOf<R>(rows: R[], limit: number, keyOf: (row: R) => [SortValue, SortValue]): Page<R> {
  const hasMore = rows.length > limit;
  const data = hasMore ? rows.slice(0, limit) : rows;
  return { data, nextCursor: hasMore ? encodeCursor(keyOf(data[data.length - 1])) : null };
}
