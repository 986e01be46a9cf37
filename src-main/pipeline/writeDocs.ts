import type { SpecDraft } from '../../src-shared/domain/serviceSpec.ts';
import type { Plan } from '../../src-shared/pipeline/plan.ts';
import { dataBlock } from '../prompts/dataBlock.ts';
import { loadPrompt, renderPrompt } from '../prompts/loadPrompt.ts';
import { fileAnswerMaxChars } from './answerLimits.ts';
import { fitPrompt, placeholderName, promptBudgetFor, type FitPromptSection } from './fitPrompt.ts';
import type { PipelineContext, SourceFile } from './PipelineContext.ts';
import { reduceToFileContent } from './reduceToFileContent.ts';

export const documents = [
  { path: 'README.md', goal: 'what the service does, how to install, configure, run and test it, and how it is laid out' },
  { path: 'API.md', goal: 'every HTTP endpoint and public function with its parameters, request and response shapes, and errors' },
] as const;

/** Tokens of one document's answer. */
const docsAnswerTokens = 2048;

/** The paths the docs phase writes (not in the plan; every run has them). */
export const documentPaths: ReadonlySet<string> = new Set(documents.map((document) => document.path));

/**
 * README.md and API.md, written last from the final files (their public surface, so the docs
 * describe what exists). Each is stored as a version with reason `docs` and validated as Markdown.
 */
export async function writeDocs(context: PipelineContext, input: { runId: string; spec: SpecDraft; plan: Plan; files: Map<string, SourceFile>; signal: AbortSignal; skip: ReadonlySet<string> }): Promise<void> {
  const template = loadPrompt(context.promptsDir, 'docs');
  const budget = await promptBudgetFor(context, 'docs');
  // Each file's public surface in plan order, the later ones cut or left out when the window is short.
  const files: FitPromptSection<string>[] = [];
  for (const [index, file] of input.plan.files.entries()) {
    const source = input.files.get(file.path);
    if (!source || file.kind === 'doc') continue;
    const text = await context.validators.exportedSignatures(source);
    files.push({ key: `file${placeholderName(index)}`, text, priority: 10 + index, shrink: 'tail', minTokens: 48, wrap: (fitted) => `### ${file.path} (${file.kind}): ${file.purpose}\n${dataBlock(file.path, fitted)}` });
  }
  for (const document of documents) {
    if (input.skip.has(document.path)) continue;
    input.signal.throwIfAborted();
    context.runs.ensureFile(input.runId, document.path);
    context.runs.setFileStatus(input.runId, document.path, 'generating');
    context.emit({ runId: input.runId, kind: 'file-started', path: document.path });
    const answer = await context.chat({
      task: 'docs',
      promptVersion: template.id,
      maxTokens: docsAnswerTokens,
      maxChars: fileAnswerMaxChars,
      temperature: 0.2,
      signal: input.signal,
      messages: fitPrompt({
        budget,
        answerTokens: docsAnswerTokens,
        system: template.system,
        // One placeholder per file; the values are filled once, so no text from the plan is read as a placeholder.
        template: renderPrompt(template.user ?? '', { document: '{{document}}', goal: '{{goal}}', specBlock: '{{spec}}', install: '{{install}}', test: '{{test}}', filesBlock: files.map((file) => `{{${file.key}}}`).join('\n\n') }),
        values: { document: document.path, goal: document.goal, install: input.plan.install, test: input.plan.test },
        // The spec comes first (what the service is for), then the files in plan order.
        sections: [{ key: 'spec', text: JSON.stringify(input.spec, null, 2), priority: 0, shrink: 'tail', minTokens: 256, wrap: (text) => dataBlock('spec', text) }, ...files],
      }).messages,
      onEvent: (event) => {
        if (event.type === 'text') context.emit({ runId: input.runId, kind: 'file-text', path: document.path, text: event.text });
        else if (event.type === 'restart') context.emit({ runId: input.runId, kind: 'file-restart', path: document.path });
      },
    });
    const reduced = reduceToFileContent(answer.text, { path: document.path, language: 'markdown' }, answer.finishReason);
    const content = reduced.ok ? reduced.content : answer.text;
    const checked = reduced.ok
      ? await context.validators.validateFile({ path: document.path, language: 'markdown', content }, { paths: [...input.files.keys()], read: (path) => input.files.get(path)?.content })
      : { problems: [{ path: document.path, rule: 'output' as const, message: reduced.problem }] };
    const final = checked.problems.length === 0 ? (checked.formatted ?? content) : content;
    context.runs.addVersion(input.runId, document.path, {
      reason: 'docs',
      content: final,
      problems: checked.problems,
      providerId: answer.target.providerId,
      model: answer.target.model,
      requestId: answer.requestId,
      promptVersion: template.id,
      inputTokens: answer.inputTokens,
      outputTokens: answer.outputTokens,
      countsAsAttempt: true,
    });
    input.files.set(document.path, { path: document.path, language: 'markdown', content: final });
    context.runs.setFileStatus(input.runId, document.path, checked.problems.length === 0 ? 'done' : 'failed');
    context.emit({ runId: input.runId, kind: 'file-done', path: document.path, status: checked.problems.length === 0 ? 'done' : 'failed' });
  }
}
