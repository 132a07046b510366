import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { DemoApplicationSeeder } from '../../src/demo';
import { TestApp, createTestApp } from '../support/app';
import { findPlaintextPersonalData, loginAs } from '../support/identity';

/**
 * `npm start` on an empty embedded database (ANJU_DEMO_DATA) files 20 demo applications through
 * the real process, on a clock moved from weeks back to now. Checked as a newcomer would: the
 * applications and their stages, work in the queue of each demo reviewer, a 公示 anyone can read,
 * 张三's own application, his letters and his place on the waiting list; a second boot adds nothing.
 */
describe('the demo applications (ANJU_DEMO_DATA)', () => {
  let t: TestApp;
  let dir: string | null = null;
  let env: Record<string, string>;
  let closed = false;

  beforeAll(async () => {
    // a database that outlives the first boot, so the second can boot on it
    env = { ANJU_DEMO_DATA: 'true', ANJU_DEMO_USERS: 'true' };
    if (!process.env.TEST_DATABASE_URL) env.ANJU_DATA_DIR = dir = mkdtempSync(join(tmpdir(), 'anju-demo-'));
    t = await createTestApp(env);
  }, 180_000);
  afterAll(async () => {
    if (closed) await t?.db.drop();
    else await t?.close();
    // the embedded database directory, and the lock file beside it
    if (dir) for (const p of [dir, `${dir}.lock`]) rmSync(p, { recursive: true, force: true });
  });

  const statuses = async (who: { Authorization: string }) => {
    const res = await request(t.http).get('/api/applications?limit=100').set(who).expect(200);
    const count: Record<string, number> = {};
    for (const a of res.body.items as { status: string }[]) count[a.status] = (count[a.status] ?? 0) + 1;
    return { total: res.body.total as number, count, items: res.body.items as { id: string; caseNumber: string; status: string }[] };
  };
  const myQueue = async (username: string) => {
    const res = await request(t.http).get('/api/tasks?myGroups=true&limit=100').set(await loginAs(t, username)).expect(200);
    return res.body.items as { name: string; businessKey: string; assignee: string | null; dueAt: string | null; sla: string }[];
  };

  it('holds 20 applications at their stages: 补正, street, 公示 #1, county (with the joint review), city, 公示 #2, decided, withdrawn', async () => {
    const { total, count } = await statuses(await loginAs(t, 'jj_county'));
    expect(total).toBe(20);
    expect(count).toEqual({
      correction_requested: 2,
      street_review: 4,
      publicity_first: 2,
      county_review: 6,
      city_review: 2,
      publicity_second: 1,
      approved: 1,
      rejected: 1,
      withdrawn: 1,
    });
  });

  it('gives every demo reviewer work in their queue, none of it overdue', async () => {
    const street = await myQueue('jgy_street');
    expect(street.filter((x) => x.name === '社区入户调查及街道初审')).toHaveLength(4);
    expect(street.filter((x) => x.name === '社区入户调查及街道初审' && x.assignee === 'jgy_street')).toHaveLength(1);
    expect(street.filter((x) => x.name === '异议核查')).toHaveLength(1);
    expect((await myQueue('jj_mz_checker')).map((x) => x.name)).toEqual(['部门核查', '部门核查', '部门核查']);
    expect((await myQueue('jj_county')).map((x) => x.name)).toEqual(['区县审核', '区县审核', '区县审核']);
    expect((await myQueue('cd_city')).map((x) => x.name)).toEqual(['市级复核', '市级复核']);
    for (const u of ['jgy_street', 'jj_mz_checker', 'jj_county', 'cd_city']) {
      for (const task of await myQueue(u)) expect(new Date(task.dueAt!).getTime()).toBeGreaterThan(Date.now());
    }
    // the remote (成德眉资) application filed in Deyang is reviewed in 锦江区
    const remote = (await statuses(await loginAs(t, 'dy_window'))).items;
    expect(remote).toHaveLength(1);
    expect(remote[0]).toMatchObject({ status: 'street_review', caseNumber: expect.stringMatching(/^SQ-510104-/) });
  });

  it('shows the running 公示 to anyone, without logging in', async () => {
    const res = await request(t.http).get('/api/public/notices?region=510104').set('x-test-anonymous', '1').expect(200);
    expect(res.body.items.map((n: { round: number }) => n.round).sort()).toEqual([1, 1, 2]);
    const one = await request(t.http).get(`/api/public/notices/${res.body.items[0].id}`).set('x-test-anonymous', '1').expect(200);
    expect(one.body.content.name).toMatch(/\*/);
  });

  it('has 张三 (applicant_zhang) approved onto the waiting list, with his letters in his mailbox', async () => {
    const zhang = await loginAs(t, 'applicant_zhang');
    const mine = await statuses(zhang);
    expect(mine.items).toEqual([expect.objectContaining({ status: 'approved' })]);
    const { caseNumber } = mine.items[0];
    const subjects = ((await request(t.http).get('/api/mail?limit=50').set(zhang).expect(200)).body as { subject: string }[]).map((m) => m.subject).sort();
    expect(subjects).toEqual(
      [
        `【安居】您的住房保障申请已受理（${caseNumber}）`,
        `【安居】住房保障申请公示通知（${caseNumber}）`,
        `【安居】住房保障申请公示通知（${caseNumber}）`,
        `【安居】住房保障申请审核通过决定（${caseNumber}）`,
      ].sort(),
    );
    const list = await request(t.http).get('/api/waiting-list/me').set(zhang).expect(200);
    expect(list.body.entries).toEqual([expect.objectContaining({ caseNumber, status: 'waiting' })]);
  });

  it('has the refusal still open to 复核, and keeps no name in clear', async () => {
    const county = await loginAs(t, 'jj_county');
    const [refused] = (await statuses(county)).items.filter((a) => a.status === 'rejected');
    const r = await request(t.http).get(`/api/applications/${refused.id}/reviews`).set(county).expect(200);
    const decision = r.body.reviews.find((x: { stage: string }) => x.stage === 'decision');
    expect(decision).toMatchObject({ outcome: 'rejected', decidedBy: expect.stringMatching(/^process:/) });
    const today = new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);
    expect(decision.appealDeadline >= today).toBe(true);
    expect(await findPlaintextPersonalData(t, ['张三', '刘志强', '郭海', '冯刚', '韩磊'])).toEqual([]);
  });

  it('seeds nothing on the next boot', async () => {
    // boot again on the same database
    const url = t.config.database.url;
    await t.app.close();
    closed = true;
    const again = await createTestApp(url ? { ...env, DATABASE_URL: url } : env);
    try {
      expect(await again.app.get(DemoApplicationSeeder).seed()).toBeNull();
      const res = await request(again.http).get('/api/applications?limit=1').set(await loginAs(again, 'jj_county')).expect(200);
      expect(res.body.total).toBe(20);
    } finally {
      await again.app.close();
      await again.db.drop();
    }
  }, 120_000);
});
