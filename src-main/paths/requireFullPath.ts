import { homedir } from 'node:os';
import { basename, isAbsolute, join } from 'node:path';
import { AppError } from '../../src-shared/AppError.ts';

/**
 * Refuses a relative path sent by the UI (over IPC or the bridge): the core would resolve it
 * against its own working folder, which the user never sees, so "edge" could land anywhere. The
 * CLI resolves relative paths against the shell's folder before it sends them, as a CLI should.
 * The message is words for a dialog, with an example built from the user's own home folder.
 */
export function requireFullPath(path: string, what: 'folder' | 'file', home: string = homedir()): string {
  if (isAbsolute(path)) return path;
  const name = basename(path.replace(/[\\/]+$/, '')).replace(/[^\p{L}\p{N}._ -]/gu, '').slice(0, 60) || (what === 'folder' ? 'edge' : 'model.gguf');
  const example = join(home, what === 'folder' ? 'Exports' : 'Downloads', name);
  const shown = JSON.stringify(path.length > 200 ? `${path.slice(0, 200)}…` : path);
  throw new AppError('INVALID_INPUT', `Choose a full ${what} path, such as ${example}: ${shown} does not say which folder it starts from.`);
}
