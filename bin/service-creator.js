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
// V8's compile cache (Node 22.1+): code compiled once is reused by the next start (in the OS temp
// folder, keyed by file and Node version), which takes a good part off every cold start.
const { enableCompileCache } = await import('node:module');
enableCompileCache?.();
// The built bundle when it is fresh (freshBundle.js), else the sources.
const { freshBundle } = await import('./freshBundle.js');

const { runCli, processIo } = await import(freshBundle() ?? '../src-main/cli/cliEntry.ts');
process.exitCode = await runCli(process.argv.slice(2), processIo);
// The command is over. A request it had to abandon (a model download from a host that never
// answers: the downloader's first request has no way to abort it) must not keep the process
// alive: if anything is left after a moment, exit anyway. The timer does not itself hold the
// process, so a clean end is not delayed.
setTimeout(() => process.exit(), 2_000).unref();
