import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { AppModule } from './app.module';
import { AppConfig, ConfigError, loadConfig } from './config';
import { DatabaseUnavailableError, EmbeddedDatabaseLockedError } from './database';
import { setupApp } from './setup-app';

/** Boot failures we can explain print one line naming the cause and exit 1; nothing is half-created. */
class PortInUseError extends Error {}
const EXPLAINED = [ConfigError, DatabaseUnavailableError, EmbeddedDatabaseLockedError, PortInUseError];

async function bootstrap(): Promise<void> {
  const started = Date.now();
  const config = loadConfig();
  // Nest's boot messages wait in a buffer: on success they go to the JSON log; on a failure we can
  // explain, the one line below is all that is printed (no stack, no "Retrying" noise).
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot(config), {
    bufferLogs: true,
    autoFlushLogs: false,
    abortOnError: false,
  });
  setupApp(app, config);
  try {
    await app.listen(config.port, config.host);
  } catch (e) {
    await app.close(); // closes the database (and frees the embedded lock) before exiting
    throw (e as NodeJS.ErrnoException).code === 'EADDRINUSE' ? portInUse(config) : e;
  }
  app.flushLogs();
  boundShutdown(config.shutdownTimeoutMs);
  const host = config.host === '0.0.0.0' || config.host === '::' ? 'localhost' : config.host;
  const url = `http://${host}:${(app.getHttpServer().address() as { port: number }).port}`;
  // plain line on stdout besides the JSON log, so a person running `npm start` sees where to go
  console.log(`Anju ${config.version} listening on ${url} (API docs ${url}/api/docs; ${config.database.display}; booted in ${Date.now() - started} ms)`);
}

/** The graceful shutdown (setupApp's shutdown hooks) may take at most SHUTDOWN_TIMEOUT_MS (0 = no limit). */
function boundShutdown(ms: number): void {
  if (!ms) return;
  for (const signal of ['SIGTERM', 'SIGINT']) {
    process.once(signal, () => {
      setTimeout(() => {
        console.error(`Anju: graceful shutdown took longer than ${ms} ms (SHUTDOWN_TIMEOUT_MS); exiting`);
        process.exit(1);
      }, ms).unref();
    });
  }
}

function portInUse(config: AppConfig): PortInUseError {
  return new PortInUseError(`port ${config.port} on ${config.host} is already in use; stop the other server or set PORT`);
}

bootstrap().catch((e: unknown) => {
  if (EXPLAINED.some((t) => e instanceof t)) {
    console.error(`Anju cannot start: ${(e as Error).message}`);
  } else {
    Logger.flush(); // what Nest logged before the unexpected failure helps to diagnose it
    console.error('Anju cannot start:', e);
  }
  process.exit(1);
});
