import { z } from 'zod';
import type { PlanFile } from '../../src-shared/pipeline/plan.ts';
import type { FileProblemView } from '../../src-shared/pipeline/pipelineTypes.ts';
import { dataBlock } from '../prompts/dataBlock.ts';
import { loadPrompt, renderPrompt } from '../prompts/loadPrompt.ts';
import { chatStructured } from '../gateway/chatStructured.ts';
import { fileAnswerMaxChars } from './answerLimits.ts';
import { fitPrompt, placeholderName, promptBudgetFor, type FitPromptSection } from './fitPrompt.ts';
import { fixMessages } from './generateFile.ts';
import type { PipelineContext, SourceFile } from './PipelineContext.ts';
import { reduceToFileContent } from './reduceToFileContent.ts';
import { runProjectCheck } from './typecheck/runProjectCheck.ts';

export interface Finding {
  id: number;
  source: 'static' | 'review';
  path: string;
  line?: number;
  message: string;
}

export interface ConsistencyInput {
  runId: string;
  plan: readonly PlanFile[];
  files: Map<string, SourceFile>;
  signal: AbortSignal;
}

/**
 * Cross-file checks in bounded rounds: the static import/symbol graph every round, plus one model
 * review of the interfaces between files (task `review`) in the first. Each finding is stored;
 * the files they name get a fix prompt with the findings; a fix is kept only when the file still
 * validates. Findings that disappear are marked fixed, the rest unfixed. `files` is updated in place.
 */
export async function runConsistency(context: PipelineContext, input: ConsistencyInput): Promise<{ rounds: number; open: number }> {
  let previous: Finding[] = [];
  let rounds = 0;
  for (let round = 1; round <= context.limits.maxConsistencyRounds + 1; round += 1) {
    input.signal.throwIfAborted();
    const pending = input.plan.map((file) => file.path).filter((path) => !input.files.has(path));
    // The static checks and the model's review read the same files and neither needs the other's
    // answer: the review's model call runs while the type checker works (or finishes starting).
    const [found, reviewFindings] = await Promise.all([
      (async () => [...(await context.validators.checkConsistency([...input.files.values()], input.plan)), ...(await runProjectCheck(context, input.files.values(), pending, input.signal, input.runId))])(),
      round === 1 ? review(context, input) : Promise.resolve([]),
    ]);
    // The graph and the project check both report an undeclared Python package, in the same words: once.
    const staticFindings = [...new Map(found.map((finding) => [`${finding.path}\n${finding.line}\n${finding.message}`, finding])).values()];
    const current: Finding[] = [
      ...staticFindings.map((finding) => ({ source: 'static' as const, path: finding.path, line: finding.line, message: finding.message })),
      ...reviewFindings.map((finding) => ({ source: 'review' as const, path: finding.path, message: finding.message })),
    ].map((finding) => ({ ...finding, id: 0 }));
    const still = new Set(current.map((finding) => `${finding.path}\n${finding.message}`));
    for (const old of previous) context.runs.setFindingStatus(old.id, still.has(`${old.path}\n${old.message}`) ? 'unfixed' : 'fixed');
    const finalCheck = round > context.limits.maxConsistencyRounds;
    for (const finding of current) {
      if (finalCheck && finding.source === 'static') {
        // The last check only records what is left.
        const id = context.runs.addFinding(input.runId, { round, ...finding });
        context.runs.setFindingStatus(id, 'unfixed');
      } else if (!finalCheck) {
        finding.id = context.runs.addFinding(input.runId, { round, ...finding });
      }
    }
    context.emit({ runId: input.runId, kind: 'consistency', round, findings: current.length });
    if (current.length === 0 || finalCheck) return { rounds, open: finalCheck ? current.length : 0 };
    rounds = round;
    await fixFindings(context, input, current);
    previous = current;
  }
  return { rounds, open: 0 };
}

export async function fixFindings(context: PipelineContext, input: ConsistencyInput, findings: Finding[]): Promise<void> {
  for (const planned of input.plan) {
    const mine = findings.filter((finding) => finding.path === planned.path);
    const source = input.files.get(planned.path);
    if (mine.length === 0 || !source) continue;
    const problems: FileProblemView[] = mine.map((finding) => ({ path: finding.path, rule: 'interface', ...(finding.line !== undefined ? { line: finding.line } : {}), message: finding.message }));
    const dependencies = planned.dependsOn
      .map((path) => input.plan.find((file) => file.path === path))
      .filter((file): file is PlanFile => file !== undefined)
      .map((file) => `### ${file.path}\nInterface:\n${file.exports.map((entry) => `- ${entry}`).join('\n') || '(none)'}`)
      .join('\n\n');
    const budget = await promptBudgetFor(context, 'fix');
    const maxTokens = Math.min(context.limits.maxFileTokens, Math.floor(budget.contextLength / 2));
    const prompt = fixMessages(context, { file: planned }, source.content, problems, dependencies === '' ? '' : `The files it depends on:\n\n${dependencies}`, budget, maxTokens);
    // Without the whole file a fix cannot be asked for (it would overflow the window): the finding stays open.
    if (prompt.fit.dropped.includes('contentBlock')) continue;
    // The fix-file template made it: named so with the call and the version (else the file kept the id of the template that made it before).
    const promptVersion = loadPrompt(context.promptsDir, 'fix-file').id;
    const answer = await context.chat({
      task: 'fix',
      promptVersion,
      messages: prompt.messages,
      maxTokens,
      maxChars: fileAnswerMaxChars,
      temperature: 0.2,
      signal: input.signal,
    });
    const reduced = reduceToFileContent(answer.text, planned, answer.finishReason);
    if (!reduced.ok) continue;
    const checked = await context.validators.validateFile(
      { ...source, content: reduced.content, exports: planned.exports },
      { paths: input.plan.map((file) => file.path), read: (path) => (path === planned.path ? reduced.content : input.files.get(path)?.content) },
    );
    const reason = mine.some((finding) => finding.source === 'static') ? 'consistency' : 'review';
    context.runs.addVersion(input.runId, planned.path, {
      reason,
      content: reduced.content,
      problems: checked.problems,
      providerId: answer.target.providerId,
      model: answer.target.model,
      requestId: answer.requestId,
      promptVersion,
      inputTokens: answer.inputTokens,
      outputTokens: answer.outputTokens,
      countsAsAttempt: true,
    });
    if (checked.problems.length === 0) {
      const content = checked.formatted ?? reduced.content;
      input.files.set(planned.path, { ...source, content });
      if (content !== reduced.content) context.runs.addVersion(input.runId, planned.path, { reason: 'format', content, problems: [], countsAsAttempt: false });
    } else {
      // The fix broke the file: keep the earlier, valid content as current.
      context.runs.addVersion(input.runId, planned.path, { reason, content: source.content, problems: [], countsAsAttempt: false });
    }
  }
}

/** Ten short issues fit in far less; the rest of the window goes to the files. */
const reviewAnswerTokens = 1024;

async function review(context: PipelineContext, input: ConsistencyInput): Promise<{ path: string; message: string }[]> {
  const paths = input.plan.map((file) => file.path) as [string, ...string[]];
  const schema = z.object({
    issues: z.array(z.object({ path: z.enum(paths), message: z.string().min(1).max(300) })).max(10),
  });
  const template = loadPrompt(context.promptsDir, 'review');
  const budget = await promptBudgetFor(context, 'review');
  // Every file's public surface and imports, in plan order: the last ones are cut or left out when the window is short.
  const sections: FitPromptSection<string>[] = [];
  for (const [index, file] of input.plan.entries()) {
    const source = input.files.get(file.path);
    if (!source || file.kind === 'doc') continue;
    const imports = source.content
      .split('\n')
      .filter((line) => /^\s*(import|from)\s/.test(line))
      .slice(0, 30)
      .join('\n');
    const text = `${await context.validators.exportedSignatures(source)}\n${imports}`;
    sections.push({ key: `file${placeholderName(index)}`, text, priority: index, shrink: 'tail', minTokens: 48, wrap: (fitted) => `### ${file.path}\n${dataBlock(file.path, fitted)}` });
  }
  const placeholders = sections.map((section) => `{{${section.key}}}`).join('\n\n');
  const { messages } = fitPrompt({
    budget,
    answerTokens: reviewAnswerTokens,
    system: template.system,
    template: renderPrompt(template.user ?? '', { filesBlock: placeholders }),
    sections,
  });
  const { value } = await chatStructured((request) => context.chat(request), {
    task: 'review',
    schema,
    schemaName: 'interface_review',
    // Named by its content, as every call made from a template is (the cache keeps it with the answer).
    promptVersion: template.id,
    maxTokens: reviewAnswerTokens,
    // Ten short issues at most: anything near this is a runaway answer.
    maxChars: 100_000,
    temperature: 0,
    signal: input.signal,
    messages,
  });
  return value.issues;
}
