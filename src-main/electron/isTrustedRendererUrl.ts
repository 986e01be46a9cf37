import { resolveAppRequestPath } from './resolveAppRequestPath.ts';

/**
 * True for our own renderer: `app://renderer/` addresses of files under the built renderer
 * folder (the same mapping the protocol handler serves), or the electron-vite dev server while
 * developing. Everything else — remote pages, `file://` (any local file), other schemes — is
 * untrusted: IPC from it is refused and requests to it are cancelled.
 */
export function createTrustedUrlCheck(rendererDir: string, devServerUrl?: string): (url: string) => boolean {
  const dev = devServerUrl ? new URL(devServerUrl) : undefined;
  // The dev server's hot-reload socket: same host and port, ws:// (wss:// for an https server).
  const devSocketOrigin = dev ? `${dev.protocol === 'https:' ? 'wss' : 'ws'}://${dev.host}` : undefined;
  return (url) => {
    if (resolveAppRequestPath(url, rendererDir).ok) return true;
    if (!dev) return false;
    try {
      const { origin, protocol, host } = new URL(url);
      return origin === dev.origin || `${protocol}//${host}` === devSocketOrigin;
    } catch {
      return false;
    }
  };
}
