import type { PlanFile } from '../../../src-shared/pipeline/plan.ts';
import type { PipelineContext, SourceFile } from '../PipelineContext.ts';
import { fixFindings, type Finding } from '../runConsistency.ts';
import { languagesOf } from './projectChecker.ts';
import { runProjectCheck } from './runProjectCheck.ts';

export interface LayerCheckInput {
  runId: string;
  plan: readonly PlanFile[];
  /** Every file written so far; fixed files are updated in place. */
  files: Map<string, SourceFile>;
  /** The files of the layer just finished. */
  layer: readonly string[];
  signal: AbortSignal;
}

const manifestPattern = /(^|\/)(requirements[^/]*\.(txt|in)|pyproject\.toml|package\.json)$/;

/**
 * The project check once a layer of the graph is written, before the next layer builds on it:
 * findings on the layer's files (and on a dependency manifest, where an undeclared import is
 * blamed) are stored (round 0: during generation) and each such file gets one fix prompt; then
 * one more check says which were fixed. A clean layer costs one check; a layer finished while
 * its checkers are still cold is not held back (skipped: true): its files are handed to the
 * checkers to analyse in the background instead.
 */
export async function checkLayer(context: PipelineContext, input: LayerCheckInput): Promise<{ findings: number; open: number; skipped?: true }> {
  const layer = new Set(input.layer);
  const pending = () => input.plan.map((file) => file.path).filter((path) => !input.files.has(path));
  // A layer check holds back the next layer: worth it when the checkers are warm (a fraction of
  // a second), not while pyright is still starting. Then the layer goes on unchecked here; the
  // consistency round's check sees these files too (and the next layer's check, its own).
  const languages = languagesOf(input.files.keys());
  if (context.validators.projectCheckWarm?.(input.runId, languages) === false) {
    // Not held back, but handed over: the checkers analyse these files as soon as they are up
    // (the answer is not waited for), so the next check finds them known and costs only what
    // changed since. A failure here is the later check's to report.
    void context.validators.checkProject?.([...input.files.values()], { pending: pending(), signal: input.signal, runId: input.runId }).catch(() => undefined);
    return { findings: 0, open: 0, skipped: true };
  }
  const relevant = async () =>
    (await runProjectCheck(context, input.files.values(), pending(), input.signal, input.runId)).filter((problem) => layer.has(problem.path) || (manifestPattern.test(problem.path) && input.files.has(problem.path)));
  const found = await relevant();
  if (found.length === 0) return { findings: 0, open: 0 };
  const findings: Finding[] = found.map((problem) => ({ source: 'static', path: problem.path, line: problem.line, message: problem.message, id: 0 }));
  for (const finding of findings) finding.id = context.runs.addFinding(input.runId, { round: 0, source: finding.source, path: finding.path, line: finding.line, message: finding.message });
  context.emit({ runId: input.runId, kind: 'consistency', round: 0, findings: findings.length });
  await fixFindings(context, { runId: input.runId, plan: input.plan, files: input.files, signal: input.signal }, findings);
  const still = new Set((await relevant()).map((problem) => `${problem.path}\n${problem.message}`));
  let open = 0;
  for (const finding of findings) {
    const unfixed = still.has(`${finding.path}\n${finding.message}`);
    if (unfixed) open += 1;
    context.runs.setFindingStatus(finding.id, unfixed ? 'unfixed' : 'fixed');
  }
  return { findings: findings.length, open };
}
