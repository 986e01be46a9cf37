/**
 * The CSP the Electron window enforces (also set as a meta tag in index.html, for the bridge).
 * `styleHashes` admit the built page's inline styles by hash (readInlineStyleHashes of index.html);
 * with a dev server they are left out.
 */
export function contentSecurityPolicy(devServerUrl?: string, styleHashes: readonly string[] = []): string {
  const dev = devServerUrl ? new URL(devServerUrl) : undefined;
  const devSources = dev ? ` ${dev.origin} ws://${dev.host}` : '';
  return [
    "default-src 'none'",
    `script-src 'self'${dev ? ` ${dev.origin}` : ''}`,
    // The dev server injects its styles inline; a hash next to 'unsafe-inline' would switch that off.
    `style-src 'self'${dev ? ` ${dev.origin} 'unsafe-inline'` : styleHashes.map((hash) => ` ${hash}`).join('')}`,
    "img-src 'self' data:",
    "font-src 'self'",
    `connect-src 'self'${devSources}`,
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}
