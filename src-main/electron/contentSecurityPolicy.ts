/**
 * The CSP the Electron window enforces (also set as a meta tag in index.html, for the bridge).
 * `styleHashes` admit the page's inline styles by hash (readInlineStyleHashes of the built index.html).
 */
export function contentSecurityPolicy(devServerUrl?: string, styleHashes: readonly string[] = []): string {
  const dev = devServerUrl ? new URL(devServerUrl) : undefined;
  const devSources = dev ? ` ${dev.origin} ws://${dev.host}` : '';
  return [
    "default-src 'none'",
    `script-src 'self'${dev ? ` ${dev.origin}` : ''}`,
    `style-src 'self'${styleHashes.map((hash) => ` ${hash}`).join('')}${dev ? ` ${dev.origin} 'unsafe-inline'` : ''}`,
    "img-src 'self' data:",
    "font-src 'self'",
    `connect-src 'self'${devSources}`,
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}
