import { AppError } from '../../src-shared/AppError.ts';
import { channelNames } from '../../src-shared/contract.ts';
import { fail } from '../../src-shared/envelope.ts';
import type { Dispatch } from '../core/createDispatch.ts';
import type { IpcMainLike } from './IpcMainLike.ts';

/**
 * One ipcMain handler per contract channel, nothing else. Calls from a frame that is not our
 * renderer (a navigated or injected frame) are refused before the dispatcher sees them.
 */
export function registerIpc(ipcMain: IpcMainLike, dispatch: Dispatch, isTrustedUrl: (url: string) => boolean): () => void {
  for (const channel of channelNames) {
    ipcMain.handle(channel, async (event, input) => {
      const url = event.senderFrame?.url ?? '';
      if (!isTrustedUrl(url)) return fail(new AppError('FORBIDDEN_ORIGIN', `Calls from ${url || 'an unknown frame'} are not allowed`));
      return dispatch(channel, input);
    });
  }
  return () => {
    for (const channel of channelNames) ipcMain.removeHandler(channel);
  };
}
