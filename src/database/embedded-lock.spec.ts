import { ChildProcess, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EmbeddedDatabaseLockedError, lockDataDir } from './embedded-lock';

describe('embedded database lock', () => {
  let base: string;
  let other: ChildProcess;

  beforeAll(() => {
    base = mkdtempSync(join(tmpdir(), 'anju-lock-'));
    // stands in for another Anju process holding the directory
    other = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });
  });
  afterAll(() => {
    other.kill('SIGKILL');
    rmSync(base, { recursive: true, force: true });
  });

  it('refuses a directory held by another live process, naming the directory and its pid', () => {
    const dir = join(base, 'held');
    writeFileSync(`${dir}.lock`, String(other.pid));
    let error: unknown;
    try {
      lockDataDir(dir);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(EmbeddedDatabaseLockedError);
    expect(error).toMatchObject({ dir, pid: other.pid });
    expect((error as Error).message).toContain(dir);
    expect((error as Error).message).toContain(`process ${other.pid}`);
    // the holder's lock is left alone
    expect(readFileSync(`${dir}.lock`, 'utf8')).toBe(String(other.pid));
  });

  it('takes over a stale lock left by a process that has exited', () => {
    const dir = join(base, 'stale');
    const dead = spawnSync(process.execPath, ['-e', '']).pid; // has exited when spawnSync returns
    writeFileSync(`${dir}.lock`, String(dead));
    const release = lockDataDir(dir);
    expect(readFileSync(`${dir}.lock`, 'utf8')).toBe(String(process.pid));
    release();
    expect(existsSync(`${dir}.lock`)).toBe(false);
  });

  it('refuses a second open of the same directory in this process, and frees it on release', () => {
    const dir = join(base, 'twice');
    const exitListeners = process.listenerCount('exit');
    const release = lockDataDir(dir);
    expect(() => lockDataDir(dir)).toThrow(EmbeddedDatabaseLockedError);
    release();
    const again = lockDataDir(dir);
    again();
    expect(existsSync(`${dir}.lock`)).toBe(false);
    expect(process.listenerCount('exit')).toBe(exitListeners);
  });

  it('treats an unreadable lock file as stale', () => {
    const dir = join(base, 'garbage');
    writeFileSync(`${dir}.lock`, 'not a pid');
    const release = lockDataDir(dir);
    expect(readFileSync(`${dir}.lock`, 'utf8')).toBe(String(process.pid));
    release();
  });
});
