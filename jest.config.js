// Jest runs under `node --experimental-vm-modules` (package.json "test"): PGlite's CommonJS build
// performs a dynamic import() that jest only allows with that flag.
// feelin and its dependencies are ESM-only; ts-jest transpiles them to CommonJS inside jest.
const esm = ['feelin', 'lezer-feel', '@lezer', 'temporal-polyfill', 'temporal-utils', 'min-dash', 'moddle', 'moddle-xml', 'saxen', 'bpmnlint', 'dmn-moddle'];

/** @type {import('jest').Config} */
module.exports = {
  rootDir: '.',
  roots: ['<rootDir>/src', '<rootDir>/test'],
  testRegex: '\\.(spec|test)\\.ts$',
  moduleFileExtensions: ['ts', 'js', 'cjs', 'mjs', 'json'],
  transform: {
    '^.+\\.[tj]s$': ['ts-jest', { tsconfig: { allowJs: true, module: 'commonjs', isolatedModules: true }, diagnostics: false }],
    '^.+\\.mjs$': ['ts-jest', { tsconfig: { allowJs: true, module: 'commonjs', isolatedModules: true }, diagnostics: false }],
  },
  transformIgnorePatterns: [`/node_modules/(?!(${esm.join('|')})/)`],
  testEnvironment: 'node',
  globalSetup: '<rootDir>/test/support/global-setup.ts',
  globalTeardown: '<rootDir>/test/support/global-teardown.ts',
  testTimeout: 60000,
  maxWorkers: process.env.CI ? 2 : '50%',
};
