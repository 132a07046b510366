import { DataSource } from 'typeorm';
import { MIGRATIONS } from '../../migrations';
import { MIGRATIONS_TABLE } from './data-source';

/**
 * The migrations recorded as applied, and the names of this release's migrations not yet applied
 * (all of them when the migrations table is missing). With DB_MIGRATIONS_RUN=false the server
 * still boots so /health can name them; boot-time work that needs the tables asks this first and
 * waits for the next boot.
 */
export async function migrationStatus(ds: DataSource): Promise<{ applied: Set<string>; pending: string[] }> {
  const rows = (await ds.query(`SELECT name FROM ${MIGRATIONS_TABLE}`).catch(() => [])) as { name: string }[];
  const applied = new Set(rows.map((r) => r.name));
  return { applied, pending: MIGRATIONS.map((m) => m.name).filter((n) => !applied.has(n)) };
}

/** The names of the migrations not yet applied (see migrationStatus). */
export async function pendingMigrations(ds: DataSource): Promise<string[]> {
  return (await migrationStatus(ds)).pending;
}
