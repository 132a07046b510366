import { INestApplication } from '@nestjs/common';
import { Logger } from 'nestjs-pino';
import { ErrorFilter, setupOpenApi, validationPipe } from './api';
import { AppConfig } from './config';

/** HTTP edge shared by main.ts and the end-to-end tests. */
export function setupApp(app: INestApplication, config: AppConfig): INestApplication {
  app.useLogger(app.get(Logger));
  app.useGlobalPipes(validationPipe());
  app.useGlobalFilters(new ErrorFilter());
  // SIGTERM/SIGINT: stop accepting, finish in-flight requests, run shutdown hooks, close the
  // database, then exit 0 through process.exit so pino flushes its last lines.
  app.enableShutdownHooks(['SIGTERM', 'SIGINT'], { useProcessExit: true });
  setupOpenApi(app, config.version);
  return app;
}
