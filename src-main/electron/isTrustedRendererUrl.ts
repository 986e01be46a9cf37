import { pathToFileURL } from 'node:url';

/**
 * True for our own renderer: files under the built renderer folder, or the electron-vite dev
 * server while developing. Everything else (remote pages, other local files) is untrusted.
 */
export function createTrustedUrlCheck(rendererDir: string, devServerUrl?: string): (url: string) => boolean {
  const base = pathToFileURL(rendererDir.endsWith('/') ? rendererDir : `${rendererDir}/`).href;
  const devOrigin = devServerUrl ? new URL(devServerUrl).origin : undefined;
  return (url) => {
    if (url.startsWith(base)) return !url.slice(base.length).split(/[?#]/)[0]?.split('/').includes('..');
    if (!devOrigin) return false;
    try {
      return new URL(url).origin === devOrigin;
    } catch {
      return false;
    }
  };
}
