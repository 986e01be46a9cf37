import { PyrightServer } from './PyrightServer.ts';
import { TypeScriptChecker } from './TypeScriptChecker.ts';

export type CheckedLanguage = 'python' | 'typescript';

/** The app's one pyright language server and one TypeScript thread, started on first need. */
export const pyrightServer = new PyrightServer();
export const typeScriptChecker = new TypeScriptChecker();

const pythonPattern = /\.pyi?$/;
const scriptPattern = /\.(ts|tsx|mts|cts|js|jsx|mjs|cjs)$/;

/** The checkers a project's paths need. */
export function languagesOf(paths: Iterable<string>): CheckedLanguage[] {
  const list = [...paths];
  return [...(list.some((path) => pythonPattern.test(path)) ? ['python' as const] : []), ...(list.some((path) => scriptPattern.test(path) && !path.endsWith('.d.ts')) ? ['typescript' as const] : [])];
}

/**
 * A run is about to need its checks: while it is planned the checkers start; when generation
 * starts (`planned`: the plan's paths) pyright readies the run's workspace too (typeshed parsed,
 * the planned files laid out as stubs). Their cold start overlaps the model's work instead of
 * holding up the first check.
 */
export function prepareProjectCheck(runId: string, languages: readonly CheckedLanguage[], planned?: readonly string[]): void {
  if (languages.includes('python')) {
    if (planned === undefined) pyrightServer.start();
    else pyrightServer.prewarm(runId, planned);
  }
  if (languages.includes('typescript')) typeScriptChecker.prewarm();
}

/** Whether a check of these languages for this run would find its checkers warm (no cold start to wait for). */
export function projectCheckWarm(runId: string, languages: readonly CheckedLanguage[]): boolean {
  return (!languages.includes('python') || pyrightServer.warmFor(runId)) && (!languages.includes('typescript') || typeScriptChecker.warm);
}

/** The run is over: its pyright workspace is closed and removed. */
export function releaseProjectCheck(runId: string): void {
  void pyrightServer.closeWorkspace(runId).catch(() => undefined);
}

let holders = 0;

/**
 * A core holds the checkers for its life; when the last holder lets go (app dispose) the pyright
 * server is killed and the TypeScript thread ended, so nothing outlives the app.
 */
export function holdProjectChecker(): () => void {
  holders += 1;
  let released = false;
  return () => {
    if (released) return;
    released = true;
    holders -= 1;
    if (holders === 0) disposeProjectChecker();
  };
}

export function disposeProjectChecker(): void {
  pyrightServer.dispose();
  typeScriptChecker.dispose();
}
