import { scrubSecrets } from '../../secrets/scrubSecrets.ts';
import { pythonLayout, preparePyrightRun } from './preparePyrightRun.ts';
import { ProjectCheckFailed } from './ProjectCheckFailed.ts';
import type { ProjectCheckOptions } from './ProjectCheckOptions.ts';
import type { ProjectFinding } from './ProjectFinding.ts';
import { pyrightServer } from './projectChecker.ts';
import { pyrightFindings } from './pyrightFindings.ts';
import { pyrightReport } from './pyrightReport.ts';
import { runBoundedChild } from './runBoundedChild.ts';

const maxReportBytes = 8 * 1024 * 1024;
/** The workspace of checks that name no run (a direct call): they share one, one at a time. */
const sharedWorkspace = 'shared';

/**
 * Type-checks a Python project with pyright (see pyrightConfig: only what breaks at run time)
 * and maps its errors to project files (pyrightFindings). By default through the app's pyright
 * language server, in the run's workspace (`options.workspace`); where the server cannot run
 * (it will not start, or dies twice in a check) through the one-shot CLI on a private copy,
 * which `engine: 'cli'` also asks for.
 */
export async function checkPythonProject(files: readonly { path: string; content: string }[], options: ProjectCheckOptions = {}): Promise<ProjectFinding[]> {
  const pending = options.pending ?? [];
  const timeoutMs = options.timeoutMs ?? 60_000;
  if (options.engine !== 'cli') {
    const { python, stubs } = pythonLayout(files, pending, true);
    try {
      const result = await pyrightServer.check(options.workspace ?? sharedWorkspace, python, stubs, { timeoutMs, ...(options.signal ? { signal: options.signal } : {}) });
      return pyrightFindings(result.diagnostics, { project: result.project, written: result.written, stubs: new Set(stubs.map((stub) => stub.path)) }, files, pending);
    } catch (error) {
      if (!(error instanceof ProjectCheckFailed) || error.reason !== 'crashed') throw error;
      console.warn(`[project check] the pyright server failed, checking with the CLI: ${scrubSecrets(error.message)}`);
    }
  }
  return checkWithCli(files, pending, timeoutMs, options.signal);
}

async function checkWithCli(files: readonly { path: string; content: string }[], pending: readonly string[], timeoutMs: number, signal: AbortSignal | undefined): Promise<ProjectFinding[]> {
  const run = preparePyrightRun(files, pending);
  try {
    const result = await runBoundedChild(run.args, { cwd: run.copy.project, env: run.env, timeoutMs, maxStdoutBytes: maxReportBytes, ...(signal ? { signal } : {}) });
    // 0: no errors, 1: errors; anything else is pyright failing (config, crash).
    if (result.exitCode !== 0 && result.exitCode !== 1) {
      throw new ProjectCheckFailed('crashed', `The type checker (pyright) stopped with exit code ${String(result.exitCode)}: ${result.stderrTail.trim().slice(-500) || result.stdout.slice(0, 500)}`);
    }
    let report;
    try {
      report = pyrightReport.parse(JSON.parse(result.stdout));
    } catch (error) {
      throw new ProjectCheckFailed('unreadable-output', 'The type checker (pyright) wrote something that is not its report.', { cause: error });
    }
    return pyrightFindings(report.generalDiagnostics, { project: run.copy.project, written: run.copy.written, stubs: run.stubs }, files, pending);
  } finally {
    run.copy.dispose();
  }
}
