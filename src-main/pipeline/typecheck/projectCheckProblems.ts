import { scrubKnownSecrets } from '../../secrets/scrubSecrets.ts';
import { createHash } from 'node:crypto';
import type { ConsistencyProblem, SourceFile } from '../PipelineContext.ts';
import { checkProject } from './checkProject.ts';

/** Per checker: a 40-file project takes seconds; minutes mean the checker is stuck. */
const timeoutMs = 120_000;
/** Verdicts kept: a check of exactly the same files and pending list is answered from here. */
const maxRemembered = 16;
const remembered = new Map<string, ConsistencyProblem[]>();

/** What decides a check's verdict: every file's path and content, and the pending paths; kept per run. */
function checkKey(runId: string | undefined, files: readonly SourceFile[], pending: readonly string[]): string {
  const hash = createHash('sha256');
  hash.update(`${runId ?? ''}\u0002`);
  for (const file of [...files].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0))) hash.update(`${file.path}\0${file.content.length}\0${file.content}\0`);
  hash.update(`\u0001${[...pending].sort().join('\0')}`);
  return hash.digest('hex');
}

const maxFindings = 300;
const maxMessageChars = 2000;

function boundText(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max)}… (${text.length - max} characters cut)`;
}

/**
 * The project check as the pipeline's validator: findings as consistency problems, the rule in
 * the message for the fix prompt. The checkers are deterministic, so a check of a run's files
 * that have not changed since an identical check of that run is answered from its verdict
 * instead of being run again. (Kept per run: a verdict is not carried across runs.)
 */
export async function projectCheckProblems(files: readonly SourceFile[], options: { pending: readonly string[]; signal: AbortSignal; runId?: string }): Promise<ConsistencyProblem[]> {
  const key = checkKey(options.runId, files, options.pending);
  const known = remembered.get(key);
  if (known !== undefined) {
    remembered.delete(key);
    remembered.set(key, known);
    return known.map((problem) => ({ ...problem }));
  }
  const findings = await checkProject(files, { pending: options.pending, signal: options.signal, timeoutMs, ...(options.runId === undefined ? {} : { workspace: options.runId }) });
  // The messages quote model-written code: bounded, and never carrying the user's own keys, before
  // they are stored, shown or put into a fix prompt. Past maxFindings a project is broken enough
  // that more of the same helps no fix prompt.
  const problems = findings.slice(0, maxFindings).map((finding) => ({
    path: finding.path,
    line: finding.line,
    message: scrubKnownSecrets(`${boundText(finding.message, maxMessageChars)} [${finding.rule}]`),
  }));
  remembered.set(key, problems);
  for (const oldest of remembered.keys()) {
    if (remembered.size <= maxRemembered) break;
    remembered.delete(oldest);
  }
  return problems.map((problem) => ({ ...problem }));
}
