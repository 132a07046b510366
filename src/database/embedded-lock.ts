import { closeSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';

/**
 * PGlite has no lock of its own: two processes on one data directory silently overwrite each
 * other's writes. A pid file beside the directory refuses the second one; a lock left by a dead
 * process is taken over.
 */
export class EmbeddedDatabaseLockedError extends Error {
  constructor(
    readonly dir: string,
    readonly pid: number,
  ) {
    super(
      `Embedded database ${dir} is in use by process ${pid}; stop that process first ` +
        `(the embedded database allows one process per directory), or set DATABASE_URL.`,
    );
    this.name = 'EmbeddedDatabaseLockedError';
  }
}

const heldHere = new Set<string>();

/** Takes the lock for `dir` (an absolute path) and returns its release function. */
export function lockDataDir(dir: string): () => void {
  const lockPath = `${dir}.lock`;
  if (heldHere.has(lockPath)) throw new EmbeddedDatabaseLockedError(dir, process.pid);
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      const fd = openSync(lockPath, 'wx');
      writeSync(fd, String(process.pid));
      closeSync(fd);
      heldHere.add(lockPath);
      const release = () => {
        process.off('exit', release);
        if (!heldHere.delete(lockPath)) return;
        try {
          if (Number(readFileSync(lockPath, 'utf8')) === process.pid) rmSync(lockPath, { force: true });
        } catch {
          /* already gone */
        }
      };
      process.once('exit', release);
      return release;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      const holder = readHolder(lockPath);
      if (holder && isAlive(holder)) throw new EmbeddedDatabaseLockedError(dir, holder);
      rmSync(lockPath, { force: true }); // stale: its process is gone
    }
  }
  throw new Error(`Could not lock the embedded database ${dir}`);
}

function readHolder(lockPath: string): number {
  try {
    return Number(readFileSync(lockPath, 'utf8').trim()) || 0;
  } catch {
    return 0;
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}
