import { realpathSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { AppError } from '../../src-shared/AppError.ts';
import { pathRelation, type PathRelation } from './pathRelation.ts';
import type { ProtectedFolder } from './protectedFolders.ts';

/**
 * Refuses (PROTECTED_PATH) a write on a path the user gave when that path is one of `folders`,
 * holds one (replacing it would delete it) or, for folders that forbid it, lies inside one. Every
 * write the app makes on a user-given path (exports, plan and spec files) calls this before it
 * touches anything. Paths are compared as typed and as real paths, each existing part's links
 * resolved, so a link to the data folder, or `..` steps, lead nowhere protected; on Windows and
 * macOS letter case is ignored as the file system ignores it.
 */
export function refuseProtectedTarget(target: string, folders: readonly ProtectedFolder[], platform: NodeJS.Platform = process.platform): void {
  const typed = resolve(target);
  const real = realPathOf(typed);
  let found: { folder: ProtectedFolder; relation: Exclude<PathRelation, 'apart'> } | undefined;
  for (const folder of folders) {
    const folderForms = new Set([resolve(folder.path), realPathOf(resolve(folder.path))]);
    for (const candidate of new Set([typed, real])) {
      for (const form of folderForms) {
        const relation = pathRelation(candidate, form, platform);
        if (relation === 'apart' || (relation === 'inside' && !folder.inside)) continue;
        if (found === undefined || closer({ folder: form, relation }, { folder: resolve(found.folder.path), relation: found.relation })) found = { folder, relation };
      }
    }
  }
  if (found) throw new AppError('PROTECTED_PATH', describe(typed, real, found.folder, found.relation));
}

const severity = { same: 3, inside: 2, contains: 1 } as const;

/**
 * Which of two reasons the message names: being the folder, then being inside one (the deepest:
 * the models folder rather than the data folder holding it), then holding one (the nearest: the
 * home folder rather than the data folder inside it).
 */
function closer(a: { folder: string; relation: keyof typeof severity }, b: { folder: string; relation: keyof typeof severity }): boolean {
  if (severity[a.relation] !== severity[b.relation]) return severity[a.relation] > severity[b.relation];
  if (a.relation === 'inside') return a.folder.length > b.folder.length;
  if (a.relation === 'contains') return a.folder.length < b.folder.length;
  return false;
}

function describe(typed: string, real: string, folder: ProtectedFolder, relation: 'same' | 'contains' | 'inside'): string {
  const where = real === typed ? typed : `${typed} (really ${real}, through a link)`;
  const named = `${folder.name} (${folder.path})`;
  switch (relation) {
    case 'same':
      return `Cannot write to ${where}: it is ${named}; ${folder.why}. Choose a new folder outside it.`;
    case 'contains':
      return `Cannot write to ${where}: it holds ${named}, which replacing it would delete; ${folder.why}. Choose a new folder outside it.`;
    case 'inside':
      return `Cannot write to ${where}: it is inside ${named}; ${folder.why}. Choose a folder outside it.`;
    default:
      return relation satisfies never;
  }
}

/** `path` with the links of its longest existing part resolved; the rest is kept as typed. */
function realPathOf(path: string): string {
  const rest: string[] = [];
  let head = path;
  for (;;) {
    try {
      return join(realpathSync.native(head), ...rest.reverse());
    } catch {
      const parent = dirname(head);
      if (parent === head) return path;
      rest.push(basename(head));
      head = parent;
    }
  }
}
