import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { AppModule } from './app.module';
import { ConfigError, loadConfig } from './config';
import { DatabaseUnavailableError, EmbeddedDatabaseLockedError } from './database';
import { setupApp } from './setup-app';

/** Boot failures we can explain print one line naming the cause and exit 1; nothing is half-created. */
const EXPLAINED = [ConfigError, DatabaseUnavailableError, EmbeddedDatabaseLockedError];

async function bootstrap(): Promise<void> {
  const started = Date.now();
  const config = loadConfig();
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot(config), { bufferLogs: true, abortOnError: false });
  setupApp(app, config);
  await app.listen(config.port, config.host);
  const host = config.host === '0.0.0.0' || config.host === '::' ? 'localhost' : config.host;
  const url = `http://${host}:${(app.getHttpServer().address() as { port: number }).port}`;
  // plain line on stdout besides the JSON log, so a person running `npm start` sees where to go
  console.log(`Anju ${config.version} listening on ${url} (API docs ${url}/api/docs; ${config.database.display}; booted in ${Date.now() - started} ms)`);
}

bootstrap().catch((e: unknown) => {
  if (EXPLAINED.some((t) => e instanceof t)) {
    console.error(`Anju cannot start: ${(e as Error).message}`);
  } else {
    console.error('Anju cannot start:', e);
  }
  process.exit(1);
});
