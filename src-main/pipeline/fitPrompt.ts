import type { TaskKind } from '../../src-shared/domain/provider.ts';
import { renderPrompt } from '../prompts/loadPrompt.ts';
import { countTokens } from '../tokens/countTokens.ts';
import { fitSections, type FitResult, type PromptSection } from '../tokens/fitSections.ts';
import type { ChatMessage, TargetTokens } from '../modelCall/modelCallTypes.ts';
import type { PipelineContext } from './PipelineContext.ts';

/** Role and framing tokens per chat message (chat templates add a few). */
const perMessageTokens = 8;
/** Tokens kept free besides the answer: the sum of the parts' counts can differ from the whole's a little. */
const safetyTokens = 32;
/** The window assumed when no target says (the router refuses what does not fit the real one). */
const fallbackWindow = 8_192;
/** What stands where a section was left out, so the model knows it is missing. */
export const leftOutNote = "(left out to fit the model's window)";

/**
 * The window and token count of the target a task would go to now: the gateway's (learned from
 * the server, counted with the target's tokenizer) or, for a context without it, the window alone
 * counted with o200k plus a 15% margin for other tokenizers, never under 4 characters a token.
 */
export async function promptBudgetFor(context: Pick<PipelineContext, 'promptBudget' | 'contextWindow'>, task: TaskKind): Promise<TargetTokens> {
  const own = await context.promptBudget?.(task);
  if (own) return own;
  const contextLength = (await context.contextWindow(task)) ?? fallbackWindow;
  return { contextLength, count: (text) => Math.max(Math.ceil(countTokens(text) * 1.15), Math.ceil(text.length / 4)) };
}

export interface FitPromptSection<K extends string> extends PromptSection<K> {
  /** How the fitted text goes into the template (e.g. a data block); default as is. */
  wrap?: (text: string) => string;
}

export interface FittedPrompt<K extends string> {
  messages: ChatMessage[];
  fit: FitResult<K>;
  /** Tokens of the whole prompt by the target's count, framing included. */
  promptTokens: number;
  /** Tokens the prompt may take next to the answer. */
  available: number;
}

/**
 * A system message and a user template whose placeholders are filled with `sections`, fitted by
 * priority (see fitSections) into the target's window less the answer's tokens: a section that
 * does not fit is cut (saying so) or left out (saying so), never the whole request refused for a
 * size a smaller prompt would avoid. The fixed text (system, template, `values`) is counted first;
 * the whole prompt is counted again at the end and refitted once if the parts undercounted it.
 */
export function fitPrompt<K extends string>(input: {
  budget: TargetTokens;
  answerTokens: number;
  system: string;
  template: string;
  values?: Readonly<Record<string, string>>;
  sections: readonly FitPromptSection<K>[];
}): FittedPrompt<K> {
  const { budget, sections } = input;
  const render = (texts: Record<K, string>): ChatMessage[] => {
    const filled: Record<string, string> = { ...input.values };
    for (const section of sections) {
      const text = texts[section.key];
      filled[section.key] = (section.wrap ?? ((value: string) => value))(text === '' && section.text !== '' ? leftOutNote : text);
    }
    return [
      { role: 'system', content: input.system },
      { role: 'user', content: renderPrompt(input.template, filled) },
    ];
  };
  const countMessages = (messages: ChatMessage[]): number => messages.reduce((sum, message) => sum + perMessageTokens + budget.count(message.content), 0);
  const empty = Object.fromEntries(sections.map((section) => [section.key, section.text === '' ? '' : leftOutNote])) as Record<K, string>;
  const fixed = countMessages(render(empty));
  const available = Math.max(0, budget.contextLength - input.answerTokens - safetyTokens);
  let room = available - fixed;
  for (let attempt = 0; ; attempt += 1) {
    const fit = fitSections(sections, room, budget.count);
    const messages = render(fit.texts);
    const promptTokens = countMessages(messages);
    if (promptTokens <= available || attempt === 1 || room <= 0) return { messages, fit, promptTokens, available };
    room -= promptTokens - available;
  }
}

/** "the plan (cut), the interfaces (left out)": what a fitted prompt lacks, in words; '' when nothing. */
export function describeFit<K extends string>(fit: FitResult<K>, names: Readonly<Record<K, string>>): string {
  return [...fit.cut.map((key) => `${names[key]} (cut)`), ...fit.dropped.map((key) => `${names[key]} (left out)`)].join(', ');
}

/** A placeholder for the n-th of many sections (renderPrompt's names are letters only): A, B, …, Z, BA, BB, … */
export function placeholderName(index: number): string {
  return (index >= 26 ? placeholderName(Math.floor(index / 26)) : '') + String.fromCharCode(65 + (index % 26));
}
