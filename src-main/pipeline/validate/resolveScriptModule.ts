import { posix } from 'node:path';

/** TS ESM imports name the emitted `.js` file; the source is the `.ts`/`.tsx` beside it. */
const sourceOfEmitted: Readonly<Record<string, readonly string[]>> = {
  '.js': ['.ts', '.tsx'],
  '.jsx': ['.tsx'],
  '.mjs': ['.mts'],
  '.cjs': ['.cts'],
};
const extensions = ['.ts', '.tsx', '.d.ts', '.js', '.jsx', '.mjs', '.cjs', '.mts', '.cts', '.json'];
const indexFiles = ['index.ts', 'index.tsx', 'index.js', 'index.jsx', 'index.mjs'];
/** Specifiers that name a non-code file exactly (`./data.json`, `./App.css`); `./rule.service` is not one. */
const assetExtension = /\.(json|css|scss|sass|less|svg|png|jpe?g|gif|webp|avif|ico|html|txt|md|wasm|vue|svelte|woff2?|ttf)$/i;

export function isRelativeSpecifier(specifier: string): boolean {
  return specifier === '.' || specifier === '..' || specifier.startsWith('./') || specifier.startsWith('../');
}

/**
 * Resolves a relative TS/JS import (`./rules`, `../lib/rules.js`, `./components`) to a project
 * file the way TypeScript's bundler/node16 resolution does for sources: the exact file, a `.js`
 * specifier's `.ts`/`.tsx` source, the name plus an extension, or a folder's index file. Returns
 * the path, or the candidates tried (for the message) when none exists.
 */
export function resolveScriptModule(specifier: string, fromPath: string, files: ReadonlySet<string>): { path: string } | { candidates: string[] } {
  const joined = posix.normalize(posix.join(posix.dirname(fromPath), specifier));
  const base = joined.replace(/\/$/, '');
  if (base.startsWith('../') || base === '..') return { candidates: [] };
  if (files.has(base)) return { path: base };
  if (assetExtension.test(base)) return { candidates: [base] };
  const extension = posix.extname(base);
  const candidates: string[] = [];
  const emitted = sourceOfEmitted[extension];
  if (emitted !== undefined) candidates.push(...emitted.map((source) => base.slice(0, -extension.length) + source));
  candidates.push(...extensions.map((ext) => base + ext), ...indexFiles.map((index) => (base === '.' ? index : `${base}/${index}`)));
  const found = candidates.find((candidate) => files.has(candidate));
  if (found !== undefined) return { path: found };
  const shown = emitted !== undefined ? [base, ...candidates.slice(0, emitted.length)] : [`${base}.ts`, `${base}.tsx`, `${base}.js`, `${base}/index.ts`];
  return { candidates: shown };
}
