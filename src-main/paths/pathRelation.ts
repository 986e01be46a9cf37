import { posix, win32 } from 'node:path';

/** How a path `a` stands to a folder `b`: the same, holding it, inside it, or apart. */
export type PathRelation = 'same' | 'contains' | 'inside' | 'apart';

/**
 * Compares two absolute paths the way the platform's file system does: Windows and macOS
 * (by default) do not tell `Data` from `data`, so a guard that compared bytes would let
 * `~/library/application support/…` past a check on `~/Library/Application Support/…`.
 * Purely lexical: callers resolve links first (see refuseProtectedTarget).
 */
export function pathRelation(a: string, b: string, platform: NodeJS.Platform = process.platform): PathRelation {
  const path = platform === 'win32' ? win32 : posix;
  const fold = (value: string) => {
    let normal = path.resolve(value);
    if (normal.length > path.parse(normal).root.length && normal.endsWith(path.sep)) normal = normal.slice(0, -1);
    return platform === 'win32' || platform === 'darwin' ? normal.toLowerCase() : normal;
  };
  const left = fold(a);
  const right = fold(b);
  if (left === right) return 'same';
  const prefix = (folder: string) => (folder.endsWith(path.sep) ? folder : folder + path.sep);
  if (left.startsWith(prefix(right))) return 'inside';
  if (right.startsWith(prefix(left))) return 'contains';
  return 'apart';
}
