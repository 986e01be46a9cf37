// The CLI as a bundle (out/cli/): `bin/service-creator.js` runs it instead of the TypeScript
// sources while it is fresh, which starts the CLI several times faster (no type stripping, a
// few dozen modules instead of hundreds). Built by `npm run build` (and `npm test`).
import { statSync, writeFileSync } from 'node:fs';
import { isAbsolute, relative, resolve } from 'node:path';
import { defineConfig, type Plugin } from 'vite';

const root = import.meta.dirname;
const outDir = resolve(root, 'out/cli');

/**
 * Writes `manifest.json` next to the bundle: every file it was built from (our sources, the
 * bundled packages, package.json) with its size and modification time. The launcher runs the
 * bundle only while all of them are unchanged, so a stale bundle never runs. A file that changed
 * after the build started fails the build: the bundle might hold its older text.
 */
function sourceManifest(): Plugin {
  let startedAt = 0;
  return {
    name: 'service-creator-cli-manifest',
    buildStart() {
      startedAt = Date.now();
    },
    writeBundle() {
      const files: Array<[path: string, mtimeMs: number, size: number]> = [];
      for (const id of this.getModuleIds()) {
        if (id.startsWith('\0') || !isAbsolute(id)) continue; // virtual modules
        const stats = statSync(id, { throwIfNoEntry: false });
        if (!stats) continue; // externals resolved to bare names
        if (stats.mtimeMs > startedAt) throw new Error(`${relative(root, id)} changed during the build: build again`);
        files.push([relative(outDir, id), stats.mtimeMs, stats.size]);
      }
      writeFileSync(resolve(outDir, 'manifest.json'), `${JSON.stringify({ entry: 'cliEntry.js', files })}\n`);
    },
  };
}

export default defineConfig({
  root,
  logLevel: 'warn',
  plugins: [sourceManifest()],
  // Small pure-JS packages every command loads go into the bundle; the rest (native modules, the
  // model SDKs, Docker, validators) stay outside and load on first use.
  ssr: { noExternal: ['zod', 'commander', 'cockatiel', 'p-queue', 'eventemitter3', 'p-timeout'] },
  build: {
    ssr: true,
    outDir,
    emptyOutDir: true,
    target: 'node22',
    minify: false,
    rollupOptions: {
      // The TypeScript checker's thread is an entry of its own (typeScriptWorker.js next to the
      // chunks), which TypeScriptChecker finds beside itself.
      input: { cliEntry: resolve(root, 'src-main/cli/cliEntry.ts'), typeScriptWorker: resolve(root, 'src-main/pipeline/typecheck/typeScriptWorker.ts') },
      // Chunks sit next to the entry: two folders below the root, as src-main/<folder>/ files are,
      // so their paths relative to import.meta.url (resources/, models/) hold in both.
      output: { format: 'es', entryFileNames: '[name].js', chunkFileNames: '[name]-[hash].js' },
    },
  },
});
