import type { SpecDraft } from '../domain/serviceSpec.ts';
import { normalizeName } from '../domain/vendorCatalog.ts';

export const questionTypes = ['single', 'multi', 'free_text'] as const;
export type QuestionType = (typeof questionTypes)[number];

/** What the user gave for one question: the option labels they picked and what they typed. */
export interface Answer {
  selected: string[];
  text: string;
}

export interface SlotOption {
  label: string;
  /** A short line shown under the option (e.g. the vendor API a product uses). */
  hint?: string;
  /** Other words that pick this option when typed. */
  aliases?: readonly string[];
}

/** Applying an answer either fills the field, or says why the answer was too vague to use. */
export type ApplyResult = { ok: true; spec: SpecDraft; summary: string } | { ok: false; vague: string };

/**
 * One thing the interview has to learn. The model writes the question; the slot decides which
 * options are valid and turns the user's answer into spec values itself, so a value in the
 * spec always comes from what the user picked or typed, never from the model.
 */
export interface Slot<Id extends string = string> {
  id: Id;
  label: string;
  questionType: QuestionType;
  /** For the prompt: what this field means to the generated service. */
  describe: string;
  /** Fields whose answers this one builds on: editing them re-asks this one. */
  dependsOn: readonly Id[];
  isKnown(spec: SpecDraft): boolean;
  /** False when the spec makes the question moot (no vendors, so no vendor API auth). */
  isNeeded(spec: SpecDraft): boolean;
  /** The fixed options, or undefined when the model proposes them (user-confirmed suggestions). */
  options(spec: SpecDraft): SlotOption[] | undefined;
  /** `shown`: the option labels the user saw, so a pick of a model suggestion is recognised. */
  apply(spec: SpecDraft, answer: Answer, shown: readonly string[]): ApplyResult;
  clear(spec: SpecDraft): SpecDraft;
}

const vaguePattern =
  /^(idk|i dont know|i do not know|dunno|not sure|unsure|whatever|anything|any|no idea|none of the above|tbd|todo|something|stuff|n a|na|maybe|ok|okay|yes|no|\?+|-+|\.+)$/;

/** True for answers that say nothing ("idk", "whatever", "?", very short text). */
export function isVague(text: string, minLength = 3): boolean {
  const simple = text
    .toLowerCase()
    .replace(/[^a-z0-9?.\- ]+/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  return simple.length < minLength || vaguePattern.test(simple);
}

/** Splits typed text into items on commas, semicolons, new lines and bullets. */
export function splitItems(text: string): string[] {
  return text
    .split(/[,;\n]|^\s*[-*•]\s+/m)
    .map((item) => item.replace(/^\s*[-*•]\s*/, '').trim())
    .filter((item) => item !== '');
}

/** The option a picked or typed value names: by label (ignoring "(recommended)") or alias. */
export function matchOption<T extends SlotOption>(options: readonly T[], value: string): T | undefined {
  const key = normalizeName(value.replace(/\((recommended|default)\)/i, ''));
  if (key === '') return undefined;
  return options.find(
    (option) => normalizeName(option.label.replace(/\((recommended|default)\)/i, '')) === key || (option.aliases ?? []).some((alias) => normalizeName(alias) === key),
  );
}

/** Case-insensitive de-duplication keeping the first spelling. */
export function uniqueItems(items: readonly string[]): string[] {
  const seen = new Set<string>();
  return items.filter((item) => {
    const key = item.toLowerCase();
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

export function withoutKeys(spec: SpecDraft, ...keys: (keyof SpecDraft)[]): SpecDraft {
  const next: Record<string, unknown> = { ...spec };
  for (const key of keys) delete next[key];
  return next as SpecDraft;
}
