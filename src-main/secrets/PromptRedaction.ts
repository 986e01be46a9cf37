import { knownSecrets } from './knownSecrets.ts';
import { scrubKnownSecrets } from './scrubSecrets.ts';
import { findRedactable, redactionKinds, type RedactionKind } from './redactionPatterns.ts';

export interface RedactionRules {
  /** The kinds taken out; all of them by default. */
  kinds?: readonly RedactionKind[];
  /** The user's own words (a customer's name, a project code): literal, case-insensitive, at least 2 characters. */
  terms?: readonly string[];
}

/** How many values of each kind one call had taken out (the audit trail records it). */
export type RedactionCounts = Partial<Record<RedactionKind, number>>;

const labels: Record<RedactionKind, string> = { email: 'EMAIL', phone: 'PHONE', ip: 'IP', key: 'KEY', card: 'CARD', term: 'TERM' };
/** The longest placeholder `restore` may see half of at the end of a chunk: `[ EMAIL\\_999999zz ]`. */
const maxPlaceholderLength = 19;
/**
 * A placeholder as a model may write it back: in another case (`[Email_1]`), its underscore
 * escaped for Markdown (`[EMAIL\\_1]`), a space inside the brackets. `reserve` looks for the same
 * forms in the prompt, so restoring them never touches the user's own text.
 */
const placeholderForms = /\[ ?(EMAIL|PHONE|IP|KEY|CARD|TERM)\\?_(\d{1,6})([a-z]{0,2}) ?\]/gi;
/** Anything shaped like a placeholder in a prompt, with its suffix: `reserve` picks a suffix none of them has. */
const placeholderShapes = /\[ ?(?:EMAIL|PHONE|IP|KEY|CARD|TERM)\\?_\d+([a-z]*) ?\]/gi;
const letter = (index: number): string => String.fromCharCode(97 + index);
/** The start of what may still become a placeholder, at the end of a chunk. */
const placeholderStart = /^\[ ?[A-Za-z]{0,5}(?:\\?_?\d{0,6}[A-Za-z]{0,2} ?)?$/;

/**
 * Where a streamed answer is: whether it is a JSON document (decided by its first character, or
 * the first after a Markdown fence's opening line), and inside one of its strings.
 */
interface JsonPosition {
  document: boolean | undefined;
  inString: boolean;
  escaped: boolean;
  /** The opening line of a Markdown fence read so far (a structured answer a model wrapped in ```json anyway). */
  fence?: string | undefined;
}

/** A fence's opening line as chatStructured takes the JSON out of it: ``` or ```json. */
const jsonFenceOpener = /^```(?:json)?[ \t]*\r?$/i;

/** Moves the position over `text` from `from` to `to`; text that is not a JSON document costs nothing past its first character. */
function step(position: JsonPosition, text: string, from: number, to: number): void {
  for (let i = from; i < to && position.document !== false; i += 1) {
    const char = text[i] ?? '';
    if (position.document === undefined) {
      if (position.fence !== undefined) {
        if (char !== '\n') {
          position.fence += char;
          if (position.fence.length > 12) position.document = false;
        } else if (jsonFenceOpener.test(position.fence)) position.fence = undefined;
        else position.document = false;
        continue;
      }
      if (/\s/.test(char)) continue;
      if (char === '`') {
        position.fence = char;
        continue;
      }
      position.document = char === '{' || char === '[';
      if (!position.document) return;
    }
    if (position.escaped) position.escaped = false;
    else if (position.inString && char === '\\') position.escaped = true;
    else if (char === '"') position.inString = !position.inString;
  }
}

/**
 * The privacy guard of one model call to a cloud provider: values that identify people or
 * systems (e-mail addresses, phone numbers, IP addresses, key-like strings, card numbers, the
 * user's own terms) are replaced by placeholders (`[EMAIL_1]`) before the prompt leaves the
 * machine, the same value by the same placeholder in every message of the call, and put back in
 * the answer (`restore`, or `restorer` for a stream whose chunks may cut a placeholder in two).
 * The keys this process holds (knownSecrets) are always taken out and never put back. A text that already holds
 * something shaped like a placeholder gets a suffix on every placeholder of the call, so
 * restoring never turns the user's own text into a value.
 */
export class PromptRedaction {
  readonly #kinds: ReadonlySet<RedactionKind>;
  readonly #terms: readonly string[];
  /** The keys this process holds, lower-cased: taken out, never put back. */
  readonly #secrets: ReadonlySet<string>;
  readonly #secretValues: readonly string[];
  #scrubbedKeys = false;
  readonly #byValue = new Map<string, string>();
  readonly #byPlaceholder = new Map<string, string>();
  readonly #next = new Map<RedactionKind, number>();
  readonly counts: RedactionCounts = {};
  #suffix = '';

  constructor(rules: RedactionRules = {}) {
    this.#kinds = new Set(rules.kinds ?? redactionKinds);
    const secrets = knownSecrets.values();
    this.#secretValues = secrets;
    this.#secrets = new Set(secrets.map((secret) => secret.toLowerCase()));
    this.#terms = [...secrets, ...(rules.terms ?? []).filter((term) => term.trim().length >= 2).slice(0, 200)];
  }

  /**
   * Call once with every text of the call before redacting any: picks a placeholder form none of
   * them holds (a suffix of one letter, or two when the texts hold every one-letter form).
   */
  reserve(texts: readonly string[]): void {
    const held = new Set<string>();
    for (const text of texts) for (const match of text.matchAll(placeholderShapes)) held.add((match[1] ?? '').toLowerCase());
    if (held.size === 0) return;
    for (let attempt = 0; attempt < 26 + 26 * 26; attempt += 1) {
      const suffix = attempt < 26 ? letter(attempt) : letter(Math.floor((attempt - 26) / 26)) + letter((attempt - 26) % 26);
      if (!held.has(suffix)) {
        this.#suffix = suffix;
        return;
      }
    }
  }

  /** The text with every value replaced by its placeholder. */
  redact(text: string): string {
    const kinds = new Set(this.#kinds);
    if (this.#terms.length > 0) kinds.add('term');
    const found = findRedactable(text, kinds, this.#terms);
    let out = '';
    let at = 0;
    for (const { start, end, kind } of found) {
      out += text.slice(at, start) + this.#placeholder(text.slice(start, end), kind);
      at = end;
    }
    out += text.slice(at);
    if (this.#secretValues.length === 0) return out;
    // What the whole-word match above cannot see: a key inside a longer word, URL-encoded, JSON-escaped or cut short.
    const scrubbed = scrubKnownSecrets(out, this.#secretValues);
    if (scrubbed !== out) {
      this.#scrubbedKeys = true;
      this.counts.key = (this.counts.key ?? 0) + 1;
    }
    return scrubbed;
  }

  /**
   * The answer with every placeholder of this call put back, in any of the forms a model writes
   * (placeholders it never made are left alone). In an answer that is a JSON document (a
   * structured answer), a value put inside one of its strings is escaped as JSON (a term such as
   * `CORP\jdoe` or `ACME "Corp"`), so the answer still parses.
   */
  restore(text: string): string {
    return this.#restore(text, { document: undefined, inString: false, escaped: false });
  }

  #restore(text: string, position: JsonPosition): string {
    if (this.#byPlaceholder.size === 0) return text;
    let out = '';
    let at = 0;
    for (const match of text.matchAll(placeholderForms)) {
      const [written, kind = '', number = '', suffix = ''] = match;
      step(position, text, at, match.index);
      // An answer that starts with a placeholder is not a JSON document.
      position.document ??= false;
      const value = this.#byPlaceholder.get(`[${kind.toUpperCase()}_${number}${suffix.toLowerCase()}]`);
      out += text.slice(at, match.index) + (value === undefined ? written : position.document === true && position.inString ? JSON.stringify(value).slice(1, -1) : value);
      at = match.index + written.length;
      step(position, text, match.index, at);
    }
    step(position, text, at, text.length);
    return at === 0 ? text : out + text.slice(at);
  }

  /**
   * Restores a streamed answer chunk by chunk: a chunk that ends inside what may be a placeholder
   * (`… [EMA`) keeps that tail until the next chunk says what it is. `end()` gives what is left.
   */
  restorer(): { push(chunk: string): string; end(): string } {
    let held = '';
    const position: JsonPosition = { document: undefined, inString: false, escaped: false };
    return {
      push: (chunk) => {
        const text = held + chunk;
        const open = text.lastIndexOf('[');
        const tail = open === -1 ? '' : text.slice(open);
        held = open !== -1 && tail.length <= maxPlaceholderLength && placeholderStart.test(tail) ? tail : '';
        return this.#restore(held === '' ? text : text.slice(0, open), position);
      },
      end: () => {
        const rest = this.#restore(held, position);
        held = '';
        return rest;
      },
    };
  }

  /** Whether anything was taken out. */
  get redacted(): boolean {
    return this.#byValue.size > 0 || this.#scrubbedKeys;
  }

  #placeholder(value: string, found: RedactionKind): string {
    let kind = found;
    const secret = this.#secrets.has(value.toLowerCase());
    if (secret) kind = 'key';
    // A term is one value however it is cased or spaced; an address however it is cased.
    const key = `${kind}\n${kind === 'term' ? value.toLowerCase().replace(/\s+/g, ' ') : kind === 'email' || secret ? value.toLowerCase() : value}`;
    const known = this.#byValue.get(key);
    if (known !== undefined) return known;
    const number = (this.#next.get(kind) ?? 0) + 1;
    this.#next.set(kind, number);
    const placeholder = `[${labels[kind]}_${number}${this.#suffix}]`;
    this.#byValue.set(key, placeholder);
    // The app's own keys never come back, not even into a local answer.
    if (!secret) this.#byPlaceholder.set(placeholder, value);
    this.counts[kind] = (this.counts[kind] ?? 0) + 1;
    return placeholder;
  }
}
