import { shell, type WebContents } from 'electron';
import { isAllowedExternalUrl } from './isAllowedExternalUrl.ts';

const guarded = new WeakSet<WebContents>();

/**
 * For any web contents: no new windows, no navigation, no webviews. A link to an allowed https
 * host (isAllowedExternalUrl) goes to the system browser, normalised by the URL parser; anything
 * else is dropped. Idempotent, so the app-wide hook and the main window can both call it without
 * opening a link twice.
 */
export function denyNavigation(contents: WebContents): void {
  if (guarded.has(contents)) return;
  guarded.add(contents);
  const openIfAllowed = (url: string) => {
    if (isAllowedExternalUrl(url)) void shell.openExternal(new URL(url).href);
  };
  contents.setWindowOpenHandler(({ url }) => {
    openIfAllowed(url);
    return { action: 'deny' };
  });
  contents.on('will-navigate', (event) => {
    event.preventDefault();
    openIfAllowed(event.url);
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());
}
