import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import request from 'supertest';
import { TestApp, createEngineTestApp } from '../support/app';
import { deploy } from '../support/engine';

// the 21 BPMN MIWG reference diagrams (CC BY 3.0, see the folder's README), kept with the tests
const MIWG = join(__dirname, '../fixtures/miwg-reference');

const HEAD = `<?xml version="1.0" encoding="UTF-8"?>`;
const NS = `xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" targetNamespace="https://anju.example/test"`;

/** start → (body) → end, with `body` holding the element `Task_X` wired in. */
function diagram(body: string, flows = true): string {
  return `${HEAD}
<definitions id="Defs_Hostile" ${NS}>
  <process id="hostile" name="恶意输入" isExecutable="true">
    <startEvent id="StartEvent_1" name="开始" />
    ${flows ? '<sequenceFlow id="Flow_1" sourceRef="StartEvent_1" targetRef="Task_X" />' : ''}
    ${body}
    ${flows ? '<sequenceFlow id="Flow_2" sourceRef="Task_X" targetRef="EndEvent_1" />' : ''}
    <endEvent id="EndEvent_1" name="结束" />
  </process>
</definitions>`;
}

const billionLaughs = `${HEAD}
<!DOCTYPE lolz [
  <!ENTITY lol "lol">
  <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
  <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
  <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
  <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
  <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
  <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
  <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
  <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
  <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
${diagram('<userTask id="Task_X" name="&lol9;" />').replace(`${HEAD}\n`, '')}`;

const xxe = `${HEAD}
<!DOCTYPE definitions [ <!ENTITY xxe SYSTEM "file:///etc/passwd"> ]>
${diagram('<userTask id="Task_X" name="&xxe;" />').replace(`${HEAD}\n`, '')}`;

interface Problem {
  elementId?: string;
  code: string;
  message: string;
}

interface Refusal {
  status: number;
  code: string;
  files: { file: string; errors: Problem[] }[];
}

describe('hostile deployments get a 4xx with a code, and the server stays healthy', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createEngineTestApp();
  });
  afterAll(() => t?.close());

  async function refused(files: Record<string, string | Buffer>): Promise<Refusal> {
    let req = request(t.http).post('/api/deployments');
    for (const [name, content] of Object.entries(files)) req = req.attach('files', Buffer.isBuffer(content) ? content : Buffer.from(content), name);
    const res = await req;
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(res.status).toBeLessThan(500);
    expect(res.headers['content-type']).toMatch(/application\/json/);
    expect(typeof res.body.code).toBe('string');
    expect(typeof res.body.message).toBe('string');
    return { status: res.status, code: res.body.code, files: res.body.details?.files ?? [] };
  }

  /** The problems a 422 lists for its single file. */
  async function problems(name: string, xml: string): Promise<Problem[]> {
    const r = await refused({ [name]: xml });
    expect(r).toMatchObject({ status: 422, code: 'DEPLOYMENT_INVALID' });
    expect(r.files.map((f) => f.file)).toEqual([name]);
    return r.files[0].errors;
  }

  afterEach(async () => {
    await request(t.http).get('/health').expect(200);
  });

  it('refuses a billion-laughs file before any entity is expanded', async () => {
    const started = Date.now();
    expect(await problems('lolz.bpmn', billionLaughs)).toEqual([expect.objectContaining({ code: 'BPMN_DOCTYPE' })]);
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it('refuses an XXE file (DOCTYPE with an external entity)', async () => {
    const errors = await problems('xxe.bpmn', xxe);
    expect(errors).toEqual([expect.objectContaining({ code: 'BPMN_DOCTYPE' })]);
    expect(JSON.stringify(errors)).not.toContain('root:');
  });

  it('refuses a script task, naming it', async () => {
    const errors = await problems('script.bpmn', diagram('<scriptTask id="Task_X" name="脚本" scriptFormat="javascript"><script>process.exit(1)</script></scriptTask>'));
    expect(errors).toContainEqual(expect.objectContaining({ code: 'BPMN_SCRIPT_TASK', elementId: 'Task_X' }));
  });

  it('refuses a JavaScript condition, naming the flow', async () => {
    const xml = diagram(`<userTask id="Task_X" name="审核" />`, false).replace(
      '<endEvent id="EndEvent_1" name="结束" />',
      `<sequenceFlow id="Flow_1" sourceRef="StartEvent_1" targetRef="Gateway_1" />
    <exclusiveGateway id="Gateway_1" name="判断" default="Flow_Default" />
    <sequenceFlow id="Flow_Js" sourceRef="Gateway_1" targetRef="Task_X">
      <conditionExpression xsi:type="tFormalExpression" language="javascript">next(null, require('child_process'))</conditionExpression>
    </sequenceFlow>
    <sequenceFlow id="Flow_Default" sourceRef="Gateway_1" targetRef="EndEvent_1" />
    <sequenceFlow id="Flow_2" sourceRef="Task_X" targetRef="EndEvent_1" />
    <endEvent id="EndEvent_1" name="结束" />`,
    );
    expect(await problems('js-condition.bpmn', xml)).toContainEqual(expect.objectContaining({ code: 'BPMN_SCRIPT_CONDITION', elementId: 'Flow_Js' }));
  });

  it('refuses expressions that reach constructor, in a service implementation and in a condition', async () => {
    const impl = diagram(`<serviceTask id="Task_X" name="服务" implementation="\${environment.constructor.constructor('return process')}" />`);
    const errors = await problems('constructor.bpmn', impl);
    expect(errors).toContainEqual(expect.objectContaining({ code: 'BPMN_EXPRESSION_INVALID', elementId: 'Task_X' }));

    const cond = diagram('<userTask id="Task_X" name="审核" />', false).replace(
      '<endEvent id="EndEvent_1" name="结束" />',
      `<sequenceFlow id="Flow_1" sourceRef="StartEvent_1" targetRef="Gateway_1" />
    <exclusiveGateway id="Gateway_1" name="判断" default="Flow_Default" />
    <sequenceFlow id="Flow_Evil" sourceRef="Gateway_1" targetRef="Task_X">
      <conditionExpression xsi:type="tFormalExpression">\${content.constructor.constructor("return process")().exit()}</conditionExpression>
    </sequenceFlow>
    <sequenceFlow id="Flow_Default" sourceRef="Gateway_1" targetRef="EndEvent_1" />
    <sequenceFlow id="Flow_2" sourceRef="Task_X" targetRef="EndEvent_1" />
    <endEvent id="EndEvent_1" name="结束" />`,
    );
    expect(await problems('constructor-condition.bpmn', cond)).toContainEqual(expect.objectContaining({ code: 'BPMN_EXPRESSION_INVALID', elementId: 'Flow_Evil' }));
  });

  it('refuses a sequence flow whose targetRef names nothing', async () => {
    const xml = diagram('<userTask id="Task_X" name="审核" />').replace('targetRef="EndEvent_1"', 'targetRef="EndEvent_Typo"');
    expect(await problems('dangling.bpmn', xml)).toContainEqual(expect.objectContaining({ code: 'BPMN_MODDLE_WARNING', elementId: 'Flow_2' }));
  });

  it('refuses a file over 10 MB with 413 before reading it', async () => {
    const padding = `<!-- ${'x'.repeat(10 * 1024 * 1024)} -->`;
    const big = diagram('<userTask id="Task_X" name="审核" />').replace('</definitions>', `${padding}\n</definitions>`);
    expect(Buffer.byteLength(big)).toBeGreaterThan(10 * 1024 * 1024);
    const r = await refused({ 'big.bpmn': big });
    expect(r).toMatchObject({ status: 413, code: 'PAYLOAD_TOO_LARGE' });
  });

  it('refuses a diagram of just under 10 MB made of 90,000 elements quickly, before parsing it', async () => {
    const tasks: string[] = [];
    for (let i = 0; i < 45000; i++) {
      tasks.push(`<userTask id="Task_${i}" name="任务${i}" /><sequenceFlow id="Flow_${i}" sourceRef="Task_${i}" targetRef="Task_${i + 1}" />`);
    }
    const xml = diagram(`<userTask id="Task_X" name="起点" />${tasks.join('\n')}`);
    expect(Buffer.byteLength(xml)).toBeGreaterThan(5 * 1024 * 1024);
    expect(Buffer.byteLength(xml)).toBeLessThan(10 * 1024 * 1024);
    const started = Date.now();
    expect(await problems('huge.bpmn', xml)).toEqual([expect.objectContaining({ code: 'BPMN_TOO_MANY_ELEMENTS' })]);
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it('refuses text that is not XML', async () => {
    expect(await problems('notes.bpmn', '这不是 XML，只是一段说明文字。')).toEqual([expect.objectContaining({ code: 'BPMN_NOT_XML' })]);
    expect(await problems('broken.bpmn', `${HEAD}\n<definitions ${NS}><process id="p" isExecutable="true"><startEvent id="s"`)).toContainEqual(
      expect.objectContaining({ code: expect.stringMatching(/^BPMN_/) }),
    );
  });

  it('refuses a .dmn decision with no table or expression, naming it, and a file of another type', async () => {
    const dmn = `${HEAD}\n<definitions xmlns="https://www.omg.org/spec/DMN/20191111/MODEL/" id="d" name="决策" namespace="x"><decision id="d1" name="资格" /></definitions>`;
    expect(await problems('eligibility.dmn', dmn)).toEqual([expect.objectContaining({ code: 'DMN_LOGIC_UNSUPPORTED', elementId: 'd1' }), expect.objectContaining({ code: 'DMN_NO_DECISION' })]);
    expect(await problems('notes.txt', 'hello')).toEqual([expect.objectContaining({ code: 'RESOURCE_TYPE_UNSUPPORTED' })]);
  });

  it('answers an empty multipart request with 400', async () => {
    const res = await request(t.http).post('/api/deployments').field('name', '空部署').expect(400);
    expect(res.body.code).toBe('DEPLOYMENT_EMPTY');
    const none = await request(t.http).post('/api/deployments').set('content-type', 'multipart/form-data; boundary=x').send('--x--\r\n');
    expect(none.status).toBe(400);
    expect(typeof none.body.code).toBe('string');
  });

  it('deploys nothing at all when one file of several is refused', async () => {
    const good = diagram('<userTask id="Task_X" name="审核" />').replace('id="hostile"', 'id="harmless"');
    const r = await refused({ 'good.bpmn': good, 'script.bpmn': diagram('<scriptTask id="Task_X" name="脚本"><script>1</script></scriptTask>') });
    expect(r.status).toBe(422);
    expect(r.files.map((f) => f.file)).toEqual(['script.bpmn']);
    expect((await request(t.http).get('/api/process-definitions?key=harmless').expect(200)).body).toEqual([]);
  });

  describe('the 21 BPMN MIWG reference diagrams', () => {
    it('are all in test/fixtures/miwg-reference', () => {
      expect(existsSync(MIWG)).toBe(true);
      expect(readdirSync(MIWG).filter((f) => f.endsWith('.bpmn'))).toHaveLength(21);
    });

    const files = existsSync(MIWG) ? readdirSync(MIWG).filter((f) => f.endsWith('.bpmn')).sort() : [];
    it.each(files)('%s gets a clear answer: 201, or a 4xx naming the problems', async (file) => {
      const res = await deploy(t, { [file]: readFileSync(join(MIWG, file), 'utf8') });
      expect(res.status === 201 || (res.status >= 400 && res.status < 500)).toBe(true);
      if (res.status === 201) {
        expect(res.body.definitions.length).toBeGreaterThan(0);
      } else {
        expect(res.body.code).toBe('DEPLOYMENT_INVALID');
        const errors: Problem[] = res.body.details.files[0].errors;
        expect(errors.length).toBeGreaterThan(0);
        for (const e of errors) expect(e.code).toMatch(/^[A-Z_]+$/);
      }
    });
  });
});
