/**
 * `npm run diagrams:layout [-- --force] [-- --check] [files...]`: gives every BPMN diagram under
 * processes/ (or the files named) that has no diagram interchange (bpmndi:BPMNDiagram) a layout,
 * so that Camunda Modeler and bpmn-js can open it. `--force` lays out diagrams that already have
 * one too (their old layout is replaced); `--check` writes nothing and fails when a diagram has
 * no complete layout.
 *
 * The layout comes from bpmn-auto-layout, but only its bpmndi:BPMNDiagram is kept: it is inserted
 * into the original text before the closing </definitions>, so the process part stays byte for
 * byte as it was (bpmn-auto-layout re-serializes the whole document). Before writing, the result
 * is parsed with bpmn-moddle and its semantic part compared with the original's, and the layout
 * is checked: a shape with bounds for every flow node, an edge for every sequence flow, boundary
 * events on their host's border, no two shapes on top of each other.
 *
 * Worked around in bpmn-auto-layout 1.3.0, on the copy it is given (never on the file):
 * - sub-processes without DI are laid out "collapsed", but their content is drawn on the main
 *   plane over the other shapes: each sub-process is given a stub shape marked isExpanded, so it
 *   is laid out expanded, its content inside it;
 * - a gateway whose second or later outgoing flow leads to a join it reaches before the join's
 *   other branches loses the branch after it (an exception, or a shape left out): outgoing flows
 *   are ordered so that flows into joins come last;
 * - incoming/outgoing references, which it reads and a hand-written diagram may leave out, are
 *   filled in from the sequence flows.
 * Corrected in its result: boundary events of one host that overlap are spread apart, flows drawn
 * through other shapes are routed around them, and labels are placed beside gateways, boundary
 * events and flows instead of on their lines.
 * It lays out the first process only, and no lanes, participants, text annotations, groups,
 * associations or data objects: a diagram with a collaboration is refused, the others are named.
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const ROOT = resolve(fileURLToPath(new URL('..', import.meta.url)));
const PROCESSES = join(ROOT, 'processes');

const NS = {
  bpmndi: 'http://www.omg.org/spec/BPMN/20100524/DI',
  dc: 'http://www.omg.org/spec/DD/20100524/DC',
  di: 'http://www.omg.org/spec/DD/20100524/DI',
  camunda: 'http://camunda.org/schema/1.0/bpmn',
  zeebe: 'http://camunda.org/schema/zeebe/1.0',
};

/** bpmn-moddle (the project's, CommonJS) with the extension the diagram declares, so its attributes are typed. */
function moddleFor(xml) {
  const BpmnModdle = require('bpmn-moddle');
  const ext = {};
  if (xml.includes(NS.camunda)) ext.camunda = require('camunda-bpmn-moddle/resources/camunda.json');
  else if (xml.includes(NS.zeebe)) ext.zeebe = require('zeebe-bpmn-moddle/resources/zeebe.json');
  return new BpmnModdle(ext);
}

async function parse(xml) {
  const { rootElement, warnings } = await moddleFor(xml).fromXML(xml, 'bpmn:Definitions');
  return { definitions: rootElement, warnings: warnings.map((w) => String(w.message)) };
}

const is = (el, type) => typeof el?.$instanceOf === 'function' && el.$instanceOf(type);

/** Processes and sub-processes, depth first. */
function containers(definitions) {
  const out = [];
  const visit = (c) => {
    out.push(c);
    for (const el of c.flowElements ?? []) if (is(el, 'bpmn:SubProcess')) visit(el);
  };
  for (const root of definitions.rootElements ?? []) if (is(root, 'bpmn:Process')) visit(root);
  return out;
}

/** The opening tag of the root element, its name and its namespace declarations (prefix → URI). */
function rootTag(xml) {
  const m = /<([A-Za-z_][\w.-]*:)?definitions\b[^>]*>/.exec(xml);
  if (!m) throw new Error('no <definitions> element');
  const decls = new Map([...m[0].matchAll(/\sxmlns:([\w.-]+)\s*=\s*(["'])(.*?)\2/g)].map((d) => [d[1], d[3]]));
  return { tag: m[0], index: m.index, name: `${m[1] ?? ''}definitions`, decls };
}

function prefixOf(decls, uri) {
  for (const [p, u] of decls) if (u === uri) return p;
  return undefined;
}

/** The text without its bpmndi:BPMNDiagram elements (and the whitespace before each). */
export function stripDi(xml) {
  const p = prefixOf(rootTag(xml).decls, NS.bpmndi);
  if (!p) return xml;
  return xml.replace(new RegExp(`[ \\t]*<${p}:BPMNDiagram\\b[\\s\\S]*?</${p}:BPMNDiagram>[ \\t]*\\r?\\n?`, 'g'), '');
}

/** Whether the text has any diagram interchange. */
export function hasDi(xml) {
  const p = prefixOf(rootTag(xml).decls, NS.bpmndi);
  return !!p && new RegExp(`<${p}:BPMNDiagram\\b`).test(xml);
}

/**
 * For each flow node, the number of steps on the longest path from it to an end, flows back to an
 * element already on the path left out (loops), a boundary event's path counted from its host.
 */
function longestPaths(nodes) {
  const depth = new Map();
  const onPath = new Set();
  const next = (n) => [
    ...(n.outgoing ?? []).map((f) => f.targetRef),
    ...nodes.filter((b) => b.attachedToRef === n).flatMap((b) => (b.outgoing ?? []).map((f) => f.targetRef)),
  ].filter((t) => nodes.includes(t));
  const visit = (n) => {
    if (depth.has(n)) return depth.get(n);
    onPath.add(n);
    let best = 0;
    for (const t of next(n)) if (!onPath.has(t)) best = Math.max(best, 1 + visit(t));
    onPath.delete(n);
    depth.set(n, best);
    return best;
  };
  for (const n of nodes) visit(n);
  return depth;
}

/** The copy given to bpmn-auto-layout: see the workarounds in the header. */
async function layoutInput(semanticXml) {
  const moddle = moddleFor(semanticXml);
  const { rootElement: definitions } = await moddle.fromXML(semanticXml, 'bpmn:Definitions');
  const all = containers(definitions);
  for (const c of all) {
    const flows = (c.flowElements ?? []).filter((el) => is(el, 'bpmn:SequenceFlow'));
    const nodes = (c.flowElements ?? []).filter((el) => is(el, 'bpmn:FlowNode'));
    for (const n of nodes) {
      // keep the author's order (the main path first), then any flow the element does not list
      const listed = (list, pick) => [...(list ?? []).filter((f) => pick(f) === n), ...flows.filter((f) => pick(f) === n && !(list ?? []).includes(f))];
      n.incoming = listed(n.incoming, (f) => f.targetRef);
      n.outgoing = listed(n.outgoing, (f) => f.sourceRef);
    }
    const isJoin = (el) => (el?.incoming?.length ?? 0) > 1;
    const depth = longestPaths(nodes);
    const byDepth = (list) => [...list].sort((a, b) => (depth.get(b.targetRef) ?? 0) - (depth.get(a.targetRef) ?? 0));
    for (const n of nodes) {
      if (n.outgoing.length > 1) n.outgoing = [...byDepth(n.outgoing.filter((f) => !isJoin(f.targetRef))), ...byDepth(n.outgoing.filter((f) => isJoin(f.targetRef)))];
    }
  }
  const process = (definitions.rootElements ?? []).find((r) => is(r, 'bpmn:Process'));
  const expanded = all.filter((c) => is(c, 'bpmn:SubProcess')).map((s) =>
    moddle.create('bpmndi:BPMNShape', {
      id: `${s.id}_layout_stub`, bpmnElement: s, isExpanded: true,
      bounds: moddle.create('dc:Bounds', { x: 0, y: 0, width: 100, height: 80 }),
    }));
  const plane = moddle.create('bpmndi:BPMNPlane', { id: 'Plane_layout_stub', bpmnElement: process, planeElement: expanded });
  definitions.diagrams = [moddle.create('bpmndi:BPMNDiagram', { id: 'Diagram_layout_stub', plane })];
  return (await moddle.toXML(definitions, { format: true })).xml;
}

/**
 * Corrections to bpmn-auto-layout's diagram: it spreads the boundary events of one host over its
 * lower edge a third of the width apart, so two events on a task overlap; they are put a half of
 * the width apart (a k-th of it for k events), their outgoing edges' first leg moved with them.
 */
async function adjust(laidOut) {
  const moddle = moddleFor(laidOut);
  const { rootElement: definitions } = await moddle.fromXML(laidOut, 'bpmn:Definitions');
  const di = new Map();
  for (const d of definitions.diagrams ?? []) for (const e of d.plane?.planeElement ?? []) if (e.bpmnElement) di.set(e.bpmnElement, e);
  const attachers = new Map();
  for (const c of containers(definitions)) {
    for (const el of c.flowElements ?? []) {
      if (is(el, 'bpmn:BoundaryEvent') && el.attachedToRef) attachers.set(el.attachedToRef, [...(attachers.get(el.attachedToRef) ?? []), el]);
    }
  }
  for (const [host, events] of attachers) {
    const h = di.get(host)?.bounds;
    if (!h) continue;
    const shapes = events.map((e) => di.get(e)).filter(Boolean).sort((a, b) => a.bounds.x - b.bounds.x);
    shapes.forEach((shape, i) => {
      const b = shape.bounds;
      const x = Math.round(h.x + (h.width * (2 * i + 1)) / (2 * shapes.length) - b.width / 2);
      const dx = x - b.x;
      if (!dx) return;
      b.x = x;
      for (const flow of shape.bpmnElement.outgoing ?? []) {
        const [first, second] = di.get(flow)?.waypoint ?? [];
        if (!first) continue;
        if (second && second.x === first.x) second.x += dx;
        first.x += dx;
      }
    });
  }
  reroute(moddle, definitions, di);
  placeLabels(moddle, definitions, di);
  return (await moddle.toXML(definitions, { format: true })).xml;
}

const right = (b) => b.x + b.width;
const bottom = (b) => b.y + b.height;
const contains = (outer, inner) => inner.x >= outer.x && inner.y >= outer.y && right(inner) <= right(outer) && bottom(inner) <= bottom(outer);

/** Whether the axis-parallel segment a-b passes through the inside of the box (its border excluded). */
function crosses(a, b, box) {
  const [x1, x2] = [Math.min(a.x, b.x), Math.max(a.x, b.x)];
  const [y1, y2] = [Math.min(a.y, b.y), Math.max(a.y, b.y)];
  return x1 < right(box) - 1 && x2 > box.x + 1 && y1 < bottom(box) - 1 && y2 > box.y + 1;
}

/**
 * bpmn-auto-layout draws some flows straight through the shapes between their ends (a flow into
 * a join far along the same row). Such a flow is given a three-legged route, under or over the
 * shapes in its way, inside the sub-process that holds both ends; the shorter free one wins.
 */
function reroute(moddle, definitions, di) {
  const shapes = [...di.values()].filter((d) => is(d, 'bpmndi:BPMNShape') && d.bounds);
  const lanes = [];
  for (const c of containers(definitions)) {
    for (const flow of (c.flowElements ?? []).filter((el) => is(el, 'bpmn:SequenceFlow'))) {
      const edge = di.get(flow);
      const S = di.get(flow.sourceRef)?.bounds;
      const T = di.get(flow.targetRef)?.bounds;
      if (!edge || !S || !T) continue;
      const obstacles = shapes.map((d) => d.bounds).filter((b) => b !== S && b !== T && !contains(b, S) && !contains(b, T))
        .map((b) => ({ x: b.x - 8, y: b.y - 8, width: b.width + 16, height: b.height + 16 }));
      const blocked = (points) => points.some((p, i) => i > 0 && obstacles.some((o) => crosses(points[i - 1], p, o)));
      if (!blocked(edge.waypoint)) continue;
      const box = di.get(c)?.bounds;
      const sx = S.x + S.width / 2;
      const tx = T.x + T.width / 2;
      const taken = (y) => lanes.some((l) => Math.abs(l.y - y) < 8 && l.target !== flow.targetRef && l.x1 < Math.max(sx, tx) && l.x2 > Math.min(sx, tx));
      const candidates = [];
      const edges = obstacles.flatMap((o) => [bottom(o) + 7, o.y - 7]);
      const below = [Math.max(bottom(S), bottom(T)) + 15, ...edges].filter((y) => y >= Math.max(bottom(S), bottom(T)) + 15).sort((a, b) => a - b);
      const above = [Math.min(S.y, T.y) - 15, ...edges].filter((y) => y <= Math.min(S.y, T.y) - 15).sort((a, b) => b - a);
      for (const [ys, sy, ty] of [[below, bottom(S), bottom(T)], [above, S.y, T.y]]) {
        for (const y of ys) {
          if (box && (y <= box.y + 5 || y >= bottom(box) - 5)) continue;
          const points = [{ x: sx, y: sy }, { x: sx, y }, { x: tx, y }, { x: tx, y: ty }];
          if (blocked(points) || taken(y)) continue;
          candidates.push({ points, length: Math.abs(y - sy) + Math.abs(tx - sx) + Math.abs(y - ty) });
          break;
        }
      }
      const best = candidates.sort((a, b) => a.length - b.length)[0];
      if (!best) continue;
      edge.waypoint = best.points.map((p) => moddle.create('dc:Point', { x: Math.round(p.x), y: Math.round(p.y) }));
      lanes.push({ y: best.points[1].y, x1: Math.min(sx, tx), x2: Math.max(sx, tx), target: flow.targetRef });
    }
  }
}

/** The size bpmn-js gives a label: lines of at most 90 px at 11 px a character (half for Latin). */
function labelSize(text) {
  const width = [...text].reduce((w, ch) => w + (ch.charCodeAt(0) > 0x2e80 ? 11 : 6), 0);
  return { width: Math.min(90, Math.max(width, 10)), height: 14 * Math.ceil(width / 90) };
}

/**
 * Label positions (bpmn-js centres a label under its element, or on the middle of a flow, where
 * the flows of this layout run): a gateway's above it, a boundary event's beside it (its flow
 * leaves downwards), a flow's beside its first leg, just after its source.
 */
function placeLabels(moddle, definitions, di) {
  const setLabel = (d, x, y, size) => {
    d.label = moddle.create('bpmndi:BPMNLabel', {
      bounds: moddle.create('dc:Bounds', { x: Math.round(x), y: Math.round(y), width: size.width, height: size.height }),
    });
  };
  for (const c of containers(definitions)) {
    const attached = new Map();
    for (const el of c.flowElements ?? []) {
      const d = di.get(el);
      if (!d || !el.name) continue;
      const size = labelSize(el.name);
      if (is(el, 'bpmn:Gateway')) {
        const b = d.bounds;
        setLabel(d, b.x + b.width / 2 - size.width / 2, b.y - size.height - 4, size);
      } else if (is(el, 'bpmn:BoundaryEvent')) {
        attached.set(el.attachedToRef, [...(attached.get(el.attachedToRef) ?? []), d]);
      } else if (is(el, 'bpmn:SequenceFlow')) {
        const [a, b] = d.waypoint ?? [];
        if (!a || !b) continue;
        if (a.y === b.y) setLabel(d, b.x > a.x ? a.x + 6 : a.x - 6 - size.width, a.y - size.height - 3, size);
        else setLabel(d, a.x + 5, b.y > a.y ? a.y + 6 : a.y - 6 - size.height, size);
      }
    }
    for (const list of attached.values()) {
      list.sort((p, q) => p.bounds.x - q.bounds.x).forEach((d, i) => {
        const b = d.bounds;
        const size = labelSize(d.bpmnElement.name);
        const leftSide = list.length > 1 && i < list.length / 2;
        setLabel(d, leftSide ? b.x - 2 - size.width : b.x + b.width + 2, b.y + b.height - 4, size);
      });
    }
  }
}

/** Adds the namespace declarations the DI block needs to the root tag; refuses a prefix bound elsewhere. */
function declareDiNamespaces(xml, needed) {
  const root = rootTag(xml);
  const missing = [];
  for (const [prefix, uri] of needed) {
    const bound = root.decls.get(prefix);
    if (bound === uri) continue;
    if (bound !== undefined) throw new Error(`the prefix ${prefix} is bound to ${bound}, not ${uri}`);
    missing.push(` xmlns:${prefix}="${uri}"`);
  }
  if (!missing.length) return xml;
  const tag = root.tag.replace(/(\s*\/?>)$/, `${missing.join('')}$1`);
  return xml.slice(0, root.index) + tag + xml.slice(root.index + root.tag.length);
}

/**
 * The original text with a generated layout: its own diagram interchange (if any) replaced by the
 * bpmndi:BPMNDiagram bpmn-auto-layout made, and nothing else changed.
 */
export async function layoutDiagram(xml) {
  const { layoutProcess } = await import('bpmn-auto-layout');
  const semantic = stripDi(xml);
  const { definitions } = await parse(semantic);
  const roots = definitions.rootElements ?? [];
  if (roots.some((r) => is(r, 'bpmn:Collaboration'))) {
    throw new Error('it has a collaboration (pools): bpmn-auto-layout lays out only the first process; lay it out in Camunda Modeler');
  }
  if (roots.filter((r) => is(r, 'bpmn:Process')).length !== 1) throw new Error('it must hold exactly one process');

  const laidOut = await adjust(await layoutProcess(await layoutInput(semantic)));
  const outRoot = rootTag(laidOut);
  const needed = ['bpmndi', 'dc', 'di'].map((k) => [prefixOf(outRoot.decls, NS[k]), NS[k]]);
  const p = needed[0][0];
  const block = new RegExp(`<${p}:BPMNDiagram\\b[\\s\\S]*</${p}:BPMNDiagram>`).exec(laidOut);
  if (!block) throw new Error('bpmn-auto-layout returned no diagram');

  const withNs = declareDiNamespaces(semantic, needed.filter(([prefix]) => block[0].includes(`<${prefix}:`)));
  const close = withNs.lastIndexOf(`</${rootTag(withNs).name}>`);
  if (close < 0) throw new Error('no closing </definitions>');
  const before = withNs.slice(0, close);
  const eol = withNs.includes('\r\n') ? '\r\n' : '\n';
  const lead = /\n$/.test(before) ? '' : eol;
  return `${before}${lead}  ${block[0].replace(/\r?\n/g, eol)}${eol}${withNs.slice(close)}`;
}

/** The semantic part, serialized by bpmn-moddle without any diagram interchange. */
async function semanticPart(xml) {
  const { definitions, warnings } = await parse(xml);
  definitions.diagrams = [];
  const { xml: text } = await moddleFor(xml).toXML(definitions, { format: true });
  return { text, warnings };
}

/** Differences between the semantic parts of two versions of a diagram (empty when equivalent). */
export async function semanticDifferences(before, after) {
  const [a, b] = await Promise.all([semanticPart(before), semanticPart(after)]);
  const problems = [];
  if (a.text !== b.text) {
    const la = a.text.split('\n');
    const lb = b.text.split('\n');
    const i = la.findIndex((line, n) => line !== lb[n]);
    problems.push(`the process part differs, first at line ${i + 1} of the parsed text: "${(la[i] ?? '').trim()}" became "${(lb[i] ?? '').trim()}"`);
  }
  const extra = b.warnings.filter((w) => !a.warnings.includes(w));
  if (extra.length) problems.push(`new parser warnings: ${extra.join('; ')}`);
  return problems;
}

const inside = (inner, outer) =>
  inner.x >= outer.x && inner.y >= outer.y && inner.x + inner.width <= outer.x + outer.width && inner.y + inner.height <= outer.y + outer.height;
const overlap = (a, b) => a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;

/**
 * Problems of a diagram's layout (empty when complete): a plane on the process, a shape with
 * bounds for every flow node, an edge with waypoints for every sequence flow, each boundary event
 * centred on its host's border, no two shapes on top of each other (a shape inside the expanded
 * sub-process that holds it is not on top of it).
 */
export async function layoutProblems(xml) {
  const { definitions } = await parse(xml);
  const problems = [];
  const process = (definitions.rootElements ?? []).find((r) => is(r, 'bpmn:Process'));
  const diagrams = definitions.diagrams ?? [];
  if (!diagrams.length) return ['no bpmndi:BPMNDiagram'];
  const collaboration = (definitions.rootElements ?? []).find((r) => is(r, 'bpmn:Collaboration'));
  if (!diagrams.some((d) => d.plane?.bpmnElement === process || (collaboration && d.plane?.bpmnElement === collaboration))) {
    problems.push(`no plane shows the process ${process?.id}`);
  }
  const di = new Map();
  for (const d of diagrams) for (const e of d.plane?.planeElement ?? []) if (e.bpmnElement) di.set(e.bpmnElement, e);

  const nodes = [];
  const parentOf = new Map();
  for (const c of containers(definitions)) {
    for (const el of c.flowElements ?? []) {
      if (is(el, 'bpmn:SequenceFlow')) {
        const edge = di.get(el);
        if (!is(edge, 'bpmndi:BPMNEdge')) problems.push(`the sequence flow ${el.id} has no edge`);
        else if ((edge.waypoint ?? []).length < 2) problems.push(`the edge of ${el.id} has fewer than two waypoints`);
      } else if (is(el, 'bpmn:FlowNode')) {
        nodes.push(el);
        parentOf.set(el, c);
        const b = di.get(el)?.bounds;
        if (!is(di.get(el), 'bpmndi:BPMNShape')) problems.push(`the flow node ${el.id} has no shape`);
        else if (![b?.x, b?.y, b?.width, b?.height].every(Number.isFinite) || !(b.width > 0 && b.height > 0)) problems.push(`the shape of ${el.id} has no bounds`);
      }
    }
  }
  const bounds = (el) => di.get(el)?.bounds;
  const ancestors = (el) => {
    const out = new Set();
    for (let p = parentOf.get(el); p; p = parentOf.get(p)) out.add(p);
    return out;
  };
  for (const el of nodes.filter((n) => is(n, 'bpmn:BoundaryEvent'))) {
    const b = bounds(el);
    const h = bounds(el.attachedToRef);
    if (!b || !h) continue;
    const cx = b.x + b.width / 2;
    const cy = b.y + b.height / 2;
    const onX = (Math.abs(cx - h.x) <= 1 || Math.abs(cx - h.x - h.width) <= 1) && cy >= h.y - 1 && cy <= h.y + h.height + 1;
    const onY = (Math.abs(cy - h.y) <= 1 || Math.abs(cy - h.y - h.height) <= 1) && cx >= h.x - 1 && cx <= h.x + h.width + 1;
    if (!onX && !onY) problems.push(`the boundary event ${el.id} is not on the border of ${el.attachedToRef.id}`);
  }
  const placed = nodes.filter((n) => bounds(n));
  for (let i = 0; i < placed.length; i++) {
    for (let j = i + 1; j < placed.length; j++) {
      const [a, b] = [placed[i], placed[j]];
      if (!overlap(bounds(a), bounds(b))) continue;
      if (a.attachedToRef === b || b.attachedToRef === a) continue;
      if (ancestors(a).has(b) && inside(bounds(a), bounds(b))) continue;
      if (ancestors(b).has(a) && inside(bounds(b), bounds(a))) continue;
      // a boundary event on a sub-process may sit over the border of a shape inside it
      if ((a.attachedToRef && ancestors(b).has(a.attachedToRef)) || (b.attachedToRef && ancestors(a).has(b.attachedToRef))) continue;
      problems.push(`${a.id} and ${b.id} are on top of each other`);
    }
  }
  for (const el of nodes) {
    const p = parentOf.get(el);
    if (is(p, 'bpmn:SubProcess') && bounds(p) && bounds(el) && !el.attachedToRef && !inside(bounds(el), bounds(p))) {
      problems.push(`${el.id} lies outside its sub-process ${p.id}`);
    }
  }
  return problems;
}

/** What bpmn-auto-layout leaves without a layout (Camunda Modeler does not show them). */
async function notLaidOut(xml) {
  const { definitions } = await parse(xml);
  const names = [];
  for (const c of containers(definitions)) {
    for (const a of c.artifacts ?? []) names.push(`${a.$type.replace('bpmn:', '')} ${a.id}`);
    for (const el of c.flowElements ?? []) if (is(el, 'bpmn:DataObjectReference') || is(el, 'bpmn:DataStoreReference')) names.push(`${el.$type.replace('bpmn:', '')} ${el.id}`);
    for (const ls of c.laneSets ?? []) for (const lane of ls.lanes ?? []) names.push(`Lane ${lane.id}`);
  }
  return names;
}

async function main(argv) {
  const force = argv.includes('--force');
  const check = argv.includes('--check');
  const unknown = argv.filter((a) => a.startsWith('-') && a !== '--force' && a !== '--check');
  if (unknown.length) throw new Error(`unknown option ${unknown.join(', ')} (use --force, --check and file names)`);
  const named = argv.filter((a) => !a.startsWith('-')).map((f) => resolve(f));
  const files = named.length ? named : readdirSync(PROCESSES).filter((f) => f.endsWith('.bpmn')).sort().map((f) => join(PROCESSES, f));
  let failed = 0;
  for (const file of files) {
    const name = relative(process.cwd(), file) || file;
    const xml = readFileSync(file, 'utf8');
    try {
      if (check) {
        const problems = await layoutProblems(xml);
        if (problems.length) throw new Error(problems.join('\n  '));
        console.log(`${name}: laid out`);
        continue;
      }
      if (hasDi(xml) && !force) {
        console.log(`${name}: has a layout, kept (--force replaces it)`);
        continue;
      }
      const out = await layoutDiagram(xml);
      const problems = [...(await semanticDifferences(xml, out)), ...(await layoutProblems(out))];
      if (problems.length) throw new Error(problems.join('\n  '));
      writeFileSync(file, out);
      const left = await notLaidOut(out);
      console.log(`${name}: laid out${left.length ? `; not laid out (place them in Camunda Modeler): ${left.join(', ')}` : ''}`);
    } catch (e) {
      failed++;
      console.error(`${name}: ${e instanceof Error ? e.message : String(e)}`);
    }
  }
  if (failed) process.exitCode = 1;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main(process.argv.slice(2)).catch((e) => {
    console.error(e);
    process.exitCode = 1;
  });
}
