import type { ChatMessage, TargetTokens } from '../../modelCall/modelCallTypes.ts';
import { dataBlock } from '../../prompts/dataBlock.ts';
import { renderPrompt, type PromptTemplate } from '../../prompts/loadPrompt.ts';
import { countTokens } from '../../tokens/countTokens.ts';
import { cutNote, cutToTokens } from '../../tokens/cutToTokens.ts';
import { fitSections, type PromptSection } from '../../tokens/fitSections.ts';
import { formatCount } from '../answerLimits.ts';
import type { RepairTarget } from './pickRepairTargets.ts';

export interface RepairPromptInput {
  template: PromptTemplate;
  target: RepairTarget;
  /** The file's current content: always sent whole (a model cannot rewrite what it does not see). */
  content: string;
  /** The failing cases with their tracebacks, or the log's end. */
  failures: string;
  /** The failing tests' own files (not the target). */
  tests: readonly { path: string; content: string }[];
  /** The interfaces (signatures) of the files the target depends on. */
  interfaces: readonly { path: string; text: string }[];
  /** Other files involved, whole. */
  others: readonly { path: string; content: string }[];
  /** The window of the target the prompt goes to, and its token count. */
  tokens: TargetTokens;
}

export type RepairPrompt =
  | { ok: true; messages: ChatMessage[]; maxTokens: number; promptTokens: number; cut: string[]; dropped: string[] }
  | { ok: false; note: string };

/** Role and framing tokens per chat message. */
const perMessageTokens = 8;
/** The answer is the whole file: room for it to grow by half, at least this, at most this. */
const minAnswerTokens = 1024;
const maxAnswerTokens = 8192;
/** Of the prompt's room, the failure output may take at most this share, so the test and interfaces keep some. */
const failureShare = 0.4;
const charsPerTokenAtMost = 16;

/** o200k with the margin for other tokenizers, never under the router's 4-characters-a-token estimate. */
export function fallbackTokens(contextLength: number): TargetTokens {
  return {
    contextLength,
    count: (text) => Math.max(text.length > 400_000 ? Buffer.byteLength(text, 'utf8') : Math.ceil(countTokens(text) * 1.15), Math.ceil(text.length / 4)),
  };
}

/**
 * The repair prompt for one file, sized in tokens for the target's window: the answer's room
 * first (the whole file, plus growth), then, by priority, the file to fix (whole, never cut), the
 * failure output (its end kept, at most 40% of the room before the rest is placed), the failing
 * tests' files, the interfaces of its dependencies, and other files. A file that does not fit
 * whole next to its answer is not sent: the result says so in numbers.
 */
export function buildRepairPrompt(input: RepairPromptInput): RepairPrompt {
  const { template, target, tokens } = input;
  const { file } = target;
  const count = (text: string) => tokens.count(text);
  const window = tokens.contextLength;
  const fileTokens = count(input.content);
  const maxTokens = Math.min(maxAnswerTokens, Math.floor(window / 2), Math.max(minAnswerTokens, Math.ceil(fileTokens * 1.5) + 512));
  const values = (blocks: Record<'content' | 'failures' | 'tests' | 'interfaces' | 'others', string>) => ({
    path: file.path,
    language: file.language,
    purposeBlock: dataBlock('purpose', file.purpose),
    exportsBlock: dataBlock('interface', file.exports.map((entry) => `- ${entry}`).join('\n') || '(none)'),
    whyBlock: dataBlock('evidence', [...target.why.map((line) => `- ${line}`), ...(target.addPackage ? [`Add the package ${target.addPackage}.`] : [])].join('\n')),
    contentBlock: dataBlock('content', blocks.content),
    failuresBlock: dataBlock('test output', blocks.failures),
    testsBlock: blocks.tests || '(none)',
    interfacesBlock: blocks.interfaces || '(none)',
    contextBlock: blocks.others || '(none)',
  });
  const render = (blocks: Parameters<typeof values>[0]): ChatMessage[] => [
    { role: 'system', content: template.system },
    { role: 'user', content: renderPrompt(template.user ?? '', values(blocks)) },
  ];
  const measure = (messages: ChatMessage[]) => messages.reduce((sum, message) => sum + perMessageTokens + count(message.content), 0);
  const fixed = measure(render({ content: '', failures: '', tests: '', interfaces: '', others: '' }));
  // A little slack: counts of parts and of their join differ by a token here and there.
  const room = window - maxTokens - fixed - Math.ceil(window * 0.02) - 16;
  const notSent = (why: string): RepairPrompt => ({ ok: false, note: `not repaired: ${why}` });
  if (fileTokens * 1.1 > maxTokens) return notSent(`${file.path} is about ${formatCount(fileTokens)} tokens; its rewrite does not fit the ${formatCount(maxTokens)} tokens of answer the model's ${formatCount(window)}-token window leaves`);
  if (fileTokens > room) return notSent(`${file.path} is about ${formatCount(fileTokens)} tokens; with the instructions and room for the answer (${formatCount(maxTokens)} tokens) it does not fit the model's ${formatCount(window)}-token window`);

  const failureBudget = Math.max(256, Math.floor((room - fileTokens) * failureShare));
  // Counting a huge log is slow: no token is longer than this many characters in practice, so
  // its end that long holds more than the budget, and only that is counted.
  const failureTail = input.failures.length > failureBudget * charsPerTokenAtMost ? `${cutNote(input.failures.slice(0, -failureBudget * charsPerTokenAtMost))}\n${input.failures.slice(-failureBudget * charsPerTokenAtMost)}` : input.failures;
  const failures = cutToTokens(failureTail, failureBudget, count, 'end', 0)?.text ?? '';
  // The same for the context files: their start, as long as the room could ever hold, is counted.
  const head = (text: string) => (text.length > room * charsPerTokenAtMost ? `${text.slice(0, room * charsPerTokenAtMost)}\n${cutNote(text.slice(room * charsPerTokenAtMost))}` : text);
  const sections: PromptSection<'content' | 'failures' | 'tests' | 'interfaces' | 'others'>[] = [
    { key: 'content', text: input.content, priority: 0, shrink: 'none' },
    { key: 'failures', text: failures, priority: 1, shrink: 'head', minTokens: 128 },
    { key: 'tests', text: head(input.tests.map((test) => dataBlock(test.path, test.content)).join('\n')), priority: 2, shrink: 'tail', minTokens: 128 },
    { key: 'interfaces', text: head(input.interfaces.map((item) => dataBlock(`interface of ${item.path}`, item.text)).join('\n')), priority: 3, shrink: 'tail' },
    { key: 'others', text: head(input.others.map((other) => dataBlock(other.path, other.content)).join('\n')), priority: 4, shrink: 'tail' },
  ];
  // A cut data block loses its closing marker: close it again so the model still sees the data end.
  const closed = (text: string) => (text === '' || text.endsWith('DATA>>>') ? text : `${text}\nDATA>>>`);
  let budget = room;
  for (let attempt = 0; attempt < 3; attempt += 1) {
    const fitted = fitSections(sections, budget, count);
    if (fitted.dropped.includes('content')) break;
    const messages = render({ content: fitted.texts.content, failures: fitted.texts.failures, tests: closed(fitted.texts.tests), interfaces: closed(fitted.texts.interfaces), others: closed(fitted.texts.others) });
    const promptTokens = measure(messages);
    if (promptTokens + maxTokens <= window) return { ok: true, messages, maxTokens, promptTokens, cut: fitted.cut, dropped: fitted.dropped };
    budget -= promptTokens + maxTokens - window + 16;
  }
  return notSent(`${file.path} with its test output does not fit the model's ${formatCount(window)}-token window next to ${formatCount(maxTokens)} tokens of answer`);
}
