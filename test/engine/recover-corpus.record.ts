/**
 * Records the recover corpus: `npm run corpus:record` (runs this file through jest, on the
 * embedded database). For every diagram in test/fixtures/bpmn and processes/, instances are driven
 * along the main path and along the timer/message/signal paths, and the stored engine state at
 * every distinct wait position is written to test/fixtures/recover-corpus/<origin>--<file>.json.
 * Re-record when a diagram changes; never re-record just to make an engine upgrade pass.
 */
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { TestApp, createEngineTestApp } from '../support/app';
import { setNow } from '../support/engine';
import { CORPUS_DIR, CORPUS_EPOCH, CorpusFile, CorpusPosition, CorpusWorld, corpusSources, packPosition } from '../support/recover-corpus';

describe('record the recover corpus', () => {
  let t: TestApp;
  let world: CorpusWorld;
  const sources = corpusSources();

  beforeAll(async () => {
    t = await createEngineTestApp();
    world = new CorpusWorld(t);
    await world.prepare(sources);
    mkdirSync(CORPUS_DIR, { recursive: true });
    const keep = new Set(sources.map((s) => s.id));
    for (const f of readdirSync(CORPUS_DIR)) if (f.endsWith('.json') && !keep.has(f)) rmSync(join(CORPUS_DIR, f));
  });
  afterAll(() => t?.close());

  it.each(sources.map((s) => [s.id, s] as const))('%s', async (_id, source) => {
    const positions = new Map<string, CorpusPosition>();
    const record = (p: CorpusPosition) => {
      const key = p.waiting.join(',');
      if (!positions.has(key) && p.state) positions.set(key, p);
    };
    let n = 0;
    for (const strategy of ['tasks-first', 'events-first'] as const) {
      // every run starts at the same instant: the instances before it have all ended
      setNow(t, CORPUS_EPOCH);
      const id = await world.start(source, `CORPUS-${++n}`);
      await world.drive(source, id, strategy, record);
    }
    const [row] = await t.ds.query(`SELECT key FROM engine_process_definitions WHERE id = $1`, [world.definitionIds.get(source.id)]);
    const engineVersion = ([...positions.values()][0]?.state as { engineVersion?: string } | undefined)?.engineVersion ?? null;
    const corpus: CorpusFile = { source: source.file, sha256: source.sha256, processKey: row.key, engineVersion, positions: [...positions.values()].map(packPosition) };
    expect(corpus.positions.length).toBeGreaterThan(0);
    writeFileSync(join(CORPUS_DIR, source.id), `${JSON.stringify(corpus)}\n`);
  });
});
