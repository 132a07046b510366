import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

const ROOT = join(__dirname, '../..');
/** Compiled separately from dist/ (which `nest build` empties) so a concurrent build cannot pull it away. */
const OUT = join(ROOT, '.build/worker');
export const WORKER_JS = join(OUT, 'scripts/worker.js');
const LINE = '@worker ';

/**
 * Compiles src/ and scripts/ (tsconfig.build.json) into .build/worker with tsc. Incremental: a
 * second run with nothing changed takes about two seconds. Like the rest of the suite (ts-jest
 * runs without type diagnostics; `npm run typecheck` is the type gate), type errors do not stop
 * the test: tsc still emits (exit status 2) and they are printed. Any other failure does.
 */
export function buildWorker(): string {
  const tsc = require.resolve('typescript/bin/tsc');
  try {
    execFileSync(
      process.execPath,
      [tsc, '-p', 'tsconfig.build.json', '--outDir', OUT, '--incremental', '--tsBuildInfoFile', join(ROOT, '.build/worker.tsbuildinfo')],
      { cwd: ROOT, stdio: 'pipe' },
    );
  } catch (e) {
    const out = e as { status?: number; stdout?: Buffer; stderr?: Buffer };
    const text = `${out.stdout?.toString() ?? ''}${out.stderr?.toString() ?? ''}`;
    // 2 = "diagnostics present, outputs generated"
    if (out.status !== 2) throw new Error(`tsc failed building the worker:\n${text}`, { cause: e });
    console.warn(`the worker was built with type errors (npm run typecheck reports them):\n${text}`);
  }
  if (!existsSync(WORKER_JS)) throw new Error(`tsc did not produce ${WORKER_JS}`);
  return WORKER_JS;
}

export interface Worker {
  readonly proc: ChildProcess;
  readonly name: string;
  /** resolves with the HTTP base URL once the worker listens; rejects if it exits first */
  readonly ready: Promise<string>;
  url: string | null;
  exited: boolean;
  /** the last lines the worker printed (logs, reports), for a failure message */
  lines: string[];
  /** jobs the worker reported having run (only after a graceful stop) */
  ran: number | null;
  kill(): Promise<void>;
  stop(): Promise<void>;
  /** POST /api/test/clock { now } on this worker */
  setClock(now: Date): Promise<void>;
}

/** Starts a worker process (scripts/worker.ts) against `databaseUrl`. */
export function startWorker(name: string, databaseUrl: string, env: Record<string, string> = {}): Worker {
  const proc = spawn(process.execPath, [WORKER_JS], {
    cwd: ROOT,
    env: {
      PATH: process.env.PATH ?? '',
      DATABASE_URL: databaseUrl,
      DB_MIGRATIONS_RUN: 'false', // the test's own app migrated the database; workers boot at once
      DB_POOL_SIZE: '4',
      PORT: '0',
      LOG_LEVEL: 'warn',
      ANJU_TEST_CLOCK: '1',
      JOB_POLL_INTERVAL_MS: '50',
      JOB_LEASE_MS: '1000',
      SHUTDOWN_TIMEOUT_MS: '20000',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  // 'close' comes after the last output line was read (a report printed at exit included)
  const exit = new Promise<void>((resolve) => proc.once('close', () => resolve()));
  let markReady: (url: string) => void = () => undefined;
  let failReady: (e: Error) => void = () => undefined;
  const w: Worker = {
    proc,
    name,
    url: null,
    exited: false,
    lines: [],
    ran: null,
    ready: new Promise<string>((resolve, reject) => {
      markReady = resolve;
      failReady = reject;
    }),
    async kill() {
      if (!w.exited) proc.kill('SIGKILL');
      await exit;
    },
    async stop() {
      if (!w.exited) proc.kill('SIGTERM');
      await exit;
    },
    async setClock(now: Date) {
      const res = await fetch(`${w.url}/api/test/clock`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ now: now.toISOString() }),
      });
      if (res.status !== 200) throw new Error(`${name}: POST /api/test/clock answered ${res.status}`);
    },
  };
  w.ready.catch(() => undefined); // a worker killed while booting never becomes ready; that is fine
  let buffer = '';
  const onData = (chunk: Buffer) => {
    buffer += chunk.toString();
    let nl: number;
    while ((nl = buffer.indexOf('\n')) >= 0) {
      const line = buffer.slice(0, nl);
      buffer = buffer.slice(nl + 1);
      w.lines.push(line);
      if (w.lines.length > 40) w.lines.shift();
      if (!line.startsWith(LINE)) continue;
      const msg = JSON.parse(line.slice(LINE.length)) as { ready?: boolean; port?: number; ran?: number };
      if (msg.ready) {
        w.url = `http://127.0.0.1:${msg.port}`;
        markReady(w.url);
      }
      if (typeof msg.ran === 'number') w.ran = msg.ran;
    }
  };
  proc.stdout!.on('data', onData);
  proc.stderr!.on('data', onData);
  proc.once('exit', (code, signal) => {
    w.exited = true;
    failReady(new Error(`${name} exited (${signal ?? code}) before it was ready:\n${w.lines.join('\n')}`));
  });
  return w;
}
