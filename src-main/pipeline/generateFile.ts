import type { SpecDraft } from '../../src-shared/domain/serviceSpec.ts';
import type { TaskKind } from '../../src-shared/domain/provider.ts';
import { maxFileChars, type PlanFile } from '../../src-shared/pipeline/plan.ts';
import type { FileProblemView } from '../../src-shared/pipeline/pipelineTypes.ts';
import { dataBlock } from '../prompts/dataBlock.ts';
import { loadPrompt, renderPrompt } from '../prompts/loadPrompt.ts';
import { fileAnswerMaxChars, formatCount, promptTokens } from './answerLimits.ts';
import { buildFileContext } from './buildFileContext.ts';
import { contextBudget, countTokens } from '../tokens/countTokens.ts';
import type { PipelineContext, SourceFile } from './PipelineContext.ts';
import { reduceToFileContent } from './reduceToFileContent.ts';
import type { RouteResult } from '../modelCall/modelCallTypes.ts';

export interface GenerateFileInput {
  runId: string;
  spec: SpecDraft;
  plan: readonly PlanFile[];
  file: PlanFile;
  /** The current content of other files (those already written). */
  read: (path: string) => SourceFile | undefined;
  signal: AbortSignal;
}

export type GenerateFileOutcome = { status: 'done' | 'failed'; content?: string; problems: FileProblemView[] };

export function taskFor(file: PlanFile): TaskKind {
  return file.kind === 'test' ? 'tests' : file.kind === 'doc' ? 'docs' : 'code';
}

/**
 * One file: its prompt (spec, plan, the file's interface, context from its dependencies sized by
 * real token counts), the streamed answer reduced to the file's content, validation, then up to
 * `maxFixAttempts` fix prompts with the exact problems. Every version is stored. A model or
 * transport failure throws (the scheduler blocks dependents); a file that stays invalid ends
 * `failed` with its problems but keeps its content, so dependents still get its interface.
 */
export async function generateFile(context: PipelineContext, input: GenerateFileInput): Promise<GenerateFileOutcome> {
  const { file, runId } = input;
  const template = loadPrompt(context.promptsDir, 'generate-file');
  const task = taskFor(file);
  const base = {
    specBlock: dataBlock('spec', JSON.stringify(input.spec, null, 2)),
    planBlock: dataBlock('plan', input.plan.map((entry) => `${entry.path}: ${entry.purpose}`).join('\n')),
    fileBlock: dataBlock(
      'file',
      [`path: ${file.path}`, `language: ${file.language}`, `kind: ${file.kind}`, `purpose: ${file.purpose}`, 'interface:', ...file.exports.map((entry) => `- ${entry}`)].join('\n'),
    ),
    path: file.path,
  };
  const window = (await context.contextWindow(task)) ?? 8192;
  const answerTokens = Math.min(context.limits.maxFileTokens, Math.floor(window / 2));
  const skeleton = renderPrompt(template.user ?? '', { ...base, contextBlock: '' });
  const budget = contextBudget(window, answerTokens) - countTokens(template.system) - countTokens(skeleton);
  const dependencies = await buildFileContext(file, input.plan, input.read, context.validators, Math.max(0, budget));
  const messages = [
    { role: 'system' as const, content: template.system },
    { role: 'user' as const, content: renderPrompt(template.user ?? '', { ...base, contextBlock: dependencies.text }) },
  ];
  const version = `${template.name}@${template.version}`;

  let answer = await ask(context, input, { task, messages, maxTokens: answerTokens });
  let reduced = reduceToFileContent(answer.text, file, answer.finishReason);
  let checked = reduced.ok ? await validate(context, input, reduced.content) : { problems: [outputProblem(file.path, reduced.problem)] };
  let { content, problems } = storeChecked(context, input, { reason: 'generate', raw: reduced.ok ? reduced.content : answer.text, content: reduced.ok ? reduced.content : '', ...checked, answer, promptVersion: version });

  for (let fix = 0; fix < context.limits.maxFixAttempts && problems.length > 0; fix += 1) {
    // A runaway answer is never echoed back: asking again would only repeat it, and the real
    // problem (its size) is already the file's problem.
    if (answer.finishReason === 'too-long' || (reduced.ok ? content : answer.text).length > maxFileChars) break;
    const fixPrompt = fixMessages(context, input, reduced.ok ? content : answer.text, problems, dependencies.text);
    const fixWindow = (await context.contextWindow('fix')) ?? window;
    const needed = promptTokens(fixPrompt);
    const fits = contextBudget(fixWindow, answerTokens);
    if (needed > fits) {
      // Sending it would overflow the window (or be refused as "context too small"): say so instead.
      const why = `no fix was tried: the fix prompt with this file needs about ${formatCount(needed)} tokens, more than the ${formatCount(fits)} the model's ${formatCount(fixWindow)}-token window leaves next to the answer`;
      problems = [...problems, outputProblem(file.path, why)];
      break;
    }
    answer = await ask(context, input, { task: 'fix', messages: fixPrompt, maxTokens: answerTokens });
    reduced = reduceToFileContent(answer.text, file, answer.finishReason);
    checked = reduced.ok ? await validate(context, input, reduced.content) : { problems: [outputProblem(file.path, reduced.problem)] };
    ({ content, problems } = storeChecked(context, input, {
      reason: 'fix',
      raw: reduced.ok ? reduced.content : answer.text,
      content: reduced.ok ? reduced.content : '',
      ...checked,
      answer,
      promptVersion: `fix-file@${loadPrompt(context.promptsDir, 'fix-file').version}`,
    }));
  }
  context.emit({ runId, kind: 'validation', path: file.path, problems });
  return { status: problems.length === 0 ? 'done' : 'failed', ...(content !== '' ? { content } : {}), problems };
}

export function fixMessages(context: PipelineContext, input: Pick<GenerateFileInput, 'file'>, content: string, problems: readonly FileProblemView[], contextText: string) {
  const template = loadPrompt(context.promptsDir, 'fix-file');
  const { file } = input;
  return [
    { role: 'system' as const, content: template.system },
    {
      role: 'user' as const,
      content: renderPrompt(template.user ?? '', {
        path: file.path,
        language: file.language,
        purposeBlock: dataBlock('purpose', file.purpose),
        exportsBlock: dataBlock('interface', file.exports.map((entry) => `- ${entry}`).join('\n') || '(none)'),
        contextBlock: contextText,
        contentBlock: dataBlock('content', content.slice(0, 60_000)),
        problemsBlock: dataBlock('problems', problems.map((problem) => `- ${problem.line !== undefined ? `line ${problem.line}${problem.column !== undefined ? `:${problem.column}` : ''}: ` : ''}${problem.message} (${problem.rule})`).join('\n')),
      }),
    },
  ];
}

async function ask(context: PipelineContext, input: GenerateFileInput, request: { task: TaskKind; messages: { role: 'system' | 'user'; content: string }[]; maxTokens: number }): Promise<RouteResult> {
  const { runId, file } = input;
  context.emit({ runId, kind: 'file-started', path: file.path });
  return context.chat({
    ...request,
    maxChars: fileAnswerMaxChars,
    temperature: 0.2,
    signal: input.signal,
    onEvent: (event) => {
      if (event.type === 'text') context.emit({ runId, kind: 'file-text', path: file.path, text: event.text });
      else if (event.type === 'restart') context.emit({ runId, kind: 'file-restart', path: file.path });
    },
  });
}

async function validate(context: PipelineContext, input: GenerateFileInput, content: string): Promise<{ problems: FileProblemView[]; formatted?: string }> {
  if (content.length > maxFileChars) return { problems: [outputProblem(input.file.path, `the file has ${formatCount(content.length)} characters; at most ${formatCount(maxFileChars)}`)] };
  return context.validators.validateFile(
    { path: input.file.path, language: input.file.language, content, exports: input.file.exports },
    { paths: input.plan.map((entry) => entry.path), read: (path) => (path === input.file.path ? content : input.read(path)?.content) },
  );
}

/**
 * Stores a version; when the validators formatted a valid file (prettier), the formatted text is
 * stored as its own version so the diff shows what formatting changed.
 */
function storeChecked(
  context: PipelineContext,
  input: GenerateFileInput,
  version: { reason: 'generate' | 'fix'; raw: string; content: string; problems: FileProblemView[]; formatted?: string; answer: RouteResult; promptVersion: string },
): { content: string; problems: FileProblemView[] } {
  const { runId, file } = input;
  context.runs.addVersion(runId, file.path, {
    reason: version.reason,
    content: version.raw,
    problems: version.problems,
    providerId: version.answer.target.providerId,
    model: version.answer.target.model,
    requestId: version.answer.requestId,
    promptVersion: version.promptVersion,
    inputTokens: version.answer.inputTokens,
    outputTokens: version.answer.outputTokens,
    countsAsAttempt: true,
  });
  if (version.problems.length === 0 && version.formatted !== undefined && version.formatted !== version.content) {
    context.runs.addVersion(runId, file.path, { reason: 'format', content: version.formatted, problems: [], countsAsAttempt: false });
    return { content: version.formatted, problems: [] };
  }
  return { content: version.content, problems: version.problems };
}

function outputProblem(path: string, message: string): FileProblemView {
  return { path, rule: 'output', message };
}
