import type { Session } from 'electron';
import { describe, expect, it } from 'vitest';
import { contentSecurityPolicy } from '../../../src-main/electron/contentSecurityPolicy.ts';
import { hardenSession } from '../../../src-main/electron/hardenSession.ts';
import { createTrustedUrlCheck } from '../../../src-main/electron/isTrustedRendererUrl.ts';

type BeforeRequest = (details: { url: string }, callback: (response: { cancel: boolean }) => void) => void;
type HeadersReceived = (details: { responseHeaders?: Record<string, string[]> }, callback: (response: { responseHeaders: Record<string, string[]> }) => void) => void;

/** Records the listeners hardenSession installs on the parts of Electron's Session it uses. */
function recordingSession() {
  const recorded: { beforeRequest?: BeforeRequest; headersReceived?: HeadersReceived; permissionRequest?: (...args: unknown[]) => void; permissionCheck?: () => boolean } = {};
  const session = {
    webRequest: {
      onBeforeRequest: (listener: BeforeRequest) => (recorded.beforeRequest = listener),
      onHeadersReceived: (listener: HeadersReceived) => (recorded.headersReceived = listener),
    },
    setPermissionRequestHandler: (handler: (...args: unknown[]) => void) => (recorded.permissionRequest = handler),
    setPermissionCheckHandler: (handler: () => boolean) => (recorded.permissionCheck = handler),
  };
  return { session: session as unknown as Session, recorded };
}

function cancels(listener: BeforeRequest | undefined, url: string): boolean {
  let cancel: boolean | undefined;
  listener?.({ url }, (response) => (cancel = response.cancel));
  if (cancel === undefined) throw new Error('onBeforeRequest did not answer');
  return cancel;
}

describe('hardenSession', () => {
  const isTrusted = createTrustedUrlCheck('/opt/app/out/renderer');

  it('lets only our app:// files (and data: URLs) load in a packaged build', () => {
    const { session, recorded } = recordingSession();
    hardenSession(session, isTrusted, { allowDevTools: false });
    expect(cancels(recorded.beforeRequest, 'app://renderer/index.html')).toBe(false);
    expect(cancels(recorded.beforeRequest, 'app://renderer/assets/index.js')).toBe(false);
    expect(cancels(recorded.beforeRequest, 'data:,')).toBe(false);
    for (const url of [
      'file:///opt/app/out/renderer/index.html',
      'file:///etc/passwd',
      'https://example.com/x.js',
      'http://127.0.0.1:8080/',
      'app://evil/index.html',
      'app://renderer/../main/index.js',
      'devtools://devtools/bundled/inspector.html',
    ]) {
      expect(cancels(recorded.beforeRequest, url), url).toBe(true);
    }
  });

  it('lets the DevTools front end load only when DevTools are allowed', () => {
    const { session, recorded } = recordingSession();
    hardenSession(session, createTrustedUrlCheck('/opt/app/out/renderer', 'http://localhost:5173/'), {
      allowDevTools: true,
      devServerUrl: 'http://localhost:5173/',
    });
    expect(cancels(recorded.beforeRequest, 'devtools://devtools/bundled/inspector.html')).toBe(false);
    expect(cancels(recorded.beforeRequest, 'http://localhost:5173/src/main.tsx')).toBe(false);
    expect(cancels(recorded.beforeRequest, 'https://example.com/')).toBe(true);
  });

  it('adds the CSP to every response and denies every permission', () => {
    const { session, recorded } = recordingSession();
    hardenSession(session, isTrusted, { allowDevTools: false });
    let headers: Record<string, string[]> | undefined;
    recorded.headersReceived?.({ responseHeaders: { 'Content-Type': ['text/html'] } }, (response) => (headers = response.responseHeaders));
    expect(headers).toEqual({ 'Content-Type': ['text/html'], 'Content-Security-Policy': [contentSecurityPolicy()] });
    let granted: boolean | undefined;
    recorded.permissionRequest?.(undefined, 'media', (answer: boolean) => (granted = answer));
    expect(granted).toBe(false);
    expect(recorded.permissionCheck?.()).toBe(false);
  });
});
