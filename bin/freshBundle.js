import { readFileSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/**
 * The built CLI (out/cli, `npm run build`) when it is fresh: the URL of its entry when every file
 * it was built from still has the size and modification time its manifest recorded; undefined
 * for anything else (no build, a source edited since, a package updated), so a stale bundle
 * never runs. SERVICE_CREATOR_FROM_SOURCES=1 always says undefined. The launcher
 * (service-creator.js) and bench:cli-start (which says which of the two it timed) both ask here.
 */
export function freshBundle() {
  if (process.env.SERVICE_CREATOR_FROM_SOURCES === '1') return undefined;
  const dirUrl = new URL('../out/cli/', import.meta.url);
  // A plain path joined by hand: the manifest names hundreds of files, and a URL or path.resolve
  // per file, in code that runs once and cold, costs more than the stat calls themselves.
  const dir = fileURLToPath(dirUrl);
  let manifest;
  try {
    manifest = JSON.parse(readFileSync(dir + 'manifest.json', 'utf8'));
  } catch {
    return undefined; // not built
  }
  if (typeof manifest?.entry !== 'string' || !Array.isArray(manifest.files) || manifest.files.length === 0) return undefined;
  for (const [path, mtimeMs, size] of manifest.files) {
    const stats = statSync(dir + path, { throwIfNoEntry: false });
    if (stats?.mtimeMs !== mtimeMs || stats.size !== size) return undefined;
  }
  return new URL(manifest.entry, dirUrl).href;
}
