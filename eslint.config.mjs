// Flat config: typescript-eslint's recommended set without type information, so the whole tree
// lints in seconds; `npm run typecheck` (tsc --noEmit) covers what type-aware rules would add.
import js from '@eslint/js';
import { defineConfig, globalIgnores } from 'eslint/config';
import tseslint from 'typescript-eslint';

// The few Node globals our plain JavaScript files (jest.config.js, .dependency-cruiser.cjs,
// scripts) use; TypeScript files get theirs from @types/node and tsc.
const nodeGlobals = Object.fromEntries(
  ['module', 'require', 'process', 'console', '__dirname', '__filename', 'exports', 'Buffer', 'URL'].map((g) => [g, 'readonly']),
);

export default defineConfig(
  globalIgnores(['dist/', '.build/', 'node_modules/', '.data/', 'coverage/']),
  js.configs.recommended,
  tseslint.configs.recommended,
  {
    languageOptions: { globals: nodeGlobals },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
      // a focused test silently skips the rest of the suite in CI
      'no-restricted-properties': [
        'error',
        ...['describe', 'it', 'test'].map((object) => ({ object, property: 'only', message: 'Remove .only: it skips the rest of the suite.' })),
      ],
      'no-restricted-globals': ['error', ...['fdescribe', 'fit'].map((name) => ({ name, message: 'A focused test skips the rest of the suite.' }))],
      // DESIGN.md: no forwardRef (a module cycle is a design error); dependency-cruiser checks cycles too
      'no-restricted-syntax': [
        'error',
        { selector: "CallExpression[callee.name='forwardRef']", message: 'forwardRef hides a module cycle; restructure the dependency instead.' },
      ],
      eqeqeq: ['error', 'always', { null: 'ignore' }],
    },
  },
  {
    files: ['**/*.js', '**/*.cjs'],
    languageOptions: { sourceType: 'commonjs' },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
);
