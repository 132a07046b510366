import { PGlite } from '@electric-sql/pglite';
import { createPgConfig } from '@electric-sql/pglite/node-postgres';
import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { DataSource, DataSourceOptions } from 'typeorm';
import { MIGRATIONS } from '../../migrations';
import type { DatabaseConfig } from '../config';
import { lockDataDir } from './embedded-lock';

/** Raised when the database cannot be reached at boot; names the host, never the password. */
export class DatabaseUnavailableError extends Error {
  constructor(display: string, cause: unknown) {
    super(`Cannot connect to PostgreSQL at ${display}: ${(cause as Error)?.message ?? String(cause)}`);
    this.name = 'DatabaseUnavailableError';
  }
}

export const MIGRATIONS_TABLE = 'schema_migrations';

/**
 * DATABASE_URL set → PostgreSQL through `pg`. Unset → embedded PGlite (PostgreSQL in WASM) through
 * its own node-postgres adapter, still driven by `pg`, with a pool of exactly one connection so
 * concurrent transactions queue instead of interleaving in PGlite's single session.
 * TypeORM never synchronizes: the reviewed SQL migrations are the schema.
 */
export function createDataSource(db: DatabaseConfig, entities: DataSourceOptions['entities'] = []): DataSource {
  const common = {
    type: 'postgres' as const,
    entities,
    migrations: MIGRATIONS,
    migrationsTableName: MIGRATIONS_TABLE,
    migrationsTransactionMode: 'each' as const,
    migrationsRun: false,
    synchronize: false,
    // gen_random_uuid() is core PostgreSQL; never CREATE EXTENSION at connect (PGlite lacks uuid-ossp).
    installExtensions: false,
    uuidExtension: 'pgcrypto' as const,
    logging: false,
  };
  if (db.kind === 'postgres') {
    return new DataSource({
      ...common,
      url: db.url,
      poolSize: db.poolSize,
      connectTimeoutMS: db.connectTimeoutMs,
      extra: { connectionTimeoutMillis: db.connectTimeoutMs, application_name: 'anju' },
    });
  }
  let release = () => {};
  let pglite: PGlite;
  if (db.dataDir.startsWith('memory://')) {
    pglite = new PGlite(db.dataDir);
  } else {
    const dir = resolve(db.dataDir);
    mkdirSync(dir, { recursive: true });
    release = lockDataDir(dir); // throws, naming the holder, before anything is opened
    pglite = new PGlite(dir);
  }
  const ds = new DataSource({
    ...common,
    poolSize: 1,
    // how long a second QueryRunner waits for the single connection
    extra: { ...createPgConfig(pglite), connectionTimeoutMillis: 120000 },
  });
  const destroy = ds.destroy.bind(ds);
  ds.destroy = async () => {
    try {
      if (ds.isInitialized) await destroy();
    } finally {
      if (!pglite.closed) await pglite.close(); // flushes the embedded database to disk
      release();
    }
  };
  return ds;
}

/** Initializes the data source, turning a connection failure into one clear error. */
export async function connect(ds: DataSource, db: DatabaseConfig): Promise<DataSource> {
  try {
    return await ds.initialize();
  } catch (e) {
    if (db.kind === 'postgres') throw new DatabaseUnavailableError(db.display, e);
    await ds.destroy().catch(() => undefined);
    throw e;
  }
}
