import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';

/**
 * Runs the project's .dependency-cruiser.cjs over a small fixture tree in a temp directory: the
 * allowed imports pass, and each wrong import is reported under the rule that forbids it.
 */
const root = resolve(__dirname, '../..');
const depcruise = join(root, 'node_modules/dependency-cruiser/bin/dependency-cruise.mjs');

const files: Record<string, string> = {
  'tsconfig.json': JSON.stringify({ compilerOptions: { module: 'commonjs', moduleResolution: 'node', strict: true } }),
  // allowed: the root imports workflows and modules through index.ts; the engine uses common;
  // a domain module uses another through its index.ts
  'src/app.module.ts': `import { bind } from './workflows';\nimport { apply } from './applications';\nexport const app = [bind, apply];\n`,
  'src/workflows/index.ts': `import { apply } from '../applications';\nexport const bind = apply;\n`,
  'src/common/index.ts': `export const id = 1;\n`,
  'src/engine/index.ts': `import { id } from '../common';\nexport const run = id;\n`,
  'src/housing/index.ts': `export { units } from './housing.repository';\n`,
  'src/housing/housing.repository.ts': `export const units = 1;\n`,
  'src/applications/index.ts': `import { units } from '../housing';\nimport { run } from '../engine';\nexport const apply = units + run;\n`,
  // wrong: the engine names a domain module
  'src/engine/bad-domain.ts': `import { units } from '../housing';\nexport const x = units;\n`,
  // wrong: a deep import into another module's internals
  'src/applications/bad-deep.ts': `import { units } from '../housing/housing.repository';\nexport const y = units;\n`,
  // wrong: common reaches up into config
  'src/common/bad-up.ts': `import { cfg } from '../config';\nexport const z = cfg;\n`,
  'src/config/index.ts': `export const cfg = 1;\n`,
  // wrong: a domain module imports workflows
  'src/housing/bad-workflows.ts': `import { bind } from '../workflows';\nexport const w = bind;\n`,
  // wrong: two domain modules import each other (through index.ts, still a cycle)
  'src/rechecks/index.ts': `import { e } from '../exits';\nexport const r = e;\n`,
  'src/exits/index.ts': `import { r } from '../rechecks';\nexport const e = () => r;\n`,
};

interface Violation {
  from: string;
  to: string;
  rule: { name: string };
}

describe('dependency rules (.dependency-cruiser.cjs)', () => {
  let dir: string;
  let violations: Violation[];
  const cruise = (outputType: string) =>
    spawnSync(process.execPath, [depcruise, 'src', '--config', join(root, '.dependency-cruiser.cjs'), '--output-type', outputType], {
      cwd: dir,
      encoding: 'utf8',
    });

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'anju-depcruise-'));
    for (const [path, text] of Object.entries(files)) {
      mkdirSync(dirname(join(dir, path)), { recursive: true });
      writeFileSync(join(dir, path), text);
    }
    violations = (JSON.parse(cruise('json').stdout) as { summary: { violations: Violation[] } }).summary.violations;
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const broken = (rule: string) => violations.filter((v) => v.rule.name === rule).map((v) => `${v.from} -> ${v.to}`);

  it('fails `npm run depcheck` (the default reporter exits non-zero and names the rule)', () => {
    const run = cruise('err');
    expect(run.status).not.toBe(0);
    expect(run.stdout).toContain('engine-knows-nothing-about-housing');
  });

  it('refuses an engine import of a domain module', () => {
    expect(broken('engine-knows-nothing-about-housing')).toEqual(['src/engine/bad-domain.ts -> src/housing/index.ts']);
  });

  it("refuses a deep import into another module's internals", () => {
    expect(broken('cross-module-imports-go-through-index')).toEqual(['src/applications/bad-deep.ts -> src/housing/housing.repository.ts']);
  });

  it('keeps common at the bottom', () => {
    expect(broken('common-is-the-bottom')).toEqual(['src/common/bad-up.ts -> src/config/index.ts']);
  });

  it('lets only the composition root import workflows', () => {
    expect(broken('only-the-composition-root-imports-workflows')).toEqual(['src/housing/bad-workflows.ts -> src/workflows/index.ts']);
  });

  it('refuses a cycle between modules', () => {
    const cycle = broken('no-circular');
    expect(cycle.length).toBeGreaterThan(0);
    expect(cycle.every((edge) => /src\/(exits|rechecks)\/index\.ts -> src\/(exits|rechecks)\/index\.ts/.test(edge))).toBe(true);
  });

  it('accepts the allowed imports (nothing else is reported)', () => {
    const expected = new Set([
      'engine-knows-nothing-about-housing',
      'cross-module-imports-go-through-index',
      'common-is-the-bottom',
      'only-the-composition-root-imports-workflows',
      'no-circular',
    ]);
    expect(violations.filter((v) => !expected.has(v.rule.name))).toEqual([]);
  });
});
