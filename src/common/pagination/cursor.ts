import { createHmac, createSecretKey, hkdfSync, KeyObject, timingSafeEqual } from 'node:crypto';
import { ObjectLiteral, SelectQueryBuilder } from 'typeorm';
import { canonicalJson } from '../audit/audit-chain';
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

/** Query parameters that move along a list rather than choose it. */
const PAGING_PARAMS = new Set(['cursor', 'limit']);

/**
 * The cursor of one list, as asked with one set of filters. The signature covers the list's name
 * and its filters as well as the sort values, so a cursor is only ever read back by the list and
 * filters that issued it: a cursor of another list (whose sort values are a name where this list
 * sorts by date, say) used to reach the keyset condition and fail as a 500, and one carried over
 * to other filters would page through rows it never came from. Both are now a 400 on `cursor`.
 * There is no other way to make or read a cursor, so a new list cannot forget to bind its own.
 */
export class ListCursor {
  private scopeText?: string;

  /**
   * `list` names the endpoint (its route, e.g. `GET /networks/:id/links`), unique among lists;
   * `params` are its path parameters, which choose rows as much as the query's filters do.
   */
  constructor(
    private readonly list: string,
    private readonly query: PageQueryDto,
    private readonly params: Record<string, string> = {},
  ) {}

  get limit(): number {
    return this.query.limit ?? DEFAULT_PAGE_SIZE;
  }

  /** The sort values the page continues after, or null on the first page; a 400 for a cursor this list did not issue. */
  after(arity: number): SortValue[] | null {
    const cursor = this.query.cursor;
    if (cursor === undefined) return null;
    const [payload, signature, ...rest] = cursor.split('.');
    const expected = Buffer.from(this.sign(payload));
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
    throw new ProblemException(400, 'The cursor was not issued by this list with these filters; start again from the first page.', {
      slug: 'validation',
      title: 'Validation failed',
      errors: [{ field: 'cursor', message: 'is not a cursor of this list with these filters' }],
    });
  }

  /** The cursor that continues after a row with these sort values. */
  next(values: SortValue[]): string {
    const payload = Buffer.from(JSON.stringify(values)).toString('base64url');
    return `${payload}.${this.sign(payload)}`;
  }

  /** A page from the `limit + 1` rows asked for: the extra row only says there is more. */
  page<R>(rows: R[], keyOf: (row: R) => SortValue[]): Page<R> {
    const limit = this.limit;
    const hasMore = rows.length > limit;
    const data = hasMore ? rows.slice(0, limit) : rows;
    return { data, nextCursor: hasMore ? this.next(keyOf(data[data.length - 1])) : null };
  }

  /** The signature as text (base64url), compared as text: no second spelling of it is accepted. */
  private sign(payload: string): string {
    if (!signingKey) throw new Error('pagination cursors are not keyed: call useCursorSecret() at start-up');
    // The payload is base64url (no "."), so the boundary between it and the scope is unambiguous.
    return createHmac('sha256', signingKey).update(`${payload}.${this.scope()}`).digest().subarray(0, 16).toString('base64url');
  }

  private scope(): string {
    if (this.scopeText === undefined) {
      const filters: Record<string, unknown> = {};
      for (const [name, value] of Object.entries(this.query)) if (!PAGING_PARAMS.has(name)) filters[name] = value;
      this.scopeText = `${this.list}\n${canonicalJson(this.params)}\n${canonicalJson(filters)}`;
    }
    return this.scopeText;
  }
}

export interface KeysetOptions<T> {
  /** The list's route, e.g. `GET /users`: a cursor it issued is refused by every other list (ListCursor). */
  list: string;
  /** The route's path parameters, if any: they choose the rows as much as the filters do. */
  params?: Record<string, string>;
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
  const keyset = keysetClause(query, options);
  const direction = options.direction ?? 'ASC';
  if (keyset.condition) qb.andWhere(keyset.condition.sql, keyset.condition.params);
  qb.orderBy(options.sortExpression, direction).addOrderBy(options.tieBreaker, direction).take(undefined).limit(keyset.limit + 1);
  return keyset.cursor.page(await qb.getMany(), options.keyOf);
}

/** The keyset of one page as SQL: the cursor condition (if any), the order and the limit. */
export interface KeysetClause {
  /** `(sort, tie) < (:__sort, :__tie)` after the first page, else null. */
  condition: { sql: string; params: Record<string, SortValue> } | null;
  orderBy: string;
  /** The page size; the query asks for one row more, which only says there is a next page. */
  limit: number;
  /** Makes the page and its next cursor from the `limit + 1` rows read (ListCursor.page). */
  cursor: ListCursor;
}

/** The keyset half of paginate(), for a list read some other way (raw rows, a wrapping query). */
export function keysetClause(query: PageQueryDto, options: Omit<KeysetOptions<never>, 'keyOf'>): KeysetClause {
  const cursor = new ListCursor(options.list, query, options.params);
  const direction = options.direction ?? 'ASC';
  const after = cursor.after(2);
  let condition: KeysetClause['condition'] = null;
  if (after) {
    const op = direction === 'ASC' ? '>' : '<';
    condition = { sql: `(${options.sortExpression}, ${options.tieBreaker}) ${op} (:__sort, :__tie)`, params: { __sort: after[0], __tie: after[1] } };
  }
  return { condition, orderBy: `${options.sortExpression} ${direction}, ${options.tieBreaker} ${direction}`, limit: cursor.limit, cursor };
}
