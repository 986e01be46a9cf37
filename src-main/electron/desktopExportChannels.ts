import { resolve } from 'node:path';
import { AppError } from '../../src-shared/AppError.ts';
import { contract } from '../../src-shared/contract.ts';
import { fail, ok } from '../../src-shared/envelope.ts';
import type { Dispatch } from '../core/createDispatch.ts';

/** What the desktop app can do that a browser cannot: Electron's dialog and shell, injected so tests pass fakes. */
export interface DesktopShell {
  /** The system's folder picker; null when the user cancels. */
  pickFolder(defaultPath: string | undefined): Promise<string | null>;
  /** Opens a folder in the file manager; resolves an error message, '' when it opened (shell.openPath). */
  openFolder(path: string): Promise<string>;
  /** Shows a file selected in its folder (shell.showItemInFolder), for a zip. */
  showFile(path: string): void;
}

/**
 * The dispatcher the desktop window talks to: the core's, with the two export channels only a
 * desktop app can answer (the core answers `available: false` for a browser). Opening is limited
 * to what this process exported successfully since it started, watched as `pipeline.export`
 * results pass through here: a renderer cannot have the system open an arbitrary path (a
 * program, a document) by naming it.
 */
export function desktopExportChannels(dispatch: Dispatch, shell: DesktopShell): Dispatch {
  const exported = new Map<string, 'folder' | 'zip'>();
  return async (channel, input) => {
    if (channel === 'pipeline.pickExportFolder') {
      const parsed = contract['pipeline.pickExportFolder'].input.safeParse(input);
      if (!parsed.success) return dispatch(channel, input); // the core words the problem
      // The picker opens where the default folder would go, or the nearest folder that exists.
      const path = await shell.pickFolder(parsed.data.defaultPath);
      return ok({ available: true, path });
    }
    if (channel === 'pipeline.openExportFolder') {
      const parsed = contract['pipeline.openExportFolder'].input.safeParse(input);
      if (!parsed.success) return dispatch(channel, input);
      const path = resolve(parsed.data.path);
      const kind = exported.get(path);
      if (!kind) return fail(new AppError('NOT_FOUND', 'Only a folder the app exported to since it started can be opened from here.'));
      if (kind === 'zip') {
        shell.showFile(path);
        return ok({ available: true });
      }
      const problem = await shell.openFolder(path);
      if (problem !== '') return fail(new AppError('IO_FAILED', `The folder could not be opened: ${problem}`));
      return ok({ available: true });
    }
    const result = await dispatch(channel, input);
    if (channel === 'pipeline.export' && result.ok) {
      const { path } = result.value as { path: string };
      const zip = (input as { zip?: boolean } | undefined)?.zip === true;
      exported.set(resolve(path), zip ? 'zip' : 'folder');
    }
    return result;
  };
}

