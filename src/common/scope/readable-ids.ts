import { EntityManager } from 'typeorm';
import type { Role } from '../../auth/principal';
import { RequestContext } from '../context/request-context';
import { ScopeColumns, scopeCondition } from './scope';

/** A table and the columns its scope is decided by, on `alias` (as requireAccess takes them). */
export interface ScopedTable {
  table: string;
  alias: string;
  columns: ScopeColumns;
  /** The roles that may read records of this table at all (every role when absent). */
  readers?: readonly Role[];
}

/**
 * Of `ids` (records of one kind that a response refers to), those the caller may read, decided
 * by PostgreSQL with the same condition a GET of each would use, in one query. A response names
 * another record by id only when the caller could open it: the ids of a person's other networks,
 * of a dispute's sessions in someone else's network or of another partner say who works with whom.
 * Roles that see everything skip the query.
 */
export async function readableIds(
  manager: EntityManager,
  ctx: RequestContext,
  target: ScopedTable,
  ids: Iterable<string | null | undefined>,
): Promise<Set<string>> {
  const unique = [...new Set([...ids].filter((id): id is string => !!id))];
  if (target.readers && !target.readers.includes(ctx.principal.role)) return new Set();
  const { sql, params } = scopeCondition(ctx.principal, target.columns);
  if (!unique.length || sql === 'TRUE') return new Set(unique);
  if (sql === 'FALSE') return new Set();
  const rows = await manager
    .createQueryBuilder()
    .select(`${target.alias}.id`, 'id')
    .from(target.table, target.alias)
    .where(`${target.alias}.id IN (:...readableIds)`, { readableIds: unique })
    .andWhere(sql, params)
    .getRawMany<{ id: string }>();
  return new Set(rows.map((r) => r.id));
}
