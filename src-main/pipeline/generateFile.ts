import type { SpecDraft } from '../../src-shared/domain/serviceSpec.ts';
import type { TaskKind } from '../../src-shared/domain/provider.ts';
import { maxFileChars, type PlanFile } from '../../src-shared/pipeline/plan.ts';
import type { FileProblemView } from '../../src-shared/pipeline/pipelineTypes.ts';
import { dataBlock } from '../prompts/dataBlock.ts';
import { loadPrompt, renderPrompt } from '../prompts/loadPrompt.ts';
import { fileAnswerMaxChars, formatCount } from './answerLimits.ts';
import { buildFileContext } from './buildFileContext.ts';
import { fitPrompt, promptBudgetFor, type FittedPrompt } from './fitPrompt.ts';
import type { PipelineContext, SourceFile } from './PipelineContext.ts';
import { reduceToFileContent } from './reduceToFileContent.ts';
import type { ChatMessage, RouteResult, TargetTokens } from '../modelCall/modelCallTypes.ts';

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
  const budget = await promptBudgetFor(context, task);
  const answerTokens = Math.min(context.limits.maxFileTokens, Math.floor(budget.contextLength / 2));
  const texts = {
    specBlock: JSON.stringify(input.spec, null, 2),
    planBlock: input.plan.map((entry) => `${entry.path}: ${entry.purpose}`).join('\n'),
    fileBlock: [`path: ${file.path}`, `language: ${file.language}`, `kind: ${file.kind}`, `purpose: ${file.purpose}`, 'interface:', ...file.exports.map((entry) => `- ${entry}`)].join('\n'),
  };
  // The dependencies get what the window leaves next to the file's entry and the spec and plan, of
  // which those two may claim half at most (they are cut below): full text, else signatures, else interfaces.
  const skeleton = renderPrompt(template.user ?? '', { specBlock: dataBlock('spec', ''), planBlock: dataBlock('plan', ''), fileBlock: dataBlock('file', texts.fileBlock), contextBlock: '', path: file.path });
  const room = budget.contextLength - answerTokens - budget.count(template.system) - budget.count(skeleton) - 64;
  const specAndPlan = budget.count(texts.specBlock) + budget.count(texts.planBlock);
  const dependencyRoom = room - Math.min(specAndPlan, Math.floor(room / 2));
  const dependencies = await buildFileContext(file, input.plan, input.read, context.validators, Math.max(0, dependencyRoom), budget.count);
  // Then everything is fitted by priority: the file's own entry, its dependencies, the spec, the plan.
  const { messages } = fitPrompt({
    budget,
    answerTokens,
    system: template.system,
    template: template.user ?? '',
    values: { path: file.path },
    sections: [
      { key: 'fileBlock', text: texts.fileBlock, priority: 0, shrink: 'none', wrap: (text) => dataBlock('file', text) },
      { key: 'contextBlock', text: dependencies.text, priority: 1, shrink: 'tail', minTokens: 256 },
      { key: 'specBlock', text: texts.specBlock, priority: 2, shrink: 'tail', minTokens: 128, wrap: (text) => dataBlock('spec', text) },
      { key: 'planBlock', text: texts.planBlock, priority: 3, shrink: 'tail', wrap: (text) => dataBlock('plan', text) },
    ],
  });
  const version = template.id;

  let answer = await ask(context, input, { task, messages, maxTokens: answerTokens, promptVersion: version });
  let reduced = reduceToFileContent(answer.text, file, answer.finishReason);
  let checked = reduced.ok ? await validate(context, input, reduced.content) : { problems: [outputProblem(file.path, reduced.problem)] };
  let { content, problems } = storeChecked(context, input, { reason: 'generate', raw: reduced.ok ? reduced.content : answer.text, content: reduced.ok ? reduced.content : '', ...checked, answer, promptVersion: version });

  for (let fix = 0; fix < context.limits.maxFixAttempts && problems.length > 0; fix += 1) {
    // A runaway answer is never echoed back: asking again would only repeat it, and the real
    // problem (its size) is already the file's problem.
    if (answer.finishReason === 'too-long' || (reduced.ok ? content : answer.text).length > maxFileChars) break;
    const fixBudget = await promptBudgetFor(context, 'fix');
    const fixAnswerTokens = Math.min(context.limits.maxFileTokens, Math.floor(fixBudget.contextLength / 2));
    const fixPrompt = fixMessages(context, input, reduced.ok ? content : answer.text, problems, dependencies.text, fixBudget, fixAnswerTokens);
    if (fixPrompt.fit.dropped.includes('contentBlock')) {
      // Without the file there is nothing to fix (and sending it would overflow the window): say so instead.
      problems = [...problems, outputProblem(file.path, `no fix was tried: ${tooBigForFix(fixPrompt, fixBudget)}`)];
      break;
    }
    answer = await ask(context, input, { task: 'fix', messages: fixPrompt.messages, maxTokens: fixAnswerTokens, promptVersion: loadPrompt(context.promptsDir, 'fix-file').id });
    reduced = reduceToFileContent(answer.text, file, answer.finishReason);
    checked = reduced.ok ? await validate(context, input, reduced.content) : { problems: [outputProblem(file.path, reduced.problem)] };
    ({ content, problems } = storeChecked(context, input, {
      reason: 'fix',
      raw: reduced.ok ? reduced.content : answer.text,
      content: reduced.ok ? reduced.content : '',
      ...checked,
      answer,
      promptVersion: loadPrompt(context.promptsDir, 'fix-file').id,
    }));
  }
  context.emit({ runId, kind: 'validation', path: file.path, problems });
  return { status: problems.length === 0 ? 'done' : 'failed', ...(content !== '' ? { content } : {}), problems };
}

/**
 * The fix prompt of one file, fitted to the fix target's window next to an answer of
 * `answerTokens`: the file whole (or the prompt is not worth sending: `fit.dropped` names
 * `contentBlock`), then the problems, its interface, its purpose and the context of its
 * dependencies, each cut or left out in that order when the window is short, saying so.
 */
export function fixMessages(
  context: Pick<PipelineContext, 'promptsDir'>,
  input: Pick<GenerateFileInput, 'file'>,
  content: string,
  problems: readonly FileProblemView[],
  contextText: string,
  budget: TargetTokens,
  answerTokens: number,
): FittedPrompt<FixSection> {
  const template = loadPrompt(context.promptsDir, 'fix-file');
  const { file } = input;
  const problemLines = problems.map((problem) => `- ${problem.line !== undefined ? `line ${problem.line}${problem.column !== undefined ? `:${problem.column}` : ''}: ` : ''}${problem.message} (${problem.rule})`);
  return fitPrompt<FixSection>({
    budget,
    answerTokens,
    system: template.system,
    template: template.user ?? '',
    values: { path: file.path, language: file.language },
    sections: [
      { key: 'contentBlock', text: content, priority: 0, shrink: 'none', wrap: (text) => dataBlock('content', text) },
      { key: 'problemsBlock', text: problemLines.join('\n'), priority: 1, shrink: 'tail', minTokens: 128, wrap: (text) => dataBlock('problems', text) },
      { key: 'exportsBlock', text: file.exports.map((entry) => `- ${entry}`).join('\n') || '(none)', priority: 2, shrink: 'tail', wrap: (text) => dataBlock('interface', text) },
      { key: 'purposeBlock', text: file.purpose, priority: 3, shrink: 'tail', minTokens: 32, wrap: (text) => dataBlock('purpose', text) },
      { key: 'contextBlock', text: contextText, priority: 4, shrink: 'tail', minTokens: 128 },
    ],
  });
}

export type FixSection = 'contentBlock' | 'problemsBlock' | 'exportsBlock' | 'purposeBlock' | 'contextBlock';

/** Why a fix prompt was not sent, in words: the file alone does not fit next to the answer. */
export function tooBigForFix(prompt: FittedPrompt<FixSection>, budget: TargetTokens): string {
  const fileTokens = prompt.fit.sections.find((section) => section.key === 'contentBlock')?.originalTokens ?? 0;
  return `the fix prompt with this file needs about ${formatCount(prompt.promptTokens + fileTokens)} tokens, more than the ${formatCount(prompt.available)} the model's ${formatCount(budget.contextLength)}-token window leaves next to the answer`;
}

async function ask(context: PipelineContext, input: GenerateFileInput, request: { task: TaskKind; messages: ChatMessage[]; maxTokens: number; promptVersion: string }): Promise<RouteResult> {
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
