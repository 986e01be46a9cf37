import { errorCodes } from '../../src-shared/errorCodes.ts';

/** The envelope's codes of more than one word (BUDGET_EXCEEDED): never prose, so never to be shown. */
const rawCodes = errorCodes.filter((code) => code.includes('_'));

/**
 * Text that must never reach a person in the GUI: a zod path with its message (`config.label:`),
 * zod's own wording, a CLI flag, a JavaScript error name, a Node system error code, a socket close
 * code, the dispatcher's raw refusal, an error code as the envelope carries it. Returns each
 * match with a little of its surroundings.
 */
const patterns: readonly RegExp[] = [
  // A zod path: identifiers joined by dots, then a colon (not a file name such as app/store.py:).
  /(?<![\w/.-])[a-z][a-zA-Z0-9]*(?:\.(?!(?:py|ts|js|tsx|json|md|txt|toml|ya?ml|cfg|ini|lock)\b)[a-zA-Z][a-zA-Z0-9]*)+:\s/g,
  /\bToo (?:small|big):/g,
  /\b(?:expected|Expected) (?:string|number|object|array|boolean) to have\b/g,
  /(?:^|[\s("'`])--[a-z][a-z0-9-]+/g,
  /\b(?:TypeError|RangeError|SyntaxError|ReferenceError|AbortError)\b/g,
  /\bE(?:CONN[A-Z]+|NOTFOUND|ADDRINUSE|ACCES|PERM|NOENT|PIPE|TIMEDOUT|HOSTUNREACH)\b/g,
  /\bcode 1\d{3}\b/g,
  /\bInvalid input for\b/g,
  /\bfetch failed\b/g,
  new RegExp(`\\b(?:${rawCodes.join('|')})\\b`, 'g'),
];

export function internalText(text: string): string[] {
  const found: string[] = [];
  for (const pattern of patterns) {
    for (const match of text.matchAll(pattern)) {
      const at = match.index;
      found.push(`${match[0].trim()} in "…${text.slice(Math.max(0, at - 60), at + match[0].length + 60).replace(/\s+/g, ' ')}…"`);
    }
  }
  return found;
}
