import { posix } from 'node:path';

/**
 * A generated file's path as a relative path that stays inside the folder it is written to, or
 * undefined: model text decides these names, so an absolute path, `..`, a backslash or a control
 * character is never written anywhere.
 */
export function safeProjectPath(path: string): string | undefined {
  if (path === '' || path.length > 400 || path.startsWith('/') || path.includes('\\') || /[\u0000-\u001f]/.test(path)) return undefined;
  const normalized = posix.normalize(path);
  if (normalized.startsWith('../') || normalized === '..' || normalized === '.' || normalized.split('/').some((part) => part === '..' || part === '')) return undefined;
  return normalized;
}
