import { lstatSync, readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Everything under `root` as path → content (a link as `-> target`, a folder as `/`), skipping
 * the names in `skip`; two snapshots are equal when the trees are byte for byte the same.
 */
export function readTree(root: string, skip: readonly string[] = []): Record<string, string> {
  const tree: Record<string, string> = {};
  const walk = (folder: string, prefix: string): void => {
    for (const name of readdirSync(folder).sort()) {
      if (prefix === '' && skip.includes(name)) continue;
      const path = join(folder, name);
      const key = prefix + name;
      const stats = lstatSync(path);
      if (stats.isSymbolicLink()) tree[key] = `-> ${readlinkSync(path)}`;
      else if (stats.isDirectory()) {
        tree[`${key}/`] = '/';
        walk(path, `${key}/`);
      } else tree[key] = readFileSync(path, 'utf8');
    }
  };
  walk(root, '');
  return tree;
}

/** Only the files under `root` (no folder entries), as path → content. */
export function readFiles(root: string, skip: readonly string[] = []): Record<string, string> {
  return Object.fromEntries(Object.entries(readTree(root, skip)).filter(([path, content]) => !path.endsWith('/') && !content.startsWith('-> ')));
}
