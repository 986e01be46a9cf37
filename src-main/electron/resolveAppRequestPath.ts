import { isAbsolute, relative, resolve, sep } from 'node:path';
import { appProtocol } from './appProtocol.ts';

export type AppRequestPath = { ok: true; path: string } | { ok: false; reason: string };

/** Control characters, and backslashes (a path separator on Windows, so a way out on that platform). */
const unsafeInUrl = /[\u0000-\u001f\u007f\\]/;
/** A dot segment spelled plainly or percent-encoded (`..`, `%2e%2e`, `.%2E`, `.`), between separators. */
const dotSegment = /(^|\/|%2f)(\.|%2e){1,2}($|\/|%2f)/i;
/** A decoded segment must be a plain file name: no separators, no drive letters or streams, no NUL. */
const unsafeInSegment = /[/\\:\u0000-\u001f\u007f]/;

/**
 * Maps an `app://renderer/...` request to a file inside `rendererDir`, or says why it is refused.
 * Pure string work (the protocol handler then checks the real file, symlinks included): the URL
 * must be ours (scheme and host, no user, password or port), and its path may not climb out by
 * any spelling — dot segments plain or encoded, encoded slashes, backslashes, absolute or drive
 * paths, NUL bytes. A path ending in `/` means its `index.html`. Query and fragment are ignored.
 */
export function resolveAppRequestPath(requestUrl: string, rendererDir: string): AppRequestPath {
  const refuse = (reason: string): AppRequestPath => ({ ok: false, reason });
  if (unsafeInUrl.test(requestUrl)) return refuse('the address holds a control character or a backslash');
  const prefix = `${appProtocol.scheme}://${appProtocol.host}/`;
  if (!requestUrl.startsWith(prefix)) return refuse(`the address is not under ${prefix}`);
  // Look at the path as it was sent: the URL parser would quietly resolve "a/../b" to "b".
  const rawPath = requestUrl.slice(prefix.length).split(/[?#]/, 1)[0] ?? '';
  if (dotSegment.test(rawPath)) return refuse('the path holds a "." or ".." segment');
  let url: URL;
  try {
    url = new URL(requestUrl);
  } catch {
    return refuse('the address cannot be parsed');
  }
  if (url.protocol !== `${appProtocol.scheme}:` || url.host !== appProtocol.host || url.username || url.password || url.port) {
    return refuse(`the address is not under ${prefix}`);
  }
  const segments: string[] = [];
  const parts = url.pathname.slice(1).split('/');
  for (const [index, part] of parts.entries()) {
    const last = index === parts.length - 1;
    if (part === '') {
      if (last) segments.push('index.html');
      else return refuse('the path holds an empty segment');
      continue;
    }
    let segment: string;
    try {
      segment = decodeURIComponent(part);
    } catch {
      return refuse('the path holds a broken percent-encoding');
    }
    if (segment === '.' || segment === '..' || unsafeInSegment.test(segment)) return refuse(`the path segment "${part}" is not a plain file name`);
    segments.push(segment);
  }
  const root = resolve(rendererDir);
  const path = resolve(root, ...segments);
  const inside = relative(root, path);
  if (inside === '' || inside.split(sep)[0] === '..' || isAbsolute(inside)) return refuse('the path leaves the renderer folder');
  return { ok: true, path };
}
