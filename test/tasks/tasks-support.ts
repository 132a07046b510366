import request from 'supertest';
import { AdjustableClock, Clock } from '../../src/common';
import { TestApp, createTestApp } from '../support/app';
import { fixture } from '../support/engine';
import { loginAs } from '../support/identity';

/**
 * Work-queue scenarios act as real demo users, each request with its own login (README
 * "Identity"): jgy_street (street_reviewer:510104017), jj_county (county_reviewer:510104, the
 * street reviewers' supervisor), cd_city (city_reviewer:510100), jj_window
 * (window_caseworker:510104), dy_window (德阳, another region), sc_modeler (deploys the diagrams).
 */
export interface QueueWorld {
  t: TestApp;
  as(username: string): Promise<{ Authorization: string }>;
  /** starts task_queue (test/fixtures/bpmn/task-queue.bpmn) and returns its one task */
  task(variables: Record<string, unknown>, businessKey?: string): Promise<TaskBody>;
}

export interface TaskBody {
  id: string;
  processInstanceId: string;
  name: string;
  businessKey: string | null;
  regionCode: string | null;
  status: string;
  assignee: string | null;
  owner: string | null;
  delegationState: string | null;
  candidateGroups: string[];
  priority: number;
  dueAt: string | null;
  sla: string;
  slaLabel: { 'zh-CN': string; en: string };
  claimedBy: string | null;
  claimedAt: string | null;
  completedBy: string | null;
}

/** street_reviewer:510104017's task in 锦官驿街道 (region 510104017). */
export const STREET = { groups: ['street_reviewer:510104017'], regionCode: '510104017' };

export async function queueWorld(env: Record<string, string> = {}): Promise<QueueWorld> {
  const t = await createTestApp(env);
  const sessions = new Map<string, { at: number; header: Promise<{ Authorization: string }> }>();
  const as = (username: string) => {
    // a new login when the clock moved (tests move it by days, past token expiry)
    const now = t.app.get(Clock).now().getTime();
    const s = sessions.get(username);
    if (s && now >= s.at && now - s.at < 5 * 60000) return s.header;
    const header = loginAs(t, username);
    sessions.set(username, { at: now, header });
    return header;
  };
  const modeler = await as('sc_modeler');
  for (const file of ['task-queue.bpmn', 'task-escalation.bpmn']) {
    await request(t.http).post('/api/deployments').set(modeler).attach('files', Buffer.from(fixture(file)), file).expect(201);
  }
  let n = 0;
  const task = async (variables: Record<string, unknown>, businessKey = `CASE-${++n}`) => {
    const res = await request(t.http)
      .post('/api/process-definitions/key/task_queue/start')
      .set(await as('sc_modeler'))
      .send({ businessKey, variables });
    if (res.status !== 201) throw new Error(`start: ${res.status} ${JSON.stringify(res.body)}`);
    const [row] = await t.ds.query(`SELECT id FROM user_tasks WHERE instance_id = $1 AND status = 'open'`, [res.body.id]);
    return (await request(t.http).get(`/api/tasks/${row.id}`).set(await as('sc_modeler')).expect(200)).body as TaskBody;
  };
  return { t, as, task };
}

export function setNow(t: TestApp, iso: string): void {
  (t.app.get(Clock) as AdjustableClock).set(new Date(iso));
}

/** The audit rows about one object, oldest first. */
export async function auditOf(t: TestApp, objectId: string): Promise<{ action: string; result: string; status: number | null; username: string | null; error_code: string | null }[]> {
  return t.ds.query(`SELECT action, result, status, username, error_code FROM audit_log WHERE object_id = $1 ORDER BY seq`, [objectId]);
}

/** The history events of a task's instance about that task, oldest first. */
export async function taskEvents(t: TestApp, task: { id: string; processInstanceId: string }): Promise<{ type: string; actor: string | null; data: Record<string, unknown> }[]> {
  return t.ds.query(`SELECT type, actor, data FROM engine_events WHERE instance_id = $1 AND data->>'taskId' = $2 ORDER BY id`, [task.processInstanceId, task.id]);
}

export async function userId(t: TestApp, username: string): Promise<string> {
  const [row] = await t.ds.query(`SELECT id FROM users WHERE username = $1`, [username]);
  return row.id as string;
}
