// `npm start`: builds the app, then launches Electron. Where no Electron binary or no display
// exists (a server, a container, this CI machine), it says so and serves the same UI on
// 127.0.0.1 instead, printing the URL. Arguments after `--` go to `service-creator serve`.
import { spawn, spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { findElectronBinary, hasDisplay } from './findElectronBinary.ts';

const bin = (name: string) => join('node_modules', '.bin', name);
const serveArgs = process.argv.slice(2);

const build = spawnSync(bin('electron-vite'), ['build'], { stdio: 'inherit' });
if (build.status !== 0) process.exit(build.status ?? 1);

let electron = findElectronBinary();
if ('reason' in electron && process.env.SERVICE_CREATOR_NO_ELECTRON_DOWNLOAD !== '1') {
  // electron 42+ fetches its binary on first use; try once, briefly (offline machines fail fast).
  process.stdout.write('Electron binary not found; trying to download it once (set SERVICE_CREATOR_NO_ELECTRON_DOWNLOAD=1 to skip)...\n');
  const installer = join(dirname(createRequire(import.meta.url).resolve('electron/package.json')), 'install.js');
  spawnSync(process.execPath, [installer], { stdio: 'inherit', timeout: 120_000 });
  electron = findElectronBinary();
}

const why = 'reason' in electron ? electron.reason : hasDisplay() ? undefined : 'no display (DISPLAY / WAYLAND_DISPLAY is not set)';
if (why === undefined && 'path' in electron) {
  const child = spawn(electron.path, ['.'], { stdio: 'inherit' });
  child.on('exit', (code) => process.exit(code ?? 0));
} else {
  process.stdout.write(`\nNot launching the desktop window: ${why}.\nServing the same UI on 127.0.0.1 instead.\n\n`);
  const child = spawn(process.execPath, ['bin/service-creator.js', 'serve', ...serveArgs], { stdio: 'inherit' });
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => child.kill(signal));
  child.on('exit', (code) => process.exit(code ?? 0));
}
