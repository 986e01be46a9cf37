import { cutToTokens } from './cutToTokens.ts';

/**
 * How a section may shrink: `tail` cuts its end (keeps the start: code, a file), `head` cuts its
 * start (keeps the end: a log, where the failure is), `none` is used whole or not at all.
 */
export type ShrinkMode = 'tail' | 'head' | 'none';

export interface PromptSection<K extends string = string> {
  key: K;
  text: string;
  /** Lower is kept first. Ties keep the input order. */
  priority: number;
  shrink: ShrinkMode;
  /** A cut section smaller than this is dropped instead (default 64, or the whole section when smaller). */
  minTokens?: number;
}

export interface FittedSection<K extends string = string> {
  key: K;
  /** The text to put in the prompt: whole, cut (with a line saying so), or '' when dropped. */
  text: string;
  state: 'whole' | 'cut' | 'dropped';
  tokens: number;
  originalTokens: number;
}

export interface FitResult<K extends string = string> {
  /** The fitted text per key ('' for a dropped section). */
  texts: Record<K, string>;
  /** Per section, in input order. */
  sections: FittedSection<K>[];
  cut: K[];
  dropped: K[];
  /** Tokens of all fitted texts together, by `count` (framing between them is the caller's). */
  totalTokens: number;
}

/** Less of a section than this is not worth showing. */
const defaultMinTokens = 64;

/**
 * Priority-ordered prompt sections fitted into `budget` tokens by `count` (the target's own
 * tokenizer where it has one). Two passes, both in priority order: first every section gets its
 * floor (a `none` section all of it, a shrinkable one its `minTokens`) while floors fit, the rest
 * are dropped; then the room left grows the shrinkable ones toward whole, so a huge log of high
 * priority is cut around a whole file of lower priority instead of pushing it out. Each section is
 * counted once, plus a few counts per cut (see `cutToTokens`).
 */
export function fitSections<K extends string>(sections: readonly PromptSection<K>[], budget: number, count: (text: string) => number): FitResult<K> {
  const measured = sections.map((section, index) => ({ section, index, tokens: section.text === '' ? 0 : count(section.text) }));
  const fitted: FittedSection<K>[] = measured.map(({ section, tokens }) => ({ key: section.key, text: section.text, state: 'whole', tokens, originalTokens: tokens }));
  const total = measured.reduce((sum, entry) => sum + entry.tokens, 0);
  if (total <= budget) return result(fitted);

  const order = [...measured].sort((a, b) => a.section.priority - b.section.priority || a.index - b.index);
  let remaining = Math.max(0, budget);
  const floors = new Map<number, number>();
  for (const { section, index, tokens } of order) {
    const floor = section.shrink === 'none' ? tokens : Math.min(tokens, section.minTokens ?? defaultMinTokens);
    if (floor <= remaining) {
      floors.set(index, floor);
      remaining -= floor;
    } else {
      fitted[index] = drop(fitted[index]!);
    }
  }
  for (const { section, index, tokens } of order) {
    const floor = floors.get(index);
    if (floor === undefined || section.shrink === 'none' || tokens === floor) continue;
    const room = floor + remaining;
    if (tokens <= room) {
      remaining -= tokens - floor;
      continue;
    }
    const minTokens = Math.min(tokens, section.minTokens ?? defaultMinTokens);
    const cut = cutToTokens(section.text, room, count, section.shrink === 'tail' ? 'start' : 'end', minTokens, tokens);
    if (cut === undefined) {
      fitted[index] = drop(fitted[index]!);
      remaining = room;
      continue;
    }
    fitted[index] = { ...fitted[index]!, text: cut.text, state: 'cut', tokens: cut.tokens };
    remaining = room - cut.tokens;
  }
  return result(fitted);
}

function drop<K extends string>(section: FittedSection<K>): FittedSection<K> {
  return { ...section, text: '', state: 'dropped', tokens: 0 };
}

function result<K extends string>(sections: FittedSection<K>[]): FitResult<K> {
  const texts = Object.fromEntries(sections.map((section) => [section.key, section.text])) as Record<K, string>;
  return {
    texts,
    sections,
    cut: sections.filter((section) => section.state === 'cut').map((section) => section.key),
    dropped: sections.filter((section) => section.state === 'dropped').map((section) => section.key),
    totalTokens: sections.reduce((sum, section) => sum + section.tokens, 0),
  };
}
