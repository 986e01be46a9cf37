/**
 * What the export dialog checks before it asks the core (the core checks again): a path is
 * given, and it is a full one. A relative path would land in the core's working folder, which
 * the user never sees. The words name what to do, never a field or a flag.
 */
export function exportPathProblem(path: string, zip: boolean): string | null {
  const trimmed = path.trim();
  const what = zip ? 'zip file' : 'folder';
  if (trimmed === '') return `Choose the ${what} to write the project to.`;
  if (!isFullPath(trimmed)) return `Choose a full ${what} path, starting at the top of a drive (like /home/you/… or C:\\Users\\you\\…): "${trimmed.slice(0, 120)}" does not say which folder it starts from.`;
  return null;
}

/** `/…` (Linux, macOS), `C:\…` or `C:/…` and `\\server\share` (Windows). */
export function isFullPath(path: string): boolean {
  return path.startsWith('/') || /^[A-Za-z]:[\\/]/.test(path) || path.startsWith('\\\\');
}

/** A folder picked as the place to put the project: the project's own folder inside it. */
export function insideFolder(parent: string, name: string): string {
  const separator = parent.includes('\\') && !parent.includes('/') ? '\\' : '/';
  return parent.endsWith(separator) ? `${parent}${name}` : `${parent}${separator}${name}`;
}

/** The last part of a path (the project's folder name in the default path). */
export function lastPart(path: string): string {
  const parts = path.split(/[\\/]+/).filter((part) => part !== '');
  return parts.at(-1) ?? path;
}

/** The path for a zip (".zip" added when missing) or, back to a folder, without it; an empty path stays empty. */
export function withZipName(path: string, zip: boolean): string {
  const trimmed = path.replace(/[\\/\s]+$/, '');
  if (trimmed === '') return path;
  if (zip) return /\.zip$/i.test(trimmed) ? trimmed : `${trimmed}.zip`;
  return trimmed.replace(/\.zip$/i, '');
}
