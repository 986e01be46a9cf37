import { scrubKnownSecrets } from './scrubSecrets.ts';

/** A streamed text's restorer (PromptRedaction.restorer) or this file's own: chunks in, text out, `end` gives what was held. */
export interface AnswerStream {
  push(chunk: string): string;
  end(): string;
}

/** Characters a key is made of (scrubSecrets widens a match to the whole run of them): A-Z a-z 0-9 _ - . ~ + / % *. */
function isTokenChar(code: number): boolean {
  return (code >= 48 && code <= 57) || (code >= 65 && code <= 90) || (code >= 97 && code <= 122) || code === 95 || code === 45 || code === 46 || code === 126 || code === 43 || code === 47 || code === 37 || code === 42;
}
const onlyTokenChars = /^[A-Za-z0-9_\-.~+/%*]*$/;
const longRuns = new Map<number, RegExp>();
/** A run of at least `length` token characters (one pattern per length, made once). */
function longRunOf(length: number): RegExp {
  let pattern = longRuns.get(length);
  if (pattern === undefined) longRuns.set(length, (pattern = new RegExp(`[A-Za-z0-9_\\-.~+/%*]{${length},}`)));
  return pattern;
}
/** A run of token characters longer than this is let through scrubbed, not held for more. */
const maxHeld = 8_192;

/**
 * The keys this process holds taken out of a model's answer as it streams (a server that echoes
 * the Authorization header into its text, a model repeating a key it saw): the answer is stored,
 * cached and shown, and a key must reach none of them. A chunk that ends inside a word keeps that
 * word until the next chunk ends it, so a key cut between chunks is still found whole; `inner`
 * (the privacy guard's restorer) runs first.
 */
export function keysOutOfAnswer(secrets: readonly string[], inner?: AnswerStream): AnswerStream {
  const { plain, longRun } = lookOf(secrets);
  const scrub = (text: string): string => (plain && !longRun.test(text) ? text : scrubKnownSecrets(text, secrets));
  let held = '';
  return {
    push(chunk) {
      const text = held + (inner ? inner.push(chunk) : chunk);
      let cut = text.length;
      while (cut > 0 && isTokenChar(text.charCodeAt(cut - 1))) cut -= 1;
      if (text.length - cut > maxHeld) cut = text.length;
      held = text.slice(cut);
      return scrub(text.slice(0, cut));
    },
    end() {
      const rest = held + (inner ? inner.end() : '');
      held = '';
      return scrub(rest);
    },
  };
}

/**
 * What tells a text holds none of `secrets` without searching for each: without a run of token
 * characters as long as the shortest fragment looked for, no key can be in it (keys made of other
 * characters are always looked for). Made once per list (knownSecrets hands out the same list
 * until a key comes or goes), not on every model call.
 */
function lookOf(secrets: readonly string[]): { plain: boolean; longRun: RegExp } {
  let look = looks.get(secrets);
  if (look === undefined) {
    look = { plain: onlyTokenChars.test(secrets.join('')), longRun: longRunOf(Math.min(16, ...secrets.map((secret) => secret.length))) };
    looks.set(secrets, look);
  }
  return look;
}
const looks = new WeakMap<readonly string[], { plain: boolean; longRun: RegExp }>();
