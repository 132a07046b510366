/**
 * DESIGN.md's "who may import whom", checked by `npm run depcheck` (and so by CI).
 *
 *   common ← config ← database ← api                       (plumbing; api uses only common/config)
 *          ← calendar, notify, identity, audit, regions, health   (platform services)
 *          ← engine   (durable BPMN runtime: never imports tasks, a domain module or workflows)
 *          ← tasks
 *          ← domain modules (any other folder: housing, applications, …) along a DAG
 *          ← workflows (imported only by app.module.ts / main.ts)
 *
 * Across folders, an import must name the other module's public surface, its `index.ts`.
 * test/tooling/dependency-rules.spec.ts proves a wrong import fails these rules.
 */

// Platform services; any top-level folder of src/ not named in these rules is a domain module,
// bound only by the general rules (no cycles, through index.ts, never workflows or the root).
const PLATFORM = ['calendar', 'notify', 'identity', 'audit', 'regions', 'health'];

/** A forbidden rule: modules under `from` may import in src/ only the folders in `allowed`. */
function onlyImports(name, from, allowed, comment) {
  return {
    name,
    comment,
    severity: 'error',
    from: { path: `^src/(${from.join('|')})/` },
    to: { path: '^src/', pathNot: `^src/(${allowed.join('|')})/` },
  };
}

module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      comment: 'Modules form a DAG; a cycle (and the forwardRef it would need) is a design error.',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
    {
      name: 'not-to-unresolvable',
      comment: 'An import that cannot be resolved is a typo or a missing dependency.',
      severity: 'error',
      from: {},
      to: { couldNotResolve: true },
    },
    {
      name: 'not-to-dev-dep',
      comment: 'Production code must not need a devDependency (it is absent after npm ci --omit=dev).',
      severity: 'error',
      from: { path: '^(src|migrations)/', pathNot: '\\.spec\\.ts$' },
      to: { dependencyTypes: ['npm-dev'], dependencyTypesNot: ['type-only'] },
    },
    onlyImports('common-is-the-bottom', ['common'], ['common'], 'common imports nothing else in src/.'),
    onlyImports('config-uses-only-common', ['config'], ['config', 'common'], 'config sits directly on common.'),
    onlyImports('database-uses-only-config-and-common', ['database'], ['database', 'config', 'common'], 'database sits on config and common.'),
    onlyImports('api-uses-only-config-and-common', ['api'], ['api', 'config', 'common'], 'api is HTTP plumbing on common and config.'),
    onlyImports(
      'platform-uses-only-lower-layers',
      PLATFORM,
      ['common', 'config', 'database', 'api', ...PLATFORM],
      'calendar, notify, identity, audit, regions and health use the plumbing below them (and each other along a DAG), never the engine or anything above.',
    ),
    onlyImports(
      'engine-knows-nothing-about-housing',
      ['engine'],
      ['engine', 'common', 'config', 'database', 'api', 'calendar', 'notify', 'identity', 'audit', 'regions'],
      'The engine never imports tasks, a domain module or workflows: domain code reaches it through the service-task handler registry that workflows/ fills at boot.',
    ),
    onlyImports(
      'tasks-use-only-engine-and-below',
      ['tasks'],
      ['tasks', 'engine', 'common', 'config', 'database', 'api', ...PLATFORM],
      'tasks sit on the engine; they never import a domain module or workflows.',
    ),
    {
      name: 'only-the-composition-root-imports-workflows',
      comment: 'workflows/ binds BPMN service names to domain services; only app.module.ts (or main.ts) imports it.',
      severity: 'error',
      from: { pathNot: ['^src/(app\\.module|main)\\.ts$', '^src/workflows/'] },
      to: { path: '^src/workflows/' },
    },
    {
      name: 'nobody-imports-the-composition-root',
      comment: 'main.ts, app.module.ts and setup-app.ts sit on top; no module imports them.',
      severity: 'error',
      from: { path: '^(src/[^/]+/|migrations/)' },
      to: { path: '^src/[^/]+\\.ts$' },
    },
    {
      name: 'cross-module-imports-go-through-index',
      comment: "Another module's internals are private: import its index.ts (its public surface), never a deep file.",
      severity: 'error',
      from: { path: '^src/([^/]+)/' },
      to: { path: '^src/[^/]+/', pathNot: ['^src/$1/', '^src/[^/]+/index\\.ts$'] },
    },
    {
      name: 'the-root-imports-modules-through-index',
      comment: 'The composition root also uses only the public surface of each module.',
      severity: 'error',
      from: { path: '^src/[^/]+\\.ts$' },
      to: { path: '^src/[^/]+/', pathNot: '^src/[^/]+/index\\.ts$' },
    },
    {
      name: 'migrations-stand-alone',
      comment: 'Migrations are reviewed SQL; they must not change when application code does.',
      severity: 'error',
      from: { path: '^migrations/' },
      to: { path: '^src/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    // type-only imports count as well: the engine may not even name a domain type
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      mainFields: ['module', 'main', 'types', 'typings'],
    },
    reporterOptions: { text: { highlightFocused: true } },
  },
};

