import { existsSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { dirname, join, win32 } from 'node:path';
import { fileURLToPath } from 'node:url';
import { resolveDataDir } from './resolveDataDir.ts';

/**
 * A folder that no write on a path the user typed may replace, hold, or (with `inside`) land in:
 * an export with "replace" removes the whole target, so a target that is (or holds) the data
 * folder deletes every project, and one inside it mixes user files into what the app manages.
 */
export interface ProtectedFolder {
  path: string;
  /** Words for the message: "the app's data folder", "a system folder". */
  name: string;
  /** Why it is protected, as a clause: "it holds your projects, settings and database". */
  why: string;
  /** Whether writing somewhere inside it is refused too, not only replacing or holding it. */
  inside: boolean;
}

export interface ProtectedFolderOptions {
  /** The data folder the running core uses (it may differ from the default one). */
  dataDir?: string;
  /** Every folder models are read from or written to. */
  modelDirs?: readonly string[];
  env?: NodeJS.ProcessEnv;
  platform?: NodeJS.Platform;
  home?: string;
  /** The app's own folders; found from this file's place (and Electron's resources) by default. */
  appFolders?: readonly string[];
}

const dataWhy = 'it holds your projects, settings and the database';
const modelsWhy = 'it holds the local models the app runs';
const appWhy = "it holds the app's own code";
const systemWhy = 'the operating system needs it';

/**
 * Every protected folder for one core: its data folder (and the default one, which the CLI and
 * the desktop app share), the models folders, the app's install folder, the home folder and the
 * operating system's folders. Paths are as given; refuseProtectedTarget compares real paths.
 */
export function protectedFolders(options: ProtectedFolderOptions = {}): ProtectedFolder[] {
  const env = options.env ?? process.env;
  const platform = options.platform ?? process.platform;
  const home = options.home ?? homedir();
  const dataDirs = unique([...(options.dataDir === undefined ? [] : [options.dataDir]), resolveDataDir(env, platform, home)]);
  const folders: ProtectedFolder[] = dataDirs.map((path) => ({ path, name: "the app's data folder", why: dataWhy, inside: true }));
  const modelDirs = unique([...dataDirs.map((dir) => join(dir, 'models')), ...(options.modelDirs ?? []), repositoryModelsDir]);
  folders.push(...modelDirs.map((path) => ({ path, name: "the app's models folder", why: modelsWhy, inside: true })));
  const appFolders = options.appFolders ?? findAppFolders();
  folders.push(...appFolders.map((path) => ({ path, name: "the app's install folder", why: appWhy, inside: true })));
  folders.push({ path: home, name: 'your home folder', why: 'it holds everything you keep', inside: false });
  folders.push(...(platform === 'win32' ? windowsFolders(env, home) : posixFolders(platform, home)));
  return folders;
}

/** The repository's `models/` (a checkout or an unpacked install), searched for GGUF files. */
const repositoryModelsDir = fileURLToPath(new URL('../../models/', import.meta.url));

/**
 * The folder holding the app's package.json, found upwards from this module (the repository in
 * development, `app.asar` or `node_modules/service-creator` when installed), and in Electron the
 * folder around `process.resourcesPath` (the install folder; on macOS the `.app` bundle).
 */
function findAppFolders(): string[] {
  const found: string[] = [];
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    if (existsSync(join(dir, 'package.json'))) {
      found.push(dir);
      break;
    }
    const parent = dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  const resources = (process as { resourcesPath?: unknown }).resourcesPath;
  if (typeof resources === 'string' && resources !== '') {
    found.push(/^(.*?\.app)(?:[\\/]|$)/.exec(resources)?.[1] ?? dirname(resources));
  }
  return unique(found);
}

function posixFolders(platform: NodeJS.Platform, home: string): ProtectedFolder[] {
  const system = ['/bin', '/boot', '/dev', '/etc', '/lib', '/lib32', '/lib64', '/libx32', '/proc', '/sbin', '/sys', '/usr'];
  if (platform === 'darwin') system.push('/System', '/Library', '/Applications');
  // /root is the administrator's home: only the administrator writes there, as their home.
  if (home !== '/root') system.push('/root');
  // Writing inside these is normal (a project in /opt, a USB stick under /run/media, the temp
  // folder under /var on macOS); replacing one, or a folder holding one, never is.
  const top = ['/', '/home', '/Users', '/var', '/opt', '/srv', '/mnt', '/media', '/run', '/tmp', '/var/tmp'];
  return [
    ...system.map((path) => ({ path, name: 'a system folder', why: systemWhy, inside: true })),
    ...unique([...top, tmpdir()]).map((path) => ({ path, name: 'a shared folder', why: 'other users and programs keep their files there', inside: false })),
  ];
}

function windowsFolders(env: NodeJS.ProcessEnv, home: string): ProtectedFolder[] {
  const drive = env.SystemDrive ?? 'C:';
  const root = win32.join(drive, '\\');
  const system = [env.SystemRoot ?? env.windir ?? win32.join(root, 'Windows'), env.ProgramFiles ?? win32.join(root, 'Program Files'), env['ProgramFiles(x86)'] ?? win32.join(root, 'Program Files (x86)'), env.ProgramData ?? win32.join(root, 'ProgramData')];
  const top = [root, win32.join(root, 'Users'), win32.dirname(home), tmpdir()];
  return [
    ...unique(system).map((path) => ({ path, name: 'a system folder', why: systemWhy, inside: true })),
    ...unique(top).map((path) => ({ path, name: 'a shared folder', why: 'other users and programs keep their files there', inside: false })),
  ];
}

function unique(paths: readonly string[]): string[] {
  return [...new Set(paths.filter((path) => path !== ''))];
}
