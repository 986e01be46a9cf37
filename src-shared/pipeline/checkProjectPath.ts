/** The longest path of a generated file, and of one of its segments. */
export const maxPathLength = 200;
const maxSegmentLength = 100;

const reservedWindowsNames = /^(con|prn|aux|nul|com[0-9¹²³]|lpt[0-9¹²³])(\..*)?$/i;
const forbiddenCharacters = /[<>:"|?*\u0000-\u001f\u007f]/;
/** Folders the app writes itself (provenance) or that must never be written from a model's plan. */
const reservedTopFolders = new Set(['.git', '.service-creator']);

export type PathCheck = { ok: true; path: string } | { ok: false; problem: string };

/**
 * Whether a file path from a model may be written inside a project folder, and its normal form.
 * A path is untrusted data: it must be relative, use `/`, stay inside the project (no `..`, no
 * absolute, drive or UNC form), avoid names Windows reserves or cannot store, and not touch the
 * folders the app owns. Checked when the plan arrives and again at write time.
 */
export function checkProjectPath(raw: string): PathCheck {
  if (typeof raw !== 'string' || raw.trim() === '') return { ok: false, problem: 'the path is empty' };
  const shown = JSON.stringify(raw.length > 80 ? `${raw.slice(0, 80)}...` : raw);
  if (raw.length > maxPathLength) return { ok: false, problem: `${shown} is longer than ${maxPathLength} characters` };
  if (/^[a-zA-Z]:/.test(raw)) return { ok: false, problem: `${shown} is a Windows drive path; use a path relative to the project` };
  if (raw.startsWith('\\\\') || raw.startsWith('//')) return { ok: false, problem: `${shown} is a network (UNC) path; use a path relative to the project` };
  if (raw.startsWith('/') || raw.startsWith('\\')) return { ok: false, problem: `${shown} is absolute; use a path relative to the project` };
  if (raw.includes('\\')) return { ok: false, problem: `${shown} uses backslashes; separate folders with /` };
  const segments = raw.split('/');
  while (segments[0] === '.') segments.shift();
  if (segments.length === 0) return { ok: false, problem: `${shown} names no file` };
  for (const segment of segments) {
    if (segment === '..') return { ok: false, problem: `${shown} leaves the project folder (..)` };
    if (segment === '' || segment === '.') return { ok: false, problem: `${shown} has an empty or "." folder name` };
    if (forbiddenCharacters.test(segment)) return { ok: false, problem: `${shown} contains a character that cannot be in a file name (<>:"|?* or a control character)` };
    if (reservedWindowsNames.test(segment)) return { ok: false, problem: `${shown} uses "${segment}", a name Windows reserves for devices` };
    if (/[. ]$/.test(segment)) return { ok: false, problem: `${shown} has a name ending in a dot or a space, which Windows cannot store` };
    if (segment.length > maxSegmentLength) return { ok: false, problem: `${shown} has a name longer than ${maxSegmentLength} characters` };
  }
  if (reservedTopFolders.has(segments[0]?.toLowerCase() ?? '')) return { ok: false, problem: `${shown} is inside ${segments[0]}/, which the app manages itself` };
  return { ok: true, path: segments.join('/') };
}
