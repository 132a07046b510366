import request from 'supertest';
import { REQUIRED_MATERIALS } from '../../src/applications';
import type { ApplicationType } from '../../src/applications';
import { SIMULATED_HOUSEHOLDS } from '../../src/connectors';
import { JobExecutor } from '../../src/engine';
import { MailSender } from '../../src/notify';
import { NOW, memberBody, sha256 } from '../applications/fixtures';
import { TestApp } from '../support/app';
import { setNow } from '../support/engine';
import { loginAs } from '../support/identity';

export type Header = { Authorization: string };
export { NOW };

/** Headers of the demo users, logged in again whenever asked (the clock moves by days: sessions expire). */
export function users(t: TestApp) {
  return (username: string) => loginAs(t, username);
}

/** The person of a simulated household (src/connectors/simulated/simulated-records.ts). */
export function person(household: string, index = 0) {
  const h = SIMULATED_HOUSEHOLDS.find((x) => x.key === household)!;
  return h.members[index];
}

export interface ApplicationOptions {
  type?: ApplicationType;
  channel?: 'window' | 'online' | 'remote';
  regionCode?: string;
  targetRegionCode?: string;
  /** members of simulated households: [household key, member index] */
  members?: [string, number][];
  /** what the applicant declares differently from the departments' records */
  declare?: Partial<{ monthlyIncome: number; assistanceStatus: string; vehicles: number }>;
  /** leave out these required materials (a 补正 notice then names them) */
  withoutMaterials?: string[];
  category?: string;
}

/** A submission: by default 张三 alone (every department holds matching records on him), in 锦官驿街道. */
export function applicationBody(o: ApplicationOptions = {}) {
  const type = o.type ?? 'prh_in_kind';
  const members = (o.members ?? [['zhang', 0]]).map(([h, i], n) => {
    const p = person(h, i);
    const body = memberBody(n === 0 ? { ...p, relationship: 'self' } : p);
    if (n === 0 && o.declare) {
      if (o.declare.monthlyIncome !== undefined) body.monthlyIncome = o.declare.monthlyIncome;
      if (o.declare.assistanceStatus !== undefined) body.assistanceStatus = o.declare.assistanceStatus as typeof body.assistanceStatus;
      if (o.declare.vehicles !== undefined) body.assets = { ...body.assets, vehicles: o.declare.vehicles };
    }
    return body;
  });
  return {
    type,
    channel: o.channel ?? 'online',
    regionCode: o.regionCode ?? '510104017',
    ...(o.targetRegionCode ? { targetRegionCode: o.targetRegionCode } : {}),
    household: { category: o.category ?? 'low_income', address: '四川省成都市锦江区测试路 1 号', phone: '13912340000', members },
    materials: REQUIRED_MATERIALS[type]
      .filter((kind) => !(o.withoutMaterials ?? []).includes(kind))
      .map((kind) => ({ kind, reference: `doc:test/${kind}`, sha256: sha256(kind), fileName: `${kind}.pdf` })),
  };
}

export async function submit(t: TestApp, who: Header, body: object): Promise<{ id: string; caseNumber: string; status: string }> {
  const res = await request(t.http).post('/api/applications').set(who).send(body);
  if (res.status !== 201) throw new Error(`submit: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

/** Runs every due job (service tasks, timers, call ends) and delivers the mail they queued. */
export async function settle(t: TestApp): Promise<void> {
  for (let i = 0; i < 50; i++) if (!(await t.app.get(JobExecutor).runDue())) break;
  await t.app.get(MailSender).runDue();
}

/** Moves the clock and lets everything due by then happen. */
export async function at(t: TestApp, iso: string): Promise<void> {
  setNow(t, iso);
  await settle(t);
}

export async function application(t: TestApp, who: Header, id: string) {
  return (await request(t.http).get(`/api/applications/${id}`).set(who).expect(200)).body as {
    status: string;
    statusHistory: { from: string | null; to: string; reason: string; changedBy: string }[];
    caseNumber: string;
  };
}

export async function reviews(t: TestApp, who: Header, id: string) {
  return (await request(t.http).get(`/api/applications/${id}/reviews`).set(who).expect(200)).body as {
    eligibility: { decisionKey: string; decisionVersion: number; eligible: boolean; findings: { code: string }[] }[];
    reviews: { stage: string; department: string | null; outcome: string; reasons: string[]; decidedBy: string; escalated: boolean; guarantee: string | null; appealDeadline: string | null }[];
  };
}

export interface QueueTask {
  id: string;
  name: string;
  elementId: string;
  processKey: string;
  businessKey: string;
  candidateGroups: string[];
  dueAt: string | null;
  status: string;
  assignee: string | null;
}

/** The tasks of a case the user may take (their groups), as their queue shows them. */
export async function queue(t: TestApp, who: Header, caseNumber: string, status = 'open'): Promise<QueueTask[]> {
  const res = await request(t.http).get(`/api/tasks?businessKey=${encodeURIComponent(caseNumber)}&status=${status}`).set(who).expect(200);
  return res.body.items;
}

/** Claims and completes the one open task of the case named `name` in the user's queue. */
export async function work(t: TestApp, who: Header, caseNumber: string, name: string, variables: Record<string, unknown>): Promise<QueueTask> {
  const tasks = (await queue(t, who, caseNumber)).filter((x) => x.name === name);
  if (tasks.length !== 1) throw new Error(`${name}: ${tasks.length} open tasks in the queue of this user for ${caseNumber}`);
  await request(t.http).post(`/api/tasks/${tasks[0].id}/claim`).set(who).expect(200);
  const res = await request(t.http).post(`/api/tasks/${tasks[0].id}/complete`).set(who).send({ variables });
  if (res.status !== 200) throw new Error(`complete ${name}: ${res.status} ${JSON.stringify(res.body)}`);
  await settle(t);
  return tasks[0];
}

/** The development mailbox of a user: subjects, newest first. */
export async function mailbox(t: TestApp, who: Header): Promise<{ subject: string; text: string; to: string }[]> {
  return (await request(t.http).get('/api/mail?limit=200').set(who).expect(200)).body;
}

export const APPROVE = (stage: 'street' | 'county' | 'city', opinion = '经核查，情况属实，同意') => ({ [`${stage}Decision`]: 'approve', [`${stage}Opinion`]: opinion });

/** The process instance of a case and where it waits. */
export async function processOf(t: TestApp, caseNumber: string, key = 'housing_application') {
  const res = await request(t.http).get(`/api/process-instances?processKey=${key}&businessKey=${encodeURIComponent(caseNumber)}`).set(await loginAs(t, 'sc_modeler')).expect(200);
  return res.body.items as { id: string; status: string; waiting: { elementId: string }[] }[];
}

export { NOW as START };

/** N working days after a day on the region's calendar, as the calendar API answers it (the last day and its end as an instant). */
export async function workingDays(t: TestApp, who: Header, from: string, n: number, region = '510104017'): Promise<{ due: string; dueAt: string }> {
  const res = await request(t.http).get(`/api/calendar/working-days?from=${from}&n=${n}&region=${region}`).set(who).expect(200);
  return { due: res.body.due, dueAt: new Date(res.body.dueAt).toISOString() };
}
