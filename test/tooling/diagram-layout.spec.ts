import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import request from 'supertest';
import { ModdleElement, detectExtensionSchema, parseBpmn } from '../../src/engine/definitions/bpmn-schema';
import { TestApp, createEngineTestApp } from '../support/app';

/**
 * The diagrams under processes/ carry a layout (BPMN DI) that Camunda Modeler and bpmn-js can open,
 * made by `npm run diagrams:layout` (scripts/layout-diagrams.mjs), which adds the layout and
 * changes nothing else.
 */
const root = resolve(__dirname, '../..');
const processes = join(root, 'processes');
const script = join(root, 'scripts/layout-diagrams.mjs');
const diagrams = readdirSync(processes).filter((f) => f.endsWith('.bpmn')).sort();
const read = (file: string) => readFileSync(join(processes, file), 'utf8');

/** The text without its bpmndi:BPMNDiagram elements and the DI namespace declarations. */
function withoutDi(xml: string): string {
  return xml
    .replace(/[ \t]*<bpmndi:BPMNDiagram\b[\s\S]*?<\/bpmndi:BPMNDiagram>[ \t]*\r?\n?/g, '')
    .replace(/ xmlns:(bpmndi|dc|di)="[^"]*"/g, '');
}

interface Box { x: number; y: number; width: number; height: number }
const overlap = (a: Box, b: Box) => a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
const inside = (a: Box, b: Box) => a.x >= b.x && a.y >= b.y && a.x + a.width <= b.x + b.width && a.y + a.height <= b.y + b.height;

/** Flow nodes and sequence flows of the process and its sub-processes, each with its container chain. */
function flowElements(definitions: ModdleElement) {
  const nodes: { el: ModdleElement; containers: ModdleElement[] }[] = [];
  const flows: ModdleElement[] = [];
  const visit = (c: ModdleElement, chain: ModdleElement[]) => {
    for (const el of (c.flowElements ?? []) as ModdleElement[]) {
      if (el.$type === 'bpmn:SequenceFlow') flows.push(el);
      else {
        nodes.push({ el, containers: [...chain, c] });
        if (el.$type === 'bpmn:SubProcess') visit(el, [...chain, c]);
      }
    }
  };
  for (const p of (definitions.rootElements ?? []) as ModdleElement[]) if (p.$type === 'bpmn:Process') visit(p, []);
  return { nodes, flows };
}

async function layoutOf(xml: string) {
  const { definitions } = await parseBpmn(xml, detectExtensionSchema(xml));
  const diagramList = (definitions.diagrams ?? []) as ModdleElement[];
  const di = new Map<string | undefined, ModdleElement>();
  for (const d of diagramList) for (const e of (d.plane?.planeElement ?? []) as ModdleElement[]) if (e.bpmnElement) di.set(e.bpmnElement.id, e);
  return { definitions, diagrams: diagramList, di, ...flowElements(definitions) };
}

function runScript(...args: string[]) {
  return spawnSync(process.execPath, [script, ...args], { cwd: root, encoding: 'utf8' });
}

describe('the diagrams in processes/ have a layout for Camunda Modeler', () => {
  it.each(diagrams)('%s: a plane on the process, a shape with bounds for every flow node, an edge for every sequence flow', async (file) => {
    const { definitions, diagrams: list, di, nodes, flows } = await layoutOf(read(file));
    const process = (definitions.rootElements as ModdleElement[]).find((r) => r.$type === 'bpmn:Process')!;
    expect(list.length).toBeGreaterThan(0);
    expect(list.map((d) => d.plane.bpmnElement?.id)).toContain(process.id);

    const noShape = nodes.filter(({ el }) => di.get(el.id)?.$type !== 'bpmndi:BPMNShape').map(({ el }) => el.id);
    const noBounds = nodes
      .map(({ el }) => ({ id: el.id, b: di.get(el.id)?.bounds as Box | undefined }))
      .filter(({ b }) => !b || ![b.x, b.y, b.width, b.height].every(Number.isFinite) || b.width <= 0 || b.height <= 0)
      .map(({ id }) => id);
    const noEdge = flows.filter((f) => di.get(f.id)?.$type !== 'bpmndi:BPMNEdge' || di.get(f.id)!.waypoint.length < 2).map((f) => f.id);
    expect({ noShape, noBounds, noEdge }).toEqual({ noShape: [], noBounds: [], noEdge: [] });
    // expanded sub-processes: their content is drawn inside them, on the same plane
    for (const { el } of nodes.filter(({ el }) => el.$type === 'bpmn:SubProcess')) expect(di.get(el.id)!.isExpanded).toBe(true);
  });

  it.each(diagrams)('%s: boundary events sit on their host\'s border, and no two shapes are on top of each other', async (file) => {
    const { di, nodes } = await layoutOf(read(file));
    const box = (el: ModdleElement) => di.get(el.id)!.bounds as Box;
    const offBorder = nodes
      .filter(({ el }) => el.$type === 'bpmn:BoundaryEvent')
      .filter(({ el }) => {
        const [b, h] = [box(el), box(el.attachedToRef)];
        const [cx, cy] = [b.x + b.width / 2, b.y + b.height / 2];
        const onVertical = [h.x, h.x + h.width].some((x) => Math.abs(cx - x) <= 1) && cy >= h.y && cy <= h.y + h.height;
        const onHorizontal = [h.y, h.y + h.height].some((y) => Math.abs(cy - y) <= 1) && cx >= h.x && cx <= h.x + h.width;
        return !onVertical && !onHorizontal;
      })
      .map(({ el }) => el.id);
    expect(offBorder).toEqual([]);

    const stacked: string[] = [];
    for (const [i, a] of nodes.entries()) {
      for (const b of nodes.slice(i + 1)) {
        if (!overlap(box(a.el), box(b.el))) continue;
        if (a.el.attachedToRef === b.el || b.el.attachedToRef === a.el) continue;
        if (a.containers.includes(b.el) && inside(box(a.el), box(b.el))) continue;
        if (b.containers.includes(a.el) && inside(box(b.el), box(a.el))) continue;
        // a boundary event on a sub-process sits on its border, over what is drawn inside it
        if ((a.el.attachedToRef && b.containers.includes(a.el.attachedToRef)) || (b.el.attachedToRef && a.containers.includes(b.el.attachedToRef))) continue;
        stacked.push(`${a.el.id} / ${b.el.id}`);
      }
    }
    expect(stacked).toEqual([]);
    // what is drawn inside a sub-process stays inside it
    const outside = nodes
      .filter(({ el, containers }) => !el.attachedToRef && containers.at(-1)!.$type === 'bpmn:SubProcess' && !inside(box(el), box(containers.at(-1)!)))
      .map(({ el }) => el.id);
    expect(outside).toEqual([]);
  });

  describe('deployment', () => {
    let t: TestApp;
    beforeAll(async () => {
      t = await createEngineTestApp(); // the boot deploys processes/ as laid out
    });
    afterAll(() => t?.close());

    it('every diagram deploys as before, without warnings about its layout', async () => {
      type Def = { key: string; resourceName: string; warnings: { code: string; elementId?: string; message: string }[] };
      const booted = (await request(t.http).get('/api/process-definitions?latestOnly=true').expect(200)).body as Def[];
      let req = request(t.http).post('/api/deployments');
      for (const file of diagrams) req = req.attach('files', Buffer.from(withoutDi(read(file))), file);
      const res = await req;
      expect(res.status).toBe(201);
      const bare = res.body.definitions as Def[];
      const problem = (w: Def['warnings'][number]) => `${w.code} ${w.elementId ?? ''} ${w.message}`;
      for (const file of diagrams) {
        const laidOut = booted.find((d) => d.resourceName === file);
        const without = bare.find((d) => d.resourceName === file);
        expect({ file, deployed: !!laidOut && !!without }).toEqual({ file, deployed: true });
        const layoutWarnings = laidOut!.warnings.filter((w) => /bpmndi|overlap|LINT_no-bpmndi/i.test(`${w.code} ${w.message}`));
        expect({ file, layoutWarnings }).toEqual({ file, layoutWarnings: [] });
        // without a layout bpmnlint reports every element as missing bpmndi; nothing else changes
        const added = laidOut!.warnings.map(problem).filter((p) => !without!.warnings.map(problem).includes(p));
        expect({ file, added }).toEqual({ file, added: [] });
        expect(without!.warnings.some((w) => w.code === 'LINT_no-bpmndi')).toBe(true);
      }
    });
  });
});

describe('npm run diagrams:layout (scripts/layout-diagrams.mjs)', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'anju-layout-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('lays out a diagram without DI and leaves its process part byte for byte as it was', () => {
    const files = diagrams.map((f) => {
      const path = join(dir, f);
      writeFileSync(path, withoutDi(read(f)));
      return path;
    });
    const run = runScript(...files);
    expect({ status: run.status, stderr: run.stderr }).toEqual({ status: 0, stderr: '' });
    for (const [i, path] of files.entries()) {
      const out = readFileSync(path, 'utf8');
      expect(out).toMatch(/<bpmndi:BPMNDiagram\b/);
      expect(withoutDi(out)).toBe(withoutDi(read(diagrams[i])));
    }
    expect(runScript('--check', ...files).status).toBe(0);
  });

  it('keeps a diagram that has a layout, unless --force', () => {
    const path = join(dir, 'kept.bpmn');
    const text = read(diagrams[0]).replace(/(<bpmndi:BPMNShape id="[^"]+" bpmnElement="[^"]+"[^>]*>\s*<dc:Bounds x=")[\d.-]+/, '$1-7777');
    writeFileSync(path, text);
    const kept = runScript(path);
    expect(kept.status).toBe(0);
    expect(kept.stdout).toContain('has a layout, kept');
    expect(readFileSync(path, 'utf8')).toBe(text);
    expect(runScript('--force', path).status).toBe(0);
    const redone = readFileSync(path, 'utf8');
    expect(redone).not.toContain('-7777');
    expect(withoutDi(redone)).toBe(withoutDi(text));
  });

  it('refuses what bpmn-auto-layout cannot lay out, and --check reports a diagram without a layout', () => {
    const pools = join(dir, 'pools.bpmn');
    writeFileSync(pools, `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" id="Definitions_Pools" targetNamespace="https://anju.example/processes">
  <bpmn:collaboration id="Collaboration_1"><bpmn:participant id="Participant_1" processRef="pools" /></bpmn:collaboration>
  <bpmn:process id="pools" isExecutable="true"><bpmn:startEvent id="StartEvent_1" /></bpmn:process>
</bpmn:definitions>
`);
    const before = readFileSync(pools, 'utf8');
    const refused = runScript(pools);
    expect(refused.status).toBe(1);
    expect(refused.stderr).toContain('collaboration');
    expect(readFileSync(pools, 'utf8')).toBe(before);
    const check = runScript('--check', pools);
    expect(check.status).toBe(1);
    expect(check.stderr).toContain('no bpmndi:BPMNDiagram');
  });
});
