import { Agent, request as httpRequest } from 'node:http';
import { performance } from 'node:perf_hooks';

/**
 * The HTTP side of `npm run bench:applications`: JSON requests to the Anju servers through one
 * keep-alive agent (node:http, no response timeout: POST /api/test/jobs/run-due may take
 * minutes), the demo users' sessions (logged in once, again when a session has expired), and every
 * request's latency and status kept for the report.
 */
export const DEMO_PASSWORD = 'Anju@2025demo';

export interface Sample {
  label: string;
  ms: number;
  status: number;
}

export interface Failure {
  label: string;
  method: string;
  path: string;
  status: number;
  body: string;
}

export class HttpError extends Error {
  constructor(readonly failure: Failure) {
    super(`${failure.method} ${failure.path}: ${failure.status} ${failure.body.slice(0, 300)}`);
  }
}

export class BenchHttp {
  readonly samples: Sample[] = [];
  readonly failures: Failure[] = [];
  /** 401s answered by logging in again (a moved clock ends sessions): expected, not errors */
  relogins = 0;
  /** requests sent again because their kept-alive connection had just been closed by the server */
  staleSockets = 0;
  private readonly agent: Agent;
  private readonly tokens = new Map<string, Promise<string>>();
  private next = 0;

  constructor(
    private readonly ports: number[],
    maxSockets: number,
  ) {
    this.agent = new Agent({ keepAlive: true, maxSockets });
  }

  close(): void {
    this.agent.destroy();
  }

  /** One request without a session, to a given node (default: round robin over the nodes). */
  async raw(method: string, path: string, body: unknown, headers: Record<string, string> = {}, port?: number): Promise<{ status: number; body: string; ms: number }> {
    const to = port ?? this.ports[this.next++ % this.ports.length];
    for (;;) {
      try {
        return await this.once(to, method, path, body, headers);
      } catch (e) {
        // a kept-alive connection the server closed just as it was reused: nothing reached the server, send again
        if ((e as { stale?: boolean }).stale) {
          this.staleSockets++;
          continue;
        }
        throw e;
      }
    }
  }

  private once(port: number, method: string, path: string, body: unknown, headers: Record<string, string>): Promise<{ status: number; body: string; ms: number }> {
    const payload = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
    const began = performance.now();
    return new Promise((resolve, reject) => {
      const req = httpRequest(
        {
          host: '127.0.0.1',
          port,
          method,
          path,
          agent: this.agent,
          headers: { accept: 'application/json', ...(payload ? { 'content-type': 'application/json', 'content-length': String(payload.length) } : {}), ...headers },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8'), ms: performance.now() - began }));
          res.on('error', reject);
        },
      );
      req.on('error', (e: NodeJS.ErrnoException) => reject(req.reusedSocket && e.code === 'ECONNRESET' ? Object.assign(e, { stale: true }) : e));
      if (payload) req.write(payload);
      req.end();
    });
  }

  /**
   * A request as a demo user (or anonymous when `user` is null), expecting one of `ok`; anything
   * else is recorded as a failure and thrown. A 401 logs the user in again and repeats the request once.
   */
  async call<T = unknown>(label: string, user: string | null, method: string, path: string, body?: unknown, ok: number[] = [200, 201], port?: number): Promise<T> {
    for (let attempt = 0; ; attempt++) {
      const token = user ? await this.token(user) : null;
      const res = await this.raw(method, path, body, token ? { authorization: `Bearer ${token}` } : {}, port);
      this.samples.push({ label, ms: res.ms, status: res.status });
      if (ok.includes(res.status)) return (res.body ? JSON.parse(res.body) : null) as T;
      if (res.status === 401 && user && attempt === 0) {
        this.relogins++;
        this.forget(user, token!);
        continue;
      }
      const failure = { label, method, path, status: res.status, body: res.body };
      this.failures.push(failure);
      throw new HttpError(failure);
    }
  }

  private token(user: string): Promise<string> {
    let t = this.tokens.get(user);
    if (!t) {
      t = this.login(user);
      this.tokens.set(user, t);
    }
    return t;
  }

  private login(user: string): Promise<string> {
    return this.call<{ accessToken: string }>('login', null, 'POST', '/api/auth/login', { username: user, password: DEMO_PASSWORD }).then((r) => r.accessToken);
  }

  /** Replaces a token that stopped working by a new login, once however many requests saw it fail. */
  private forget(user: string, dead: string): void {
    const current = this.tokens.get(user) ?? Promise.resolve(dead);
    this.tokens.set(
      user,
      current.then(
        (t) => (t === dead ? this.login(user) : t),
        () => this.login(user),
      ),
    );
  }

  /** Forgets every session (after the clock moved by days they have all expired). */
  logoutAll(): void {
    this.tokens.clear();
  }
}

/** Runs `work` for every item with at most `lanes` at a time; the first failure stops the others and is rethrown. */
export async function pool<T>(items: T[], lanes: number, work: (item: T, index: number) => Promise<void>): Promise<void> {
  let next = 0;
  let failed: unknown = null;
  await Promise.all(
    Array.from({ length: Math.min(lanes, items.length) }, async () => {
      while (next < items.length && failed === null) {
        const i = next++;
        try {
          await work(items[i], i);
        } catch (e) {
          failed ??= e;
        }
      }
    }),
  );
  if (failed !== null) throw failed;
}
