/** The part of Electron's ipcMain the shell uses; tests pass a recorder with the same shape. */
export interface IpcMainLike {
  handle(channel: string, listener: (event: { senderFrame: { url: string } | null }, input: unknown) => Promise<unknown>): void;
  removeHandler(channel: string): void;
}
