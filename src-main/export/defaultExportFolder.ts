import { mkdir } from 'node:fs/promises';
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';

/** Where exports go unless the user picks another folder: Documents/Service Creator in the home folder. */
export function defaultExportRoot(home: string = homedir()): string {
  return join(home, 'Documents', 'Service Creator');
}

// Names Windows refuses for a file or folder, whatever the extension.
const reservedNames = /^(con|prn|aux|nul|com[0-9]|lpt[0-9])$/i;

/**
 * A project name as one folder name that every system accepts: letters, digits, spaces, dots,
 * dashes and underscores kept, anything else (slashes, colons, quotes, control characters) a
 * dash; no leading dot (hidden) or trailing dot or space (Windows drops them); at most 80
 * characters; "project" when nothing is left.
 */
export function safeFolderName(name: string): string {
  const cleaned = name
    .normalize('NFC')
    .replace(/\s+/g, ' ')
    .replace(/[^\p{L}\p{N} ._-]+/gu, '-')
    .replace(/-{2,}/g, '-')
    .replace(/^[\s.-]+|[\s.-]+$/g, '')
    .slice(0, 80)
    .replace(/[\s.]+$/g, '');
  if (cleaned === '') return 'project';
  return reservedNames.test(cleaned.split('.')[0] ?? '') ? `${cleaned}-project` : cleaned;
}

/** The folder a project is exported to by default: Documents/Service Creator/<project name made safe>. */
export function defaultExportFolder(projectName: string, home: string = homedir()): string {
  return join(defaultExportRoot(home), safeFolderName(projectName));
}

/**
 * Creates Documents/Service Creator when an export goes straight into it (the default folder on
 * a fresh machine has no parent yet). Any other folder's parent must exist already: a typo in a
 * path the user chose is not silently made into folders.
 */
export async function prepareDefaultExportParent(outDir: string, home: string = homedir()): Promise<void> {
  const root = defaultExportRoot(home);
  if (dirname(resolve(outDir)) === root) await mkdir(root, { recursive: true });
}
