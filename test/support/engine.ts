import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import request from 'supertest';
import { AdjustableClock, Clock } from '../../src/common';
import { JobExecutor, ServiceHandlerRegistry, ServiceTaskHandler } from '../../src/engine';
import { TestApp } from './app';

export const FIXTURES = join(__dirname, '../fixtures/bpmn');

export function fixture(name: string): string {
  return readFileSync(join(FIXTURES, name), 'utf8');
}

/** Deploys BPMN text through the HTTP API (multipart), as a policy team would. */
export function deploy(t: TestApp, files: Record<string, string>) {
  let req = request(t.http).post('/api/deployments');
  for (const [name, xml] of Object.entries(files)) req = req.attach('files', Buffer.from(xml), name);
  return req;
}

export async function start(t: TestApp, key: string, body: { businessKey?: string; variables?: Record<string, unknown> } = {}) {
  const res = await request(t.http).post(`/api/process-definitions/key/${key}/start`).send(body);
  if (res.status !== 201) throw new Error(`start ${key}: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body as { id: string; status: string; startedBy: string | null; waiting: { elementId: string }[]; variables: Record<string, unknown> };
}

export async function instance(t: TestApp, id: string) {
  return (await request(t.http).get(`/api/process-instances/${id}`).expect(200)).body;
}

export async function openTasks(t: TestApp, processInstanceId: string) {
  return (await request(t.http).get(`/api/tasks?processInstanceId=${processInstanceId}`).expect(200)).body.items as {
    id: string;
    elementId: string;
    name: string;
    candidateGroups: string[];
    dueAt: string | null;
    priority: number;
  }[];
}

export async function history(t: TestApp, id: string) {
  return (await request(t.http).get(`/api/process-instances/${id}/history`).expect(200)).body as { type: string; elementId: string | null }[];
}

/** Moves the clock every component reads; nobody sleeps. */
export function advance(t: TestApp, ms: number): void {
  (t.app.get(Clock) as AdjustableClock).advance(ms);
}

export function setNow(t: TestApp, iso: string): void {
  (t.app.get(Clock) as AdjustableClock).set(new Date(iso));
}

export function runDue(t: TestApp): Promise<number> {
  return t.app.get(JobExecutor).runDue();
}

export function registerHandler(t: TestApp, name: string, handler: ServiceTaskHandler): void {
  const registry = t.app.get(ServiceHandlerRegistry);
  if (!registry.has(name)) registry.register(name, handler);
}

export const DAY = 86400000;
