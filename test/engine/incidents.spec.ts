import request from 'supertest';
import { ServiceHandlerRegistry } from '../../src/engine';
import { TestApp, createEngineTestApp } from '../support/app';
import { advance, deploy, fixture, history, instance, registerHandler, runDue, setNow, start } from '../support/engine';

interface Incident {
  id: string;
  jobId: string;
  processInstanceId: string;
  elementId: string;
  jobKind: string;
  message: string;
}

const SECOND = 1000;

describe('engine: failing jobs, retries with backoff, incidents', () => {
  let t: TestApp;
  let registryUp = false;
  const attempts: number[] = [];
  const incidents = async (processInstanceId?: string) =>
    (await request(t.http).get(`/api/incidents${processInstanceId ? `?processInstanceId=${processInstanceId}` : ''}`).expect(200)).body as Incident[];

  beforeAll(async () => {
    t = await createEngineTestApp();
    setNow(t, '2026-12-01T09:00:00+08:00');
    registerHandler(t, 'syncRegistry', (ctx) => {
      attempts.push(ctx.attempt);
      if (!registryUp) throw new Error('省级住房档案接口超时');
      return { syncedAt: '2026-12-01' };
    });
    registerHandler(t, 'legacyArchive', () => ({ archived: true }));
    await deploy(t, { 'inc-service.bpmn': fixture('inc-service.bpmn'), 'inc-unbound.bpmn': fixture('inc-unbound.bpmn') }).expect(201);
  });
  afterAll(() => t?.close());

  it('retries with growing backoff, raises an incident after the 3rd attempt, and a retry with a working handler completes the instance', async () => {
    const inst = await start(t, 'incService', { businessKey: 'SYNC-1' });
    expect(await runDue(t)).toBe(1); // attempt 1 fails, next in 10 s
    expect(await runDue(t)).toBe(0);
    advance(t, 10 * SECOND);
    expect(await runDue(t)).toBe(1); // attempt 2 fails, next in 20 s
    advance(t, 10 * SECOND);
    expect(await runDue(t)).toBe(0);
    advance(t, 10 * SECOND);
    expect(await runDue(t)).toBe(1); // attempt 3 fails: incident
    expect(attempts).toEqual([1, 2, 3]);

    const [incident] = await incidents();
    expect(incident).toMatchObject({ processInstanceId: inst.id, elementId: 'ServiceTask_SyncRegistry', jobKind: 'service', message: '省级住房档案接口超时' });
    expect((await incidents(inst.id)).map((i) => i.id)).toEqual([incident.id]);
    const view = await instance(t, inst.id);
    expect(view.status).toBe('running');
    expect(view.incidents).toEqual([expect.objectContaining({ id: incident.id, elementId: 'ServiceTask_SyncRegistry', message: '省级住房档案接口超时' })]);
    const h = await history(t, inst.id);
    expect(h.filter((e) => e.type === 'job-failed')).toHaveLength(2);
    expect(h.filter((e) => e.type === 'incident-raised').map((e) => e.elementId)).toEqual(['ServiceTask_SyncRegistry']);
    // a job in incident does not run again by itself
    advance(t, 24 * 3600 * SECOND);
    expect(await runDue(t)).toBe(0);

    registryUp = true;
    const retry = await request(t.http).post(`/api/jobs/${incident.jobId}/retry`).expect(200);
    expect(retry.body.jobId).toBe(incident.jobId);
    expect(await incidents()).toEqual([]);
    expect(await runDue(t)).toBe(1);
    const done = await instance(t, inst.id);
    expect(done).toMatchObject({ status: 'completed', incidents: [], variables: { syncedAt: '2026-12-01' } });
    const types = (await history(t, inst.id)).map((e) => e.type);
    expect(types).toEqual(expect.arrayContaining(['incident-resolved', 'job-completed', 'instance-ended']));
    expect(attempts).toEqual([1, 2, 3, 1]);
    // the job is gone now
    expect((await request(t.http).post(`/api/jobs/${incident.jobId}/retry`).expect(404)).body.code).toBe('JOB_NOT_FOUND');
  });

  it('refuses to retry a job that is not in incident (409) and an unknown job (404)', async () => {
    registryUp = false;
    const inst = await start(t, 'incService', { businessKey: 'SYNC-2' });
    expect(await runDue(t)).toBe(1);
    const failed = (await history(t, inst.id)).find((e) => e.type === 'job-failed') as unknown as { data: { jobId: string; attempts: number } };
    expect(failed.data.attempts).toBe(1);
    const pending = await request(t.http).post(`/api/jobs/${failed.data.jobId}/retry`).expect(409);
    expect(pending.body.code).toBe('JOB_NOT_IN_INCIDENT');
    expect((await request(t.http).post('/api/jobs/987654321/retry').expect(404)).body.code).toBe('JOB_NOT_FOUND');
    expect((await request(t.http).post('/api/jobs/not-a-job/retry').expect(404)).body.code).toBe('JOB_NOT_FOUND');
    registryUp = true;
    advance(t, 10 * SECOND);
    expect(await runDue(t)).toBe(1);
    expect((await instance(t, inst.id)).status).toBe('completed');
  });

  it('a handler missing on the node that runs the job fails like any error and ends in an incident', async () => {
    const inst = await start(t, 'incUnbound', { businessKey: 'ARCH-1' });
    // Simulates a node deployed without this binding (deploy refuses names no node registers, so
    // the name was registered when the diagram was deployed): take it out of this node's registry.
    const handlers = (t.app.get(ServiceHandlerRegistry) as unknown as { handlers: Map<string, unknown> }).handlers;
    const archive = handlers.get('legacyArchive');
    handlers.delete('legacyArchive');
    for (let i = 0; i < 3; i++) {
      expect(await runDue(t)).toBe(1);
      advance(t, 60 * SECOND);
    }
    const [incident] = await incidents(inst.id);
    expect(incident.message).toBe('No service handler "legacyArchive" is registered on this node');
    handlers.set('legacyArchive', archive);
    await request(t.http).post(`/api/jobs/${incident.jobId}/retry`).expect(200);
    expect(await runDue(t)).toBe(1);
    expect(await instance(t, inst.id)).toMatchObject({ status: 'completed', incidents: [], variables: { archived: true } });
  });
});
