/**
 * The renderer is served from `app://renderer/`, a privileged custom scheme handled in the main
 * process, never from `file://`: a `file://` page shares its origin with every local file, so a
 * bug in the renderer could read any of them, and Chromium grants `file://` extra powers. Under
 * our own standard, secure scheme the page has one origin that holds nothing but the built UI.
 */
export const appProtocol = {
  scheme: 'app',
  host: 'renderer',
  /** The page the window loads in production. */
  indexUrl: 'app://renderer/index.html',
  /**
   * standard: a real origin (relative URLs, storage, `'self'` in the CSP); secure: treated like
   * https; supportFetchAPI: the page may fetch its own assets. No bypassCSP, no service workers.
   */
  privileges: { standard: true, secure: true, supportFetchAPI: true },
} as const;
