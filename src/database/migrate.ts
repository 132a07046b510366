// npm run migration:run | migration:revert | migration:show — on DATABASE_URL or the embedded database.
import { loadConfig } from '../config';
import { connect, createDataSource } from './data-source';

async function main(): Promise<void> {
  const cmd = process.argv[2] ?? 'run';
  const config = loadConfig();
  const db = config.database;
  const ds = await connect(createDataSource(db), db);
  try {
    if (cmd === 'run') {
      const done = await ds.runMigrations({ transaction: 'each' });
      console.log(`[${db.display}] applied ${done.length} migration(s)${done.length ? ': ' + done.map((m) => m.name).join(', ') : ''}`);
    } else if (cmd === 'revert') {
      await ds.undoLastMigration({ transaction: 'each' });
      console.log(`[${db.display}] reverted the last migration`);
    } else if (cmd === 'show') {
      const rows: { name: string }[] = await ds.query(`SELECT name FROM schema_migrations ORDER BY id`).catch(() => []);
      const applied = new Set(rows.map((r) => r.name));
      for (const m of ds.migrations) console.log(`${applied.has(m.name!) ? '[X]' : '[ ]'} ${m.name}`);
    } else {
      throw new Error(`unknown command "${cmd}" (expected run, revert or show)`);
    }
  } finally {
    await ds.destroy();
  }
}

main().catch((e: Error) => {
  console.error(e.message);
  process.exit(1);
});
