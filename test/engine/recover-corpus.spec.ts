import { TestApp, createEngineTestApp } from '../support/app';
import { history } from '../support/engine';
import { CorpusWorld, corpusSources, readCorpus, unpackPosition } from '../support/recover-corpus';

/**
 * Engine states saved at every wait position of every diagram (test/fixtures/recover-corpus,
 * written by `npm run corpus:record`) recover on the engine installed now and run to their end.
 * This is what guards a bpmn-engine / bpmn-elements upgrade: instances stored by the old version
 * must continue on the new one.
 */
const sources = corpusSources();
const corpus = readCorpus();
const cases = corpus.flatMap(({ name, corpus: c }) =>
  c.positions.map((p, i) => [`${name} #${i + 1} waiting in ${p.waiting.join(' + ')} (stored by engine ${c.engineVersion})`, name, i] as const),
);

describe('recover corpus', () => {
  let t: TestApp;
  let world: CorpusWorld;
  beforeAll(async () => {
    t = await createEngineTestApp();
    world = new CorpusWorld(t);
    await world.prepare(sources);
  });
  afterAll(() => t?.close());

  it('covers every diagram in test/fixtures/bpmn and processes/, recorded from its current content', () => {
    const recorded = new Map(corpus.map(({ name, corpus: c }) => [name, c.sha256]));
    const missing = sources.filter((s) => !recorded.has(s.id)).map((s) => s.file);
    const stale = sources.filter((s) => recorded.has(s.id) && recorded.get(s.id) !== s.sha256).map((s) => s.file);
    const orphans = corpus.filter(({ name }) => !sources.some((s) => s.id === name)).map(({ name }) => name);
    // re-record with `npm run corpus:record` (on the engine version the instances were stored with)
    expect({ missing, stale, orphans }).toEqual({ missing: [], stale: [], orphans: [] });
    expect(corpus.every(({ corpus: c }) => c.positions.length > 0)).toBe(true);
  });

  it.each(cases)('%s recovers and completes', async (_label, name, index) => {
    const { corpus: c } = corpus.find((x) => x.name === name)!;
    const source = sources.find((s) => s.id === name);
    if (!source) throw new Error(`${name}: its diagram is gone; run npm run corpus:record`);
    const position = unpackPosition(c.positions[index]);
    const id = await world.recover(source, c, position);
    // it is back where it was stored...
    expect(await world.waitingOf(id)).toEqual(position.waiting);
    // ...and runs to its end on this engine
    await world.drive(source, id, 'tasks-first');
    const [row] = await t.ds.query(`SELECT status, engine_version FROM engine_process_instances WHERE id = $1`, [id]);
    expect(row.status).toBe('completed');
    expect((await history(t, id)).map((h) => h.type)).toContain('instance-ended');
  });
});
