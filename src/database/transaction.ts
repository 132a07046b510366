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
