import { isIPv6 } from 'node:net';

import { redactionKinds, type RedactionKind } from '../../src-shared/domain/settings.ts';

export { redactionKinds, type RedactionKind };

/** A value found in a text: where, and what kind. */
export interface Found {
  start: number;
  end: number;
  kind: RedactionKind;
}

// Every quantifier is bounded and no pattern nests quantifiers, so a hostile text costs linear time.
// Letters of any script: josé.müller@bücher.example is an address too.
const email = /[\p{L}\p{M}\p{N}._%+-]{1,64}@(?:[\p{L}\p{M}\p{N}-]{1,63}\.){1,8}[\p{L}\p{M}]{2,24}(?![\p{L}\p{M}\p{N}-])/gu;
/** An address URL-encoded in a link or a query (`?to=ana%40corp.example`). */
const encodedEmail = /(?<![A-Za-z0-9._+-])[A-Za-z0-9._+-]{1,64}%40(?:[A-Za-z0-9-]{1,63}\.){1,8}[A-Za-z]{2,24}(?![A-Za-z0-9-])/gi;
const ipv4 = /(?<![\w.])(?:(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(?:\/\d{1,2})?(?!\w|\.\d)/g;
// An IPv4 tail (`::ffff:10.1.2.3`) is part of the address, not left behind.
const ipv6Candidate = /(?<![\w:])[0-9A-Fa-f]{0,4}(?::[0-9A-Fa-f]{0,4}){2,7}(?:\.\d{1,3}\.\d{1,3}\.\d{1,3})?(?:\/\d{1,3})?(?![\w:])/g;
const phone = /(?<![\w.+])(?:\+\d{1,3}[ .-]?)?(?:\(\d{1,4}\)[ .-]?)?\d{2,4}(?:[ .-]\d{2,4}){1,4}(?![\w:]|\.\d)/g;
/** An international number, with or without separators in any grouping (`+14155550132`, `+49 30 901820`). */
const internationalPhone = /(?<![\w+])\+[1-9](?:[ .-]?\d){7,14}(?![\w])/g;
const card = /(?<![\w-])\d(?:[ -]?\d){12,18}(?![\w-])/g;
/** A card number grouped with dots as some people write it (`4111.1111.1111.1111`, Amex `3782.822463.10005`): only in card groupings, so a decimal number is not one. */
const dottedCard = /(?<![\w.-])\d{4}\.(?:\d{4}\.\d{4}\.\d{4}|\d{6}\.\d{5})(?![\w-]|\.\d)/g;
const keyShapes = [
  /\bsk-(?:ant-|proj-)?[A-Za-z0-9_-]{16,200}/g,
  /\bAIza[0-9A-Za-z_-]{35}\b/g,
  /\b(?:ghp|gho|ghu|ghs|ghr)_[A-Za-z0-9]{30,100}\b/g,
  /\bgithub_pat_[A-Za-z0-9_]{40,120}\b/g,
  /\bxox[abprs]-[A-Za-z0-9-]{10,200}/g,
  /\bhf_[A-Za-z0-9]{30,100}\b/g,
  /\b(?:AKIA|ASIA)[0-9A-Z]{16}\b/g,
  /\beyJ[A-Za-z0-9_-]{8,2000}\.[A-Za-z0-9_-]{8,4000}\.[A-Za-z0-9_-]{8,2000}/g,
  /-----BEGIN [A-Z ]{0,40}PRIVATE KEY-----[\s\S]{0,10000}?-----END [A-Z ]{0,40}PRIVATE KEY-----/g,
  // Stripe's secret and restricted keys, GitLab and npm tokens, a Slack webhook, Google's OAuth tokens and client secrets.
  /\b(?:sk|rk)_(?:live|test)_[A-Za-z0-9]{16,247}\b/g,
  /\bglpat-[A-Za-z0-9_-]{20,64}/g,
  /\bnpm_[A-Za-z0-9]{36}\b/g,
  /\bhttps:\/\/hooks\.slack\.com\/services\/T[A-Z0-9]{6,12}\/B[A-Z0-9]{6,12}\/[A-Za-z0-9]{20,32}/g,
  /\bya29\.[0-9A-Za-z_-]{20,2000}/g,
  /\bGOCSPX-[A-Za-z0-9_-]{20,40}/g,
];
/** A bearer token, or Basic credentials (base64 of `user:password`), pasted with its header (`Authorization: Bearer …`). */
const bearer = /\b(Bearer|Basic)\s{1,3}([A-Za-z0-9._~+/-]{16,400}=*)/g;
/** The password of an address that carries one (`postgres://admin:…@db:5432/app`, `redis://:…@cache`). */
const urlPassword = /\b[A-Za-z][A-Za-z0-9+.-]{1,20}:\/\/[^\s:/@]{0,64}:([^\s:/@]{1,128})@/g;
/**
 * A random-looking value right after a name that says it is a secret (`password = "…"`, `token: …`),
 * also inside a longer name as .env files and code write them (`AWS_SECRET_ACCESS_KEY=…`,
 * `DB_PASSWORD=…`, `client_secret: …`, `x-api-key: …`). Each part of the name is bounded.
 */
const namedSecret =
  /(?<![A-Za-z0-9])(?:[A-Za-z0-9]{1,20}[_-]){0,4}(?:api[_-]?key|secret|token|password|passwd|pwd|credential)s?(?:[_-][A-Za-z0-9]{1,20}){0,3}["']?\s{0,3}[:=]\s{0,3}["']?([A-Za-z0-9+/_.~-]{8,400})/gi;

/**
 * Adds every match of `pattern` to `found` (one at a time: spreading a text's hundred thousand
 * matches into `push` as arguments overflows the stack).
 */
function all(found: Found[], pattern: RegExp, text: string, kind: RedactionKind, accept: (value: string) => boolean = () => true): void {
  for (const match of text.matchAll(pattern)) {
    const value = match[0];
    if (accept(value)) found.push({ start: match.index, end: match.index + value.length, kind });
  }
}

function digits(value: string): string {
  return value.replace(/\D/g, '');
}

/** The Luhn checksum every payment card number passes (most other 13–19 digit numbers do not). */
export function luhnValid(number: string): boolean {
  let sum = 0;
  for (let i = 0; i < number.length; i += 1) {
    let digit = Number(number[number.length - 1 - i]);
    if (i % 2 === 1) {
      digit *= 2;
      if (digit > 9) digit -= 9;
    }
    sum += digit;
  }
  return number.length > 0 && sum % 10 === 0;
}

function looksRandom(value: string): boolean {
  // Mixed letters and digits, not a word or a path: what a generated secret looks like.
  return /[A-Za-z]/.test(value) && /\d/.test(value) && !/^[a-z]+(?:[._-][a-z]+)*$/.test(value);
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * A term as a whole word, in any case, its words spaced in any way (a line wrapped inside it, a
 * non-breaking space, a tab: text a model or a formatter reflowed still holds the term). The gap is
 * bounded, so the pattern stays linear.
 */
function termPattern(term: string): RegExp {
  return new RegExp(`(?<![\\w])${escapeRegExp(term.trim()).replace(/\s+/g, '\\s{1,40}')}(?![\\w])`, 'gi');
}

/**
 * Every value of the given kinds in `text`, longest first where two overlap (a key that contains
 * digits shaped like a phone number is one key). `terms` are the user's own words (literal,
 * case-insensitive), never regular expressions: a user's pattern cannot make the guard slow.
 */
export function findRedactable(text: string, kinds: ReadonlySet<RedactionKind>, terms: readonly string[] = []): Found[] {
  const found: Found[] = [];
  if (kinds.has('key')) {
    for (const shape of keyShapes) all(found, shape, text, 'key');
    for (const match of text.matchAll(bearer)) {
      const value = match[2] ?? '';
      // "Basic" is also a word: what follows it must look random (base64 of `user:password` does).
      if (match[1] === 'Basic' && !looksRandom(value)) continue;
      const start = match.index + match[0].length - value.length;
      found.push({ start, end: start + value.length, kind: 'key' });
    }
    for (const match of text.matchAll(urlPassword)) {
      const value = match[1] ?? '';
      const start = match.index + match[0].length - 1 - value.length;
      found.push({ start, end: start + value.length, kind: 'key' });
    }
    for (const match of text.matchAll(namedSecret)) {
      const value = match[1] ?? '';
      if (!looksRandom(value)) continue;
      const start = match.index + match[0].length - value.length;
      found.push({ start, end: start + value.length, kind: 'key' });
    }
  }
  if (kinds.has('email')) {
    all(found, email, text, 'email');
    all(found, encodedEmail, text, 'email');
  }
  if (kinds.has('card')) {
    all(found, card, text, 'card', (value) => luhnValid(digits(value)));
    all(found, dottedCard, text, 'card', (value) => luhnValid(digits(value)));
  }
  if (kinds.has('ip')) {
    all(found, ipv4, text, 'ip');
    all(found, ipv6Candidate, text, 'ip', (value) => isIPv6(value.replace(/\/\d{1,3}$/, '')) && value.split(':').filter(Boolean).length >= 2);
  }
  if (kinds.has('phone')) {
    all(found, internationalPhone, text, 'phone');
    all(found, phone, text, 'phone', (value) => {
      const count = digits(value).length;
      return count >= 9 && count <= 15 && (value.startsWith('+') || value.includes('(') || /\d[ .-]\d/.test(value));
    });
  }
  if (kinds.has('term')) {
    for (const term of terms) {
      if (term.trim().length < 2) continue;
      all(found, termPattern(term), text, 'term');
    }
  }
  // Longest first, then earliest: overlapping finds keep the widest. The characters kept finds
  // cover are marked, so each find costs its own length (each pattern's finds do not overlap, so
  // all of them cost a few times the text's length), not a look at every value kept before it.
  found.sort((a, b) => b.end - b.start - (a.end - a.start) || a.start - b.start);
  const covered = new Uint8Array(text.length);
  const kept: Found[] = [];
  for (const candidate of found) {
    if (covered.subarray(candidate.start, candidate.end).includes(1)) continue;
    covered.fill(1, candidate.start, candidate.end);
    kept.push(candidate);
  }
  return kept.sort((a, b) => a.start - b.start);
}
