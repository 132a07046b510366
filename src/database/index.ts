export { DatabaseModule } from './database.module';
export { DatabaseUnavailableError, MIGRATIONS_TABLE, connect, createDataSource } from './data-source';
export { EmbeddedDatabaseLockedError, lockDataDir } from './embedded-lock';
export { inTransaction, rowsOf, withManager } from './transaction';
export { migrationStatus, pendingMigrations } from './pending-migrations';
