import { INestApplication } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { Logger } from 'nestjs-pino';
import { ErrorFilter, jsonOnly, securityHeaders, setupOpenApi, validationPipe } from './api';
import { AppConfig } from './config';

const JSON_BODY_LIMIT = '1mb';

/** HTTP edge shared by main.ts and the end-to-end tests. */
export function setupApp(app: INestApplication, config: AppConfig): INestApplication {
  app.useLogger(app.get(Logger));
  // the client address of sessions, audit rows and the login rate limit: from X-Forwarded-For only
  // through the proxies TRUST_PROXY names (none by default)
  (app as NestExpressApplication).set('trust proxy', config.trustProxy);
  app.use(securityHeaders(), jsonOnly());
  // Process variables may take 256 KB per instance; express's default 100 KB JSON limit would
  // refuse a legitimate start with PAYLOAD_TOO_LARGE before the engine can say VARIABLES_TOO_LARGE.
  // Registered before init, so Nest does not add its default JSON parser.
  (app as NestExpressApplication).useBodyParser('json', { limit: JSON_BODY_LIMIT });
  app.useGlobalPipes(validationPipe());
  app.useGlobalFilters(new ErrorFilter());
  // SIGTERM/SIGINT: stop accepting, finish in-flight requests, run shutdown hooks, close the
  // database, then exit 0 through process.exit so pino flushes its last lines.
  app.enableShutdownHooks(['SIGTERM', 'SIGINT'], { useProcessExit: true });
  setupOpenApi(app, config.version);
  return app;
}
