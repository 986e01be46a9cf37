import { resolveAppRequestPath } from './resolveAppRequestPath.ts';

/**
 * True for our own renderer: `app://renderer/` addresses of files under the built renderer
 * folder (the same mapping the protocol handler serves), or the electron-vite dev server while
 * developing. Everything else — remote pages, `file://` (any local file), other schemes — is
 * untrusted: IPC from it is refused and requests to it are cancelled.
 */
export function createTrustedUrlCheck(rendererDir: string, devServerUrl?: string): (url: string) => boolean {
  const devOrigin = devServerUrl ? new URL(devServerUrl).origin : undefined;
  return (url) => {
    if (resolveAppRequestPath(url, rendererDir).ok) return true;
    if (!devOrigin) return false;
    try {
      return new URL(url).origin === devOrigin;
    } catch {
      return false;
    }
  };
}
