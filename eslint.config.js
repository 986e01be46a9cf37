import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';

/**
 * The four top-level layers import one way (see ARCHITECTURE.md): renderer → shared, preload →
 * shared, main → shared. Shared is pure TypeScript: no Node, no Electron, no DOM-only or native
 * packages.
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

/** Every file of src-main: the core never imports the UI or the preload. */
const mainBase = { patterns: ['(^|/)src-(renderer|preload)(/|$)'], message: 'The core never imports the UI or the preload.' };

/**
 * The layers inside src-main, top to bottom (ARCHITECTURE.md draws them):
 *   entry points (cli, bridge, electron) → core (composition root, IPC handlers)
 *   → services (interview, pipeline, sandbox, export, setup, observability) → gateway (the one way to call a model)
 *   → router, providers → store → leaves (events, modelCall, paths, prompts, secrets, tokens).
 * Each rule names the folders it governs and the folders they must not import, at any depth.
 * A folder not named here (a new one) gets only the rule above until a rule names it.
 */
const entryPoints = ['cli', 'bridge', 'electron'];
const services = ['interview', 'pipeline', 'sandbox', 'export', 'setup', 'observability'];
const modelCallEngine = ['gateway', 'router', 'providers'];
const mainRules = [
  { name: 'core is below the entry points (cli, bridge, electron → core)', from: ['core'], forbid: entryPoints },
  { name: 'services import no entry point and no core (core → services)', from: services, forbid: [...entryPoints, 'core'] },
  { name: 'services call a model only through the gateway (never router or providers directly)', from: ['interview', 'pipeline'], forbid: ['router', 'providers'] },
  { name: 'sandbox only runs containers (it never imports gateway, router, providers, pipeline or interview)', from: ['sandbox'], forbid: [...modelCallEngine, 'pipeline', 'interview'] },
  { name: 'export writes files and calls no model (no gateway, router or providers)', from: ['export'], forbid: modelCallEngine },
  {
    name: 'observability only watches (attempt records, bus events, the store): it imports no other service and no gateway, router or providers (core hands it the breaker states)',
    from: ['observability'],
    forbid: [...services.filter((service) => service !== 'observability'), ...modelCallEngine],
  },
  { name: 'gateway imports no service, core or entry point (services → gateway)', from: ['gateway'], forbid: [...entryPoints, 'core', ...services] },
  {
    name: 'router and providers import no service, core, entry point or gateway (gateway → router, providers; the modelCall types leaf is theirs to share)',
    from: ['router', 'providers'],
    forbid: [...entryPoints, 'core', ...services, 'gateway'],
  },
  {
    name: 'store imports no service (store → paths, secrets and the modelCall types leaf only)',
    from: ['store'],
    forbid: [...entryPoints, 'core', ...services, ...modelCallEngine, 'events', 'prompts'],
  },
  {
    name: 'leaves (events, modelCall, paths, prompts, secrets, tokens) import no layer above them',
    from: ['events', 'modelCall', 'paths', 'prompts', 'secrets', 'tokens'],
    forbid: [...entryPoints, 'core', ...services, ...modelCallEngine, 'store'],
  },
];

/** Deepest folder nesting checked inside one src-main folder (src-main/<folder>/a/b/c/d/file.ts). */
const maxDepth = 6;

/**
 * One config per src-main folder and depth. Imports are relative, so a file `depth` folders
 * below src-main reaches the sibling folder X of src-main with exactly `depth` `../` segments:
 * the regex `^(\.\./){depth}X(/|$)` resolves the path exactly, and a subfolder that happens to
 * share a layer's name (cli/sandbox/) is not mistaken for it. Static imports, `export … from` and
 * type imports go through no-restricted-imports; dynamic `import()` through no-restricted-syntax
 * (its selector regex may not contain a slash, hence `\x2F`). ESLint replaces, not merges, a rule's
 * options when several configs match a file, so each config repeats the base pattern.
 */
function mainLayers() {
  const folders = [...new Set(mainRules.flatMap((rule) => rule.from))];
  const configs = [];
  for (const folder of folders) {
    const rules = mainRules.filter((rule) => rule.from.includes(folder));
    for (let depth = 1; depth <= maxDepth; depth += 1) {
      const up = `(\\.\\./){${depth}}`;
      const target = (forbid) => `^${up}(${forbid.join('|')})(/|$)`;
      const dynamicTarget = (forbid) => `^(\\.\\.\\x2F){${depth}}(${forbid.join('|')})(\\x2F|$)`;
      configs.push({
        files: [`src-main/${folder}/${'*/'.repeat(depth - 1)}*.{ts,tsx}`],
        rules: {
          'no-restricted-imports': [
            'error',
            {
              patterns: [
                ...mainBase.patterns.map((regex) => ({ regex, message: mainBase.message })),
                ...rules.map((rule) => ({ regex: target(rule.forbid), message: `layer: ${rule.name}. See ARCHITECTURE.md.` })),
              ],
            },
          ],
          'no-restricted-syntax': [
            'error',
            ...rules.map((rule) => ({
              selector: `ImportExpression[source.value=/${dynamicTarget(rule.forbid)}/]`,
              message: `layer: ${rule.name}. See ARCHITECTURE.md.`,
            })),
          ],
        },
      });
    }
  }
  return configs;
}

export default tseslint.config(
  { ignores: ['out/**', 'dist/**', 'release/**', 'node_modules/**', 'test-results/**', 'playwright-report/**', '.tmp/**', 'test/fixtures/defects/**'] },
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
  layer('src-main', mainBase.patterns, mainBase.message),
  ...mainLayers(),
);
