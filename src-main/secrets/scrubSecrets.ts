import { knownSecrets } from './knownSecrets.ts';

/**
 * Removes secrets from text that came from outside (a provider's error body, a header it echoed,
 * a health-check answer) before it is stored, logged or shown. Two layers:
 * 1. the secrets this process knows (knownSecrets: the keys in use), in their plain,
 *    URL-encoded and JSON-escaped forms, and any fragment of 16 characters or more of them (a key
 *    cut to its first 20 characters, or "sk-abc…xyz" with the middle elided, still leaks its
 *    ends): the whole word around the fragment is replaced;
 * 2. anything shaped like a credential: `sk-…`/`sk-ant-…` keys, Google `AIza…`, GitHub `ghp_…`,
 *    Slack `xox…`, Hugging Face `hf_…`, AWS access key ids, JWTs, `Bearer`/`Basic` tokens,
 *    Authorization / x-api-key header values, `?api_key=`-style query values, the password of a
 *    `https://user:password@host` address, private key blocks,
 *    and a long high-entropy value right after "key", "token", "secret" or "password".
 * The text is otherwise unchanged (no truncation: callers bound their texts).
 */
export function scrubSecrets(text: string, secrets: readonly string[] = knownSecrets.values()): string {
  let scrubbed = scrubKnownSecrets(text, secrets);
  for (const [pattern, replacement] of patterns) scrubbed = scrubbed.replace(pattern, replacement);
  return scrubbed.replace(wordThenValue, (match, word: string, filler: string, value: string) =>
    looksRandom(value) ? `${word}${filler}${redacted}` : match,
  );
}

/** The marker left where a secret was. */
export const redacted = '[redacted]';

/** Fragments shorter than this are not looked for (a key's common prefix "sk-proj-" leaks nothing). */
const fragmentLength = 16;

/**
 * Layer 1 alone: only the known secret values and their fragments, none of the shape rules.
 * For text where credential-shaped strings are legitimate content (generated code, a model's
 * answer) but the user's own keys must still never appear.
 */
export function scrubKnownSecrets(text: string, secrets: readonly string[] = knownSecrets.values()): string {
  if (secrets.length === 0 || text.length === 0) return text;
  const ranges: [number, number][] = [];
  for (const secret of secrets) {
    for (const form of formsOf(secret)) {
      if (!mayHoldFragment(text, form)) continue;
      const width = Math.min(form.length, fragmentLength);
      const seen = new Set<string>();
      for (let start = 0; start + width <= form.length; start++) {
        const piece = form.slice(start, start + width);
        if (seen.has(piece)) continue;
        seen.add(piece);
        for (let at = text.indexOf(piece); at !== -1; at = text.indexOf(piece, at + 1)) ranges.push(widen(text, at, at + width));
      }
    }
  }
  return replaceRanges(text, ranges);
}

/**
 * Every string inside a value (object, array, string), with scrubKnownSecrets applied: for
 * results leaving the core, which may hold anything. Returns the value itself when nothing was
 * found, so an untouched result is not copied.
 */
export function scrubKnownSecretsDeep<T>(value: T, secrets: readonly string[] = knownSecrets.values(), options: DeepOptions = {}): T {
  if (secrets.length === 0 && !options.fullyScrubbedFields?.length) return value;
  return walk(value, secrets, 0, new Set(options.fullyScrubbedFields ?? []), false) as T;
}

export interface DeepOptions {
  /**
   * String fields with these names get the whole of scrubSecrets (key-shaped text too), not only
   * the known keys: fields that carry an error or a server's words, never model output or code.
   */
  fullyScrubbedFields?: readonly string[];
}

function walk(value: unknown, secrets: readonly string[], depth: number, full: ReadonlySet<string>, fully: boolean): unknown {
  if (typeof value === 'string') return fully ? scrubSecrets(value, secrets) : scrubKnownSecrets(value, secrets);
  if (value === null || typeof value !== 'object' || depth > 64) return value;
  if (Array.isArray(value)) {
    let copy: unknown[] | undefined;
    value.forEach((item, index) => {
      const next = walk(item, secrets, depth + 1, full, fully);
      if (next !== item) (copy ??= [...value])[index] = next;
    });
    return copy ?? value;
  }
  if (Object.getPrototypeOf(value) !== Object.prototype && Object.getPrototypeOf(value) !== null) return value;
  let copy: Record<string, unknown> | undefined;
  for (const [key, item] of Object.entries(value)) {
    const next = walk(item, secrets, depth + 1, full, full.has(key));
    if (next !== item) (copy ??= { ...(value as Record<string, unknown>) })[key] = next;
  }
  return copy ?? value;
}

/**
 * A quick no: every fragment looked for (16 characters of the form, or the whole of a shorter one)
 * contains one of the form's 8-character blocks at 0, 8, 16, …, so a text holding none of them
 * holds no fragment. A handful of searches instead of one per fragment, for the usual text
 * (a prompt, an answer, a result) that holds no key at all.
 */
function mayHoldFragment(text: string, form: string): boolean {
  if (form.length < fragmentLength) return text.includes(form);
  const block = fragmentLength / 2;
  for (let at = 0; at + block <= form.length; at += block) if (text.includes(form.slice(at, at + block))) return true;
  return false;
}

function formsOf(secret: string): string[] {
  const forms = new Set([secret, JSON.stringify(secret).slice(1, -1)]);
  try {
    forms.add(encodeURIComponent(secret));
  } catch {
    // a lone surrogate cannot be URL-encoded, so it cannot appear that way either
  }
  return [...forms].filter((form) => form.length > 0);
}

/** Characters a token is made of: a fragment's match is widened to the whole token around it. */
const tokenChar = /[A-Za-z0-9_\-.~+/%*]/;

function widen(text: string, start: number, end: number): [number, number] {
  let from = start;
  let to = end;
  while (from > 0 && tokenChar.test(text[from - 1] ?? '')) from--;
  while (to < text.length && tokenChar.test(text[to] ?? '')) to++;
  // A sentence's full stop after the key is kept.
  while (to > end && text[to - 1] === '.') to--;
  return [from, to];
}

function replaceRanges(text: string, ranges: [number, number][]): string {
  if (ranges.length === 0) return text;
  ranges.sort((a, b) => a[0] - b[0]);
  let out = '';
  let cursor = 0;
  for (const [start, end] of ranges) {
    if (end <= cursor) continue;
    out += text.slice(cursor, Math.max(start, cursor));
    if (start >= cursor) out += redacted;
    cursor = end;
  }
  return out + text.slice(cursor);
}

const patterns: [RegExp, string][] = [
  [/-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]*?(?:-----END [A-Z ]*PRIVATE KEY-----|$)/g, redacted],
  // Header values: "Authorization: Bearer …", "x-api-key: …", "api-key=…" (as a provider echoes a request).
  [
    /\b((?:proxy-)?authorization|x-api-key|api-key|x-goog-api-key|x-auth-token|openai-api-key|anthropic-api-key)(["']?\s*[:=]\s*["']?)((?:bearer|basic|token|digest)\s+)?[^\s"',;]+/gi,
    `$1$2$3${redacted}`,
  ],
  [/\b(Bearer|Basic)\s+[A-Za-z0-9._~+/-]{8,}=*/g, `$1 ${redacted}`],
  // Query parameters holding credentials: ?key=…, &api_key=…, &access_token=…, &sig=…
  [
    /([?&;](?:api[_-]?key|apikey|key|token|access[_-]?token|refresh[_-]?token|auth|secret|client[_-]?secret|password|sig|signature)=)[^&\s"'#<>]+/gi,
    `$1${redacted}`,
  ],
  // A password in a URL's user part: https://user:<key>@host (a collector or gateway address with its credentials).
  [/(\b[A-Za-z][A-Za-z0-9+.-]{0,20}:\/\/[^\s/?#@:]{0,200}:)[^\s/?#@]{1,400}@/g, `$1${redacted}@`],
  [/\bsk-ant-[A-Za-z0-9_-]{8,}/g, redacted],
  [/\b(?:sk|rk)-[A-Za-z0-9_-]{16,}/g, redacted],
  [/\b(?:sk|rk)_(?:live|test)_[A-Za-z0-9]{10,}/g, redacted],
  [/\bAIza[0-9A-Za-z_-]{20,}/g, redacted],
  [/\b(?:ghp|gho|ghu|ghs|ghr)_[A-Za-z0-9]{20,}/g, redacted],
  [/\bgithub_pat_[A-Za-z0-9_]{20,}/g, redacted],
  [/\bglpat-[A-Za-z0-9_-]{20,}/g, redacted],
  [/\bxox[abposr]-[A-Za-z0-9-]{10,}/g, redacted],
  [/\bhf_[A-Za-z0-9]{20,}/g, redacted],
  [/\b(?:AKIA|ASIA)[0-9A-Z]{16}\b/g, redacted],
  [/\beyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}/g, redacted],
];

/**
 * "key", "token", "secret", "password" (and "API key", "access_token", …; also as the end of a
 * snake_case name: OPENAI_API_KEY, refresh_token, DB_PASSWORD), a few connecting
 * words or punctuation (the quote closing a JSON field's name too), then a value: replaced only when the value looks random (looksRandom).
 */
const wordThenValue =
  /(?<![A-Za-z0-9])((?:api[ _-]?)?keys?|(?:access[ _-]?|auth[ _-]?|bearer[ _-]?)?tokens?|secrets?|client[ _-]?secret|passwords?|passwd|pwd|credentials?)(["'`]?(?:\s{0,3}(?:provided|given|used|value|is|was|of|:|=)){0,3}\s{0,3}["'`]?\s{0,3})([A-Za-z0-9_\-.~+/*=]{16,})/gi;

/** Random-looking: letters and digits mixed, and mixed case or long (model names are neither). */
function looksRandom(value: string): boolean {
  const letters = /[A-Za-z]/.test(value);
  const digits = /[0-9]/.test(value);
  if (!letters || !digits) return false;
  const mixedCase = /[a-z]/.test(value) && /[A-Z]/.test(value);
  return mixedCase || value.length >= 32 || /[0-9a-f]{16,}/i.test(value.replace(/[-_]/g, ''));
}
