import { existsSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative } from 'node:path';

export type ElectronBinaryLookup = { path: string } | { reason: string };

/** The executable's path inside electron's dist folder, as electron's install.js names it. */
export function platformExecutable(platform: NodeJS.Platform = process.platform): string {
  switch (platform) {
    case 'darwin':
      return 'Electron.app/Contents/MacOS/Electron';
    case 'win32':
      return 'electron.exe';
    default:
      return 'electron';
  }
}

/**
 * Finds the Electron executable without `require('electron')`: that module downloads the binary
 * when it is missing, which is slow everywhere and impossible offline. Mirrors electron's own
 * lookup (index.js): ELECTRON_OVERRIDE_DIST_PATH wins, otherwise `dist/<path.txt>` in the package.
 * Returns the path when the file exists, else a one-line reason to print in a skip message.
 */
export function findElectronBinary(env: NodeJS.ProcessEnv = process.env, fromDir: string = process.cwd()): ElectronBinaryLookup {
  const require = createRequire(join(fromDir, 'noop.js'));
  let electronDir: string;
  try {
    electronDir = dirname(require.resolve('electron/package.json'));
  } catch {
    return { reason: 'the electron package is not installed (cannot resolve electron/package.json)' };
  }
  const shown = relative(fromDir, electronDir) || electronDir;
  const pathFile = join(electronDir, 'path.txt');
  const fromPathFile = existsSync(pathFile) ? readFileSync(pathFile, 'utf8').trim() : undefined;

  const override = env.ELECTRON_OVERRIDE_DIST_PATH?.trim();
  if (override) {
    const binary = join(override, fromPathFile || platformExecutable());
    return isFile(binary) ? { path: binary } : { reason: `ELECTRON_OVERRIDE_DIST_PATH is set but ${binary} does not exist` };
  }
  if (!fromPathFile) {
    return { reason: `electron's binary was never downloaded: ${join(shown, 'path.txt')} is missing` };
  }
  const binary = join(electronDir, 'dist', fromPathFile);
  if (!isFile(binary)) {
    return { reason: `electron's binary is missing: ${join(shown, 'dist', fromPathFile)} does not exist (path.txt is there, the download is not)` };
  }
  return { path: binary };
}

/** Whether a window can open: always on macOS and Windows; on Linux an X11 or Wayland display must be set. */
export function hasDisplay(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): boolean {
  if (platform !== 'linux') return true;
  return Boolean(env.DISPLAY?.trim() || env.WAYLAND_DISPLAY?.trim());
}

function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

// `node scripts/findElectronBinary.ts`: prints the path (exit 0) or the reason (exit 1).
if (import.meta.main) {
  const found = findElectronBinary();
  if ('path' in found) {
    process.stdout.write(`${found.path}\n`);
    if (!hasDisplay()) process.stderr.write('note: no DISPLAY or WAYLAND_DISPLAY; run under xvfb-run to open windows\n');
  } else {
    process.stderr.write(`no Electron binary: ${found.reason}\n`);
    process.exitCode = 1;
  }
}
