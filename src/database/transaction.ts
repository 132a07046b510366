import { DataSource, EntityManager } from 'typeorm';

/**
 * Runs fn in one transaction. Always use the manager passed to fn: on the embedded database the
 * pool has one connection, so a query through any other handle would wait for this transaction.
 */
export function inTransaction<T>(ds: DataSource, fn: (em: EntityManager) => Promise<T>): Promise<T> {
  return ds.transaction(fn);
}

/** Runs fn in the given transaction, or in a new one when none is given. */
export function withManager<T>(ds: DataSource, em: EntityManager | undefined, fn: (em: EntityManager) => Promise<T>): Promise<T> {
  return em ? fn(em) : ds.transaction(fn);
}

/**
 * Rows of a raw query. TypeORM's postgres driver answers UPDATE/DELETE … RETURNING with
 * `[rows, affectedCount]` but SELECT and INSERT … RETURNING with the rows alone.
 */
export function rowsOf<T>(result: unknown): T[] {
  if (Array.isArray(result) && result.length === 2 && Array.isArray(result[0]) && typeof result[1] === 'number') return result[0] as T[];
  return result as T[];
}
