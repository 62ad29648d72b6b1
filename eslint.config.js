// One flat config for the whole workspace; `pnpm lint` runs it from the root.
// Syntax-level rules only (no type-aware ones): tsc and svelte-check already
// type-check, and a typed lint of every package would take minutes on CI's 2 CPUs.
import js from '@eslint/js';
import svelte from 'eslint-plugin-svelte';
import globals from 'globals';
import ts from 'typescript-eslint';
import boundaries from './eslint.boundaries.js';

export default ts.config(
  { ignores: ['**/node_modules/', '**/build/', '**/.svelte-kit/', '**/.turbo/', 'test-results/', '.data/', '.tools/'] },
  js.configs.recommended,
  ts.configs.recommended,
  svelte.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      // `_`-prefixed names are deliberately unused (a required parameter, a skipped tuple slot).
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
      // An empty catch says "failing here is expected and changes nothing" (a pid probe, an optional header).
      'no-empty': ['error', { allowEmptyCatch: true }],
    },
  },
  {
    files: ['apps/web/src/**/*.svelte', 'apps/web/src/**/*.svelte.ts'],
    languageOptions: {
      globals: { ...globals.browser },
      parserOptions: { parser: ts.parser, extraFileExtensions: ['.svelte'] },
    },
    rules: {
      // For apps served under a base path; Roster is served at the root and builds its links with helpers (viewHref).
      'svelte/no-navigation-without-resolve': 'off',
    },
  },
  // Import boundaries between apps and packages (eslint.boundaries.js).
  ...boundaries,
  {
    // search_text is lower(name || chr(1) || email) (migration 0007): stripping \x01 from a term is the point.
    files: ['packages/core/src/users/fields.ts'],
    rules: { 'no-control-regex': 'off' },
  },
  {
    // Tests read JSON answers and walk the router by name, then assert on the shape.
    files: ['test/**', '**/test/**', '**/*.test.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
);
