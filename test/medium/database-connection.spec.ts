import { Test } from '@nestjs/testing';
import { ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { Server, Socket, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AppModule } from '../../src/app.module';
import { loadConfig } from '../../src/config';
import { DatabaseUnavailableError, EmbeddedDatabaseLockedError, connect, createDataSource } from '../../src/database';

const quiet = { log: () => undefined, error: () => undefined, warn: () => undefined };

/** Boots the application module with this environment and returns what stopped it, and when. */
async function bootFailure(env: Record<string, string>): Promise<{ error: unknown; ms: number }> {
  const started = Date.now();
  try {
    const moduleRef = await Test.createTestingModule({ imports: [AppModule.forRoot(loadConfig({ LOG_LEVEL: 'silent', ...env }))] })
      .setLogger(quiet) // @nestjs/typeorm logs its own "Unable to connect" before the error surfaces
      .compile();
    await moduleRef.close();
  } catch (error) {
    return { error, ms: Date.now() - started };
  }
  throw new Error('the application booted');
}

describe('database connection failures stop the boot with one clear error', () => {
  it('names the host of an unreachable PostgreSQL within 10 seconds', async () => {
    const { error, ms } = await bootFailure({ DATABASE_URL: 'postgres://postgres:pw@127.0.0.1:1/x' });
    expect(error).toBeInstanceOf(DatabaseUnavailableError);
    expect((error as Error).message).toContain('127.0.0.1:1/x');
    expect((error as Error).message).not.toContain('pw@');
    expect(ms).toBeLessThan(10000);
  });

  describe('a server that accepts connections but never answers', () => {
    let server: Server;
    const sockets: Socket[] = [];
    let port: number;
    beforeAll(async () => {
      server = createServer((socket) => sockets.push(socket));
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      port = (server.address() as { port: number }).port;
    });
    afterAll(async () => {
      sockets.forEach((s) => s.destroy());
      await new Promise((resolve) => server.close(resolve));
    });

    it('gives up after DB_CONNECT_TIMEOUT_MS instead of hanging', async () => {
      const config = loadConfig({ DATABASE_URL: `postgres://postgres@127.0.0.1:${port}/anju`, DB_CONNECT_TIMEOUT_MS: '500' }).database;
      const started = Date.now();
      const error = await connect(createDataSource(config), config).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(DatabaseUnavailableError);
      expect((error as Error).message).toContain(`127.0.0.1:${port}/anju`);
      expect(Date.now() - started).toBeLessThan(5000);
    });
  });

  describe('a second process on the embedded directory', () => {
    let dir: string;
    let holder: ChildProcess;
    beforeAll(() => {
      dir = mkdtempSync(join(tmpdir(), 'anju-boot-'));
      holder = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });
    });
    afterAll(() => {
      holder.kill('SIGKILL');
      rmSync(dir, { recursive: true, force: true });
    });

    it('is refused at boot, naming the directory and the holder pid', async () => {
      const dataDir = join(dir, 'pglite');
      writeFileSync(`${dataDir}.lock`, String(holder.pid));
      const { error } = await bootFailure({ ANJU_DATA_DIR: dataDir });
      expect(error).toBeInstanceOf(EmbeddedDatabaseLockedError);
      expect((error as Error).message).toContain(dataDir);
      expect((error as Error).message).toContain(String(holder.pid));
    });
  });
});
