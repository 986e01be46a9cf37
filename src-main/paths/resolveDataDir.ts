import { homedir } from 'node:os';
import { join } from 'node:path';

export const appDirName = 'service-creator';

/**
 * Where the database and everything else the app keeps live. `SERVICE_CREATOR_HOME` wins (tests,
 * portable installs); otherwise the same folder Electron's `app.getPath('userData')` would use, so
 * the CLI and the desktop app share one store.
 */
export function resolveDataDir(
  env: NodeJS.ProcessEnv = process.env,
  platform: NodeJS.Platform = process.platform,
  home: string = homedir(),
): string {
  const explicit = env.SERVICE_CREATOR_HOME?.trim();
  if (explicit) return explicit;
  switch (platform) {
    case 'win32':
      return join(env.APPDATA ?? join(home, 'AppData', 'Roaming'), appDirName);
    case 'darwin':
      return join(home, 'Library', 'Application Support', appDirName);
    default:
      return join(env.XDG_CONFIG_HOME || join(home, '.config'), appDirName);
  }
}
