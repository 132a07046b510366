// npm run audit:verify — walks the audit log's hash chain on DATABASE_URL or the embedded database
// (stop the running app first: the embedded directory admits one process). Exit 0 when intact,
// 2 at the first broken row (named), 1 when the check itself could not run.
import { Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AdjustableClock } from '../common';
import { loadConfig } from '../config';
import { connect, createDataSource } from '../database';
import { AuditContext } from './audit-context';
import { AuditRepository } from './audit.repository';
import { AuditService } from './audit.service';

/** Verifies the chain in `ds`, prints the verdict, returns the exit code. */
export async function verifyCommand(ds: DataSource, where: string, print: (line: string) => void): Promise<number> {
  const report = await new AuditService(new AuditRepository(ds), new AdjustableClock(), new AuditContext()).verify();
  if (report.ok) {
    print(`[${where}] audit log intact: ${report.checked} row(s), head ${report.headHash} (${report.algorithm})`);
    return 0;
  }
  const broken = report.firstBroken!;
  print(`[${where}] audit log BROKEN at row ${broken.seq} (${broken.reason}): ${broken.message}`);
  print(report.checked ? `rows 1 to ${report.checked} are intact` : 'the chain is broken from its first row');
  return 2;
}

async function main(): Promise<number> {
  const config = loadConfig();
  const ds = await connect(createDataSource(config.database), config.database);
  try {
    return await verifyCommand(ds, config.database.display, (line) => console.log(line));
  } finally {
    await ds.destroy();
  }
}

if (require.main === module) {
  Logger.overrideLogger(false);
  main().then(
    (code) => process.exit(code),
    (e: Error) => {
      console.error(`audit:verify could not run: ${e.message}`);
      process.exit(1);
    },
  );
}
