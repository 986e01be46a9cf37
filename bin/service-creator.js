#!/usr/bin/env node
// Runs the TypeScript sources directly: Node >= 22.18 strips types natively (no build, no loader).
const [major, minor] = process.versions.node.split('.').map(Number);
if (major < 22 || (major === 22 && minor < 18)) {
  process.stderr.write(
    `Service Creator needs Node.js 22.18 or newer (found ${process.versions.node}). ` +
      'Run it through "npx service-creator" or "npm run" in the project, which use the Node 24 it installs.\n',
  );
  process.exit(2);
}
const { runCli } = await import('../src-main/cli/runCli.ts');
const { processIo } = await import('../src-main/cli/CliIo.ts');
process.exitCode = await runCli(process.argv.slice(2), processIo);
// The command is over. A request it had to abandon (a model download from a host that never
// answers: the downloader's first request has no way to abort it) must not keep the process
// alive: if anything is left after a moment, exit anyway. The timer does not itself hold the
// process, so a clean end is not delayed.
setTimeout(() => process.exit(), 2_000).unref();
