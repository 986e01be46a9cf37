import type { Session } from 'electron';
import { contentSecurityPolicy } from './contentSecurityPolicy.ts';

export interface HardenSessionOptions {
  devServerUrl?: string;
  /** Unpackaged builds only: lets the DevTools front end (devtools://) load. */
  allowDevTools: boolean;
  /** The built page's inline styles, admitted by hash (see readInlineStyleHashes). */
  styleHashes?: readonly string[];
}

/**
 * No remote content: only our app:// files (and the dev server in development) may load; every
 * other request (https, file://, other schemes) is cancelled; every permission request (camera,
 * notifications, ...) is denied; the CSP header is added to every response the renderer gets.
 */
export function hardenSession(session: Session, isTrustedUrl: (url: string) => boolean, options: HardenSessionOptions): void {
  const csp = contentSecurityPolicy(options.devServerUrl, options.styleHashes);
  session.webRequest.onBeforeRequest((details, callback) => {
    const allowed = isTrustedUrl(details.url) || (options.allowDevTools && details.url.startsWith('devtools://')) || details.url.startsWith('data:');
    callback({ cancel: !allowed });
  });
  session.webRequest.onHeadersReceived((details, callback) => {
    callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [csp] } });
  });
  session.setPermissionRequestHandler((_webContents, _permission, callback) => callback(false));
  session.setPermissionCheckHandler(() => false);
}
