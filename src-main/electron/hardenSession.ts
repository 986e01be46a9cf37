import type { Session } from 'electron';
import { contentSecurityPolicy } from './contentSecurityPolicy.ts';

/**
 * No remote content: only our files (and the dev server in development) may load; every
 * permission request (camera, notifications, ...) is denied; the CSP header is added to every
 * response the renderer gets.
 */
export function hardenSession(session: Session, isTrustedUrl: (url: string) => boolean, devServerUrl?: string): void {
  const csp = contentSecurityPolicy(devServerUrl);
  session.webRequest.onBeforeRequest((details, callback) => {
    const allowed = isTrustedUrl(details.url) || details.url.startsWith('devtools://') || details.url.startsWith('data:');
    callback({ cancel: !allowed });
  });
  session.webRequest.onHeadersReceived((details, callback) => {
    callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [csp] } });
  });
  session.setPermissionRequestHandler((_webContents, _permission, callback) => callback(false));
  session.setPermissionCheckHandler(() => false);
}
