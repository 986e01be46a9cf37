import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { safeProjectPath } from './safeProjectPath.ts';

export interface PrivateCopy {
  /** The temp folder (mode 0700) that holds everything; `project` is inside it. */
  dir: string;
  /** Where the files were written. */
  project: string;
  /** The project-relative paths written. */
  written: string[];
  dispose(): void;
}

/**
 * Writes generated files into a fresh private temp folder for a checker to read: never the
 * user's folder, and removed by `dispose` whatever happens. Paths that would leave the folder
 * are skipped (see safeProjectPath).
 */
export function writePrivateCopy(files: Iterable<{ path: string; content: string }>): PrivateCopy {
  const dir = mkdtempSync(join(tmpdir(), 'sc-project-check-'));
  const project = join(dir, 'project');
  const written: string[] = [];
  try {
    mkdirSync(project, { mode: 0o700 });
    for (const file of files) {
      const path = safeProjectPath(file.path);
      if (path === undefined) continue;
      const target = join(project, path);
      mkdirSync(dirname(target), { recursive: true, mode: 0o700 });
      writeFileSync(target, file.content, { mode: 0o600 });
      written.push(path);
    }
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
  return { dir, project, written, dispose: () => rmSync(dir, { recursive: true, force: true }) };
}
