import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { AppModule } from '../src/app.module';
import { loadConfig } from '../src/config';
import { JobExecutor, ServiceHandlerRegistry } from '../src/engine';
import { setupApp } from '../src/setup-app';

/**
 * A worker node for the crash and multi-node tests (test/engine/crash.pg.spec.ts): the whole
 * application with its job executor, configured from the environment like `npm start`
 * (DATABASE_URL, JOB_POLL_INTERVAL_MS, ANJU_TEST_CLOCK, …), plus the service-task handler the test
 * diagrams name (`echo`). It listens on PORT (0 = any free port) and reports on stdout, one JSON
 * line each, prefixed so they stand apart from the logs:
 *   @worker {"ready":true,"port":…,"pid":…}      once it accepts requests
 *   @worker {"ran":…}                             jobs this process ran, on SIGTERM
 * SIGKILL is the point of the crash test: nothing here may be needed for correctness after it.
 */
export const WORKER_LINE = '@worker ';

export const ECHO_HANDLER = 'echo';

async function main(): Promise<void> {
  const config = loadConfig();
  const app = await NestFactory.create(AppModule.forRoot(config), { bufferLogs: true, abortOnError: false });
  setupApp(app, config);
  const handlers = app.get(ServiceHandlerRegistry);
  if (!handlers.has(ECHO_HANDLER)) handlers.register(ECHO_HANDLER, (ctx) => ({ echoed: ctx.idempotencyKey }));

  // count the jobs this node runs (the executor's poll calls this.runDue)
  const executor = app.get(JobExecutor);
  let ran = 0;
  const runDue = executor.runDue.bind(executor);
  executor.runDue = async (limit?: number) => {
    const n = await runDue(limit);
    ran += n;
    return n;
  };
  // Nest's shutdown hook (SIGTERM) ends with process.exit: report then (stdout to a pipe is synchronous)
  process.once('exit', () => report({ ran }));

  await app.listen(config.port, '127.0.0.1');
  const { port } = app.getHttpServer().address() as { port: number };
  report({ ready: true, port, pid: process.pid });
}

function report(data: Record<string, unknown>): void {
  process.stdout.write(`${WORKER_LINE}${JSON.stringify(data)}\n`);
}

main().catch((e: unknown) => {
  console.error('worker cannot start:', e);
  process.exit(1);
});
