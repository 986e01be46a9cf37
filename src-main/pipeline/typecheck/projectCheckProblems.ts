import type { ConsistencyProblem, SourceFile } from '../PipelineContext.ts';
import { checkProject } from './checkProject.ts';

/** Per checker: a 40-file project takes seconds; minutes mean the checker is stuck. */
const timeoutMs = 120_000;

/** The project check as the pipeline's validator: findings as consistency problems, the rule in the message for the fix prompt. */
export async function projectCheckProblems(files: readonly SourceFile[], options: { pending: readonly string[]; signal: AbortSignal }): Promise<ConsistencyProblem[]> {
  const findings = await checkProject(files, { pending: options.pending, signal: options.signal, timeoutMs });
  return findings.map((finding) => ({ path: finding.path, line: finding.line, message: `${finding.message} [${finding.rule}]` }));
}
