import { scrubKnownSecrets } from './scrubSecrets.ts';

/** A streamed text's restorer (PromptRedaction.restorer) or this file's own: chunks in, text out, `end` gives what was held. */
export interface AnswerStream {
  push(chunk: string): string;
  end(): string;
}

/** Characters a key is made of (scrubSecrets widens a match to the whole run of them). */
const tokenChar = /[A-Za-z0-9_\-.~+/%*]/;
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
  // Without a run of token characters as long as the shortest fragment looked for, no key can be in a text (keys made of other characters are always looked for).
  const plain = onlyTokenChars.test(secrets.join(''));
  const longRun = longRunOf(Math.min(16, ...secrets.map((secret) => secret.length)));
  const scrub = (text: string): string => (plain && !longRun.test(text) ? text : scrubKnownSecrets(text, secrets));
  let held = '';
  return {
    push(chunk) {
      const text = held + (inner ? inner.push(chunk) : chunk);
      let cut = text.length;
      while (cut > 0 && tokenChar.test(text[cut - 1] ?? '')) cut -= 1;
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
