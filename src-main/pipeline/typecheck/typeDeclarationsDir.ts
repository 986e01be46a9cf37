import { existsSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The type declarations the TypeScript check reads, as the installed desktop app ships them:
 * electron-builder leaves every `.d.ts` out of what it packs from node_modules, so the installer
 * carries TypeScript's lib files, @types/node and undici-types as resources instead
 * (electron-builder.yml, extraResources → `type-declarations/`):
 *   typescript-lib/lib.*.d.ts, node/**, undici-types/**
 * Found beside the app's resources when the app runs packaged; undefined otherwise (the sources,
 * the CLI and the unpacked app read them from node_modules).
 */
export function packagedDeclarationsDir(resourcesPath: string | undefined = (process as { resourcesPath?: string }).resourcesPath): string | undefined {
  if (resourcesPath === undefined) return undefined;
  const dir = join(resourcesPath, 'type-declarations');
  return existsSync(join(dir, 'typescript-lib', 'lib.d.ts')) && existsSync(join(dir, 'node', 'index.d.ts')) ? dir : undefined;
}

/** Set on the checker's thread (from its workerData) before the first check: where the declarations are read from. */
let declarationsDir: string | undefined;

export function useDeclarationsFrom(dir: string | undefined): void {
  declarationsDir = dir;
}

export function declarationsOverride(): { libDir: string; nodeTypes: string; undiciTypes: string } | undefined {
  if (declarationsDir === undefined) return undefined;
  const slashes = (path: string) => path.replace(/\\/g, '/');
  return { libDir: slashes(join(declarationsDir, 'typescript-lib')), nodeTypes: slashes(join(declarationsDir, 'node')), undiciTypes: slashes(join(declarationsDir, 'undici-types')) };
}
