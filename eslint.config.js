import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';

/**
 * Layers import one way (DESIGN.md §2): renderer → shared, preload → shared, main → shared.
 * Shared is pure TypeScript: no Node, no Electron, no DOM-only or native packages.
 */
const layer = (name, forbidden, message) => ({
  files: [`${name}/**/*.{ts,tsx}`],
  rules: {
    'no-restricted-imports': [
      'error',
      {
        patterns: forbidden.map((regex) => ({ regex, message })),
      },
    ],
  },
});

export default tseslint.config(
  { ignores: ['out/**', 'dist/**', 'release/**', 'node_modules/**', 'test-results/**', 'playwright-report/**', '.tmp/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-control-regex': 'off',
    },
  },
  {
    files: ['src-renderer/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
    plugins: { 'react-hooks': reactHooks },
    rules: reactHooks.configs.recommended.rules,
  },
  layer('src-shared', ['(^|/)src-(main|renderer|preload)(/|$)', '^node:', '^(electron|better-sqlite3|ws|react|react-dom|zustand)$'], 'src-shared is pure TypeScript imported by every layer; it may import only zod and itself.'),
  layer('src-renderer', ['(^|/)src-(main|preload)(/|$)', '^node:', '^(electron|better-sqlite3|ws)$'], 'The renderer talks to the core only through the contract (window.api or the bridge client).'),
  layer('src-preload', ['(^|/)src-(main|renderer)(/|$)', '^node:'], 'The preload exposes the contract and nothing else.'),
  layer('src-main', ['(^|/)src-(renderer|preload)(/|$)'], 'The core never imports the UI or the preload.'),
);
