import { maxFileChars, type FileLanguage } from '../../src-shared/pipeline/plan.ts';
import { fileAnswerMaxChars, formatCount } from './answerLimits.ts';
import { mayBeEmpty } from './validate/mayBeEmpty.ts';
import type { FinishReason } from '../modelCall/modelCallTypes.ts';

export type ReducedFile = { ok: true; content: string } | { ok: false; problem: string };

const proseLanguages: ReadonlySet<FileLanguage> = new Set(['markdown', 'text']);
/** A fenced block: its opening line (fence and info string), its text, and the same fence closing it. */
const fencedBlock = /^(```+|~~~+)[^\n`]*\n([\s\S]*?)^\1[ \t]*$/gm;
const chatterLine = /^(sure|certainly|of course|here('s| is| are)|below is|this (file|is)|i('ve| have| will|'ll)|as requested|the following|okay|ok)\b/i;

/**
 * The file content in a model's answer: the fenced block when the model used one (chatter around
 * it dropped), else the whole answer with chatter lines before and after removed. Refused, with
 * the reason, when the answer was cut off at the token limit, stopped by the router's size cap
 * (`too-long`: the real problem is the file's size) or stopped by the provider, when a
 * fence never closes (truncated), or when a code file came back as prose.
 */
export function reduceToFileContent(answer: string, file: { path: string; language: FileLanguage }, finishReason: FinishReason = 'stop'): ReducedFile {
  if (finishReason === 'too-long') {
    return {
      ok: false,
      problem: `the file has more than ${formatCount(fileAnswerMaxChars)} characters (the answer was stopped there); at most ${formatCount(maxFileChars)}: it needs a shorter file or a split into several files`,
    };
  }
  if (finishReason === 'length') return { ok: false, problem: `the answer for ${file.path} was cut off at the token limit (truncated); it needs a shorter file or a larger limit` };
  if (finishReason === 'error' || finishReason === 'cancelled') {
    // OpenAI's content_filter and Anthropic's refusal end a stream early: what came is not the whole file.
    const stopped = finishReason === 'error' ? 'was stopped by the provider (a refusal or content filter)' : 'was cancelled';
    return { ok: false, problem: `the answer for ${file.path} ${stopped} before it was complete` };
  }
  const text = answer.replace(/\r\n/g, '\n');
  const fences = [...text.matchAll(fencedBlock)];
  const opened = (text.match(/^(```+|~~~+)/gm) ?? []).length;
  // A fence left once the closed blocks are taken out, with text after it, opens a block that was
  // cut off, also after a complete example block (whose text would otherwise pass for the file).
  const cutOff = /^(```+|~~~+)[^\n]*\n[\s\S]*\S/m.test(text.replace(fencedBlock, ''));
  if ((cutOff || (fences.length === 0 && opened > 0)) && !proseLanguages.has(file.language)) {
    return { ok: false, problem: `the answer for ${file.path} opens a code fence that never closes (truncated output)` };
  }
  let content: string;
  const wholeFence = fences.length === 1 && fences[0]?.[0].trim() === text.trim();
  if (fences.length > 0 && (wholeFence || !(proseLanguages.has(file.language) && !chatterLine.test(text.trim())))) {
    // The longest fenced block is the file; smaller ones are usually usage examples.
    content = fences.map((match) => match[2] ?? '').reduce((longest, block) => (block.length > longest.length ? block : longest), '');
  } else {
    const lines = text.split('\n');
    while (lines.length > 0 && chatterLine.test(lines[0]?.trim() ?? '') && !proseLanguages.has(file.language)) lines.shift();
    while (lines.length > 0 && /^(let me know|i hope|this (code|file) |note:|feel free)/i.test(lines.at(-1)?.trim() ?? '') && !proseLanguages.has(file.language)) lines.pop();
    content = lines.join('\n');
  }
  content = content.replace(/^\n+/, '').replace(/\s+$/, '');
  if (content === '') return mayBeEmpty(file.path) ? { ok: true, content: '' } : { ok: false, problem: `the answer for ${file.path} has no file content` };
  if (!proseLanguages.has(file.language) && looksLikeProse(content)) {
    return { ok: false, problem: `the answer for ${file.path} is prose, not ${file.language} code` };
  }
  return { ok: true, content: `${content}\n` };
}

/**
 * Mostly sentences: long lines of words ending in full stops, with no code punctuation. Text in
 * triple-quoted strings (Python docstrings, TOML multi-line strings) is data, not the model talking.
 */
function looksLikeProse(content: string): boolean {
  const lines = content
    .replace(/("""|''')[\s\S]*?(?:\1|$)/g, '')
    .split('\n')
    .filter((line) => line.trim() !== '');
  if (lines.length === 0) return false;
  const sentences = lines.filter((line) => /^[A-Z][^{}()[\];=<>#:]*[.!?]$/.test(line.trim()) && line.trim().split(/\s+/).length >= 6);
  return sentences.length / lines.length > 0.6;
}
