import { AppError } from '../src-shared/AppError.ts';
import { buildApi, type Api } from '../src-shared/buildApi.ts';
import { fail, type Envelope } from '../src-shared/envelope.ts';

/** The part of Electron's ipcRenderer the preload uses; tests pass a recorder with the same shape. */
export interface IpcRendererLike {
  invoke(channel: string, ...args: unknown[]): Promise<unknown>;
  on(channel: string, listener: (event: unknown, ...args: unknown[]) => void): unknown;
  removeListener(channel: string, listener: (event: unknown, ...args: unknown[]) => void): unknown;
}

/** Named functions from the contract over ipcRenderer; ipcRenderer itself is never exposed. */
export function createPreloadApi(ipcRenderer: IpcRendererLike): Api {
  return buildApi(
    async (channel, input) => {
      try {
        return (await ipcRenderer.invoke(channel, input)) as Envelope<unknown>;
      } catch (error) {
        return fail(new AppError('TRANSPORT', `The app core did not answer ${channel}: ${error instanceof Error ? error.message : String(error)}`, { retryable: true }));
      }
    },
    (event, listener) => {
      const handler = (_event: unknown, payload: unknown) => listener(payload);
      ipcRenderer.on(event, handler);
      return () => {
        ipcRenderer.removeListener(event, handler);
      };
    },
  );
}
