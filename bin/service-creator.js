#!/usr/bin/env node
// Runs the built CLI bundle when it is fresh, else the TypeScript sources directly: Node >= 22.18
// strips types natively (no build, no loader).
const [major, minor] = process.versions.node.split('.').map(Number);
if (major < 22 || (major === 22 && minor < 18)) {
  process.stderr.write(
    `Service Creator needs Node.js 22.18 or newer (found ${process.versions.node}). ` +
      'Run it through "npx service-creator" or "npm run" in the project, which use the Node 24 it installs.\n',
  );
  process.exit(2);
}
const { readFileSync, statSync } = await import('node:fs');
const { fileURLToPath } = await import('node:url');
// V8's compile cache (Node 22.1+): code compiled once is reused by the next start (in the OS temp
// folder, keyed by file and Node version), which takes a good part off every cold start.
const { enableCompileCache } = await import('node:module');
enableCompileCache?.();

/**
 * The built CLI (out/cli, `npm run build`) when it is fresh: every file it was built from still
 * has the size and modification time its manifest recorded. Anything else (no build, a source
 * edited since, a package updated) runs the TypeScript sources, so a stale bundle never runs.
 * SERVICE_CREATOR_FROM_SOURCES=1 always runs the sources.
 */
function freshBundle() {
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

const { runCli, processIo } = await import(freshBundle() ?? '../src-main/cli/cliEntry.ts');
process.exitCode = await runCli(process.argv.slice(2), processIo);
// The command is over. A request it had to abandon (a model download from a host that never
// answers: the downloader's first request has no way to abort it) must not keep the process
// alive: if anything is left after a moment, exit anyway. The timer does not itself hold the
// process, so a clean end is not delayed.
setTimeout(() => process.exit(), 2_000).unref();
