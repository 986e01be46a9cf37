import { z } from 'zod';
import type { PlanFile } from '../../src-shared/pipeline/plan.ts';
import type { FileProblemView } from '../../src-shared/pipeline/pipelineTypes.ts';
import { dataBlock } from '../prompts/dataBlock.ts';
import { loadPrompt, renderPrompt } from '../prompts/loadPrompt.ts';
import { chatStructured } from '../gateway/chatStructured.ts';
import { fileAnswerMaxChars, promptTokens } from './answerLimits.ts';
import { contextBudget, countTokens } from '../tokens/countTokens.ts';
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
    const staticFindings = [
      ...(await context.validators.checkConsistency([...input.files.values()], input.plan)),
      ...(await runProjectCheck(context, input.files.values(), input.plan.map((file) => file.path).filter((path) => !input.files.has(path)), input.signal)),
    ];
    const reviewFindings = round === 1 ? await review(context, input) : [];
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
    const messages = fixMessages(context, { file: planned }, source.content, problems, dependencies === '' ? '' : `The files it depends on:\n\n${dependencies}`);
    const window = (await context.contextWindow('fix')) ?? 8192;
    const maxTokens = Math.min(context.limits.maxFileTokens, Math.floor(window / 2));
    // A fix that cannot fit the window is not sent (it would overflow or be refused as "context too small").
    if (promptTokens(messages) > contextBudget(window, maxTokens)) continue;
    const answer = await context.chat({
      task: 'fix',
      messages,
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

async function review(context: PipelineContext, input: ConsistencyInput): Promise<{ path: string; message: string }[]> {
  const paths = input.plan.map((file) => file.path) as [string, ...string[]];
  const schema = z.object({
    issues: z.array(z.object({ path: z.enum(paths), message: z.string().min(1).max(300) })).max(10),
  });
  const template = loadPrompt(context.promptsDir, 'review');
  const budget = contextBudget((await context.contextWindow('review')) ?? 8192, 1024) - countTokens(template.system) - 200;
  const sections: string[] = [];
  let used = 0;
  for (const file of input.plan) {
    const source = input.files.get(file.path);
    if (!source || file.kind === 'doc') continue;
    const imports = source.content
      .split('\n')
      .filter((line) => /^\s*(import|from)\s/.test(line))
      .slice(0, 30)
      .join('\n');
    const section = `### ${file.path}\n${dataBlock(file.path, `${await context.validators.exportedSignatures(source)}\n${imports}`)}`;
    const tokens = countTokens(section);
    if (used + tokens > budget) break;
    sections.push(section);
    used += tokens;
  }
  const { value } = await chatStructured((request) => context.chat(request), {
    task: 'review',
    schema,
    schemaName: 'interface_review',
    maxTokens: 1024,
    // Ten short issues at most: anything near this is a runaway answer.
    maxChars: 100_000,
    temperature: 0,
    signal: input.signal,
    messages: [
      { role: 'system', content: template.system },
      { role: 'user', content: renderPrompt(template.user ?? '', { filesBlock: sections.join('\n\n') }) },
    ],
  });
  return value.issues;
}
