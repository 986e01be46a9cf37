import type { PlanFile } from '../../../src-shared/pipeline/plan.ts';
import type { RunawayTest, SandboxResult } from '../../../src-shared/sandbox/sandboxTypes.ts';
import { comparisons, errorLines, missingModules, projectFrames, raisedIn, type Frame } from './failureEvidence.ts';
import { failingCases, findInvolvedFiles, testFileOf } from './findInvolvedFiles.ts';
import { missingPackageTarget, pickManifest } from './missingPackageTarget.ts';
import { promisedStatuses, routesCalled } from './promisedStatuses.ts';
import { assertedValues, blameAssertedValues, reachableFrom, widenedCandidates } from './assertedValues.ts';

/** A diagnostic of a type checker on a project file (pyright, tsc), when the caller has them. */
export interface RepairDiagnostic {
  path: string;
  line?: number;
  message: string;
}

export interface RepairEvidence extends Pick<SandboxResult, 'cases' | 'failedStep'> {
  log: string;
  runaway?: RunawayTest;
  diagnostics?: readonly RepairDiagnostic[];
}

export interface RepairTarget {
  file: PlanFile;
  /** Sum of the evidence weights: the order of the round. */
  score: number;
  /** The evidence, in words, strongest first. */
  why: string[];
  /** For a manifest: the package to add. */
  addPackage?: string;
}

/** The most files one round asks fixes for. */
export const defaultRepairTargets = 3;

/** Weights of each kind of evidence: a missing package outranks everything, a fallback guess nothing. */
const weight = { manifest: 100, runawayFrame: 50, contradiction: 60, promised: 50, innermost: 45, testRaised: 40, diagnostic: 35, frame: 25, named: 25, runawayTest: 15, fallback: 5, promisedValue: 50, definesValue: 45, namedField: 20, widened: 8 } as const;

/**
 * The files a repair round should change, ranked by evidence from the failures:
 * - a third-party module that cannot be imported → the dependency manifest, with the package to add;
 * - the traceback's project frames, innermost first (a test's own frame only when the error is not
 *   an assertion: a failed assertion blames the code under test);
 * - an equality assertion on a status code that contradicts the plan's promised status → the test
 *   (it expects what the plan does not promise) or the file promising the route (it answers wrong);
 * - a type or value the error names, defined in a file the failing test reaches through the plan's
 *   dependencies, however indirectly (`1 validation error for Rule` → the file defining Rule);
 * - a value assertion (`assert body["action"] == "deny"` failing with `'allow' == 'deny'`) → the file
 *   among those the test reaches whose planned interface promises that field with the expected value,
 *   or that gives the field the value the test got; the test, when the plan promises what it got;
 * - type checker diagnostics, when given; the test a time or memory limit caught running, and its stack;
 * - otherwise the files the failure names or the failing tests test (findInvolvedFiles).
 * Files in `asked` (asked in earlier rounds that changed nothing) are left out; in their place come
 * the sources the failing tests reach through the plan's dependencies, nearest first, so a round
 * after a fruitless one asks other files instead of the same ones again.
 * At most `limit` files, each with the reasons in words.
 */
export function pickRepairTargets(
  evidence: RepairEvidence,
  plan: readonly PlanFile[],
  read: (path: string) => string | undefined,
  limit = defaultRepairTargets,
  asked: ReadonlySet<string> = new Set(),
): RepairTarget[] {
  const byPath = new Map(plan.map((file) => [file.path, file]));
  const paths = new Set(byPath.keys());
  const picked = new Map<string, { score: number; why: { weight: number; text: string }[]; addPackage?: string }>();
  const add = (path: string, score: number, why: string, addPackage?: string) => {
    const file = byPath.get(path);
    if (!file || file.kind === 'doc' || asked.has(path)) return;
    const entry = picked.get(path) ?? { score: 0, why: [] };
    if (entry.why.some((item) => item.text === why)) return;
    entry.score += score;
    entry.why.push({ weight: score, text: why });
    if (addPackage) entry.addPackage = addPackage;
    picked.set(path, entry);
  };
  // The install step failed: the tests never ran, and what it installs is the manifest.
  if (evidence.failedStep === 'install') {
    const manifest = pickManifest(plan, 'python') ?? pickManifest(plan, 'node');
    const said = evidence.log.split('\n').filter((line) => /\bERROR\b|ERR!|error:/i.test(line)).at(-1)?.trim().slice(0, 300);
    if (manifest) add(manifest.path, weight.manifest, `the install step failed${said ? `: ${said}` : ''}`);
    return ranked(picked, plan, byPath, limit);
  }
  const promised = promisedStatuses(plan);
  const failing = failingCases(evidence);
  const texts: { test: string | undefined; text: string; runaway?: RunawayTest }[] =
    failing.length > 0 ? failing.map((testCase) => ({ test: testFileOf(testCase, paths), text: `${testCase.message ?? ''}\n${testCase.details ?? ''}` })) : evidence.runaway ? [] : [{ test: undefined, text: evidence.log }];
  if (evidence.runaway) texts.push({ test: evidence.runaway.file && paths.has(evidence.runaway.file) ? evidence.runaway.file : undefined, text: evidence.runaway.stacks ?? '', runaway: evidence.runaway });

  for (const { test, text, runaway } of texts) {
    const stated = errorLines(text);
    const manifests = missingModules(text).flatMap((missing) => missingPackageTarget(missing, plan, read) ?? []);
    for (const fix of manifests) add(fix.manifest.path, weight.manifest, fix.why, fix.add);
    // The importing file is not at fault for an undeclared package: its frames are not evidence.
    const frames = manifests.length > 0 ? [] : projectFrames(text, paths);
    if (runaway) {
      if (test) add(test, weight.runawayTest, `the test ${runaway.name} was still running when a limit stopped the run`);
      // The loop is in the code under test when the stack reaches any: a test frame (the test, or a
      // callback of it the loop calls) is then only where the call came from, counted above.
      const sources = frames.filter((frame) => byPath.get(frame.path)?.kind !== 'test');
      (sources.length > 0 ? sources : frames.slice(0, 1)).forEach((frame, index) =>
        add(frame.path, index === 0 ? weight.runawayFrame : weight.frame, `${index === 0 ? 'innermost project frame' : 'a frame'} of the stack of ${runaway.name} when the run was stopped (${where(frame)})`),
      );
    } else {
      blameFrames(frames, ownError.test(stated) && raisedIn(text, paths) !== undefined, byPath, add);
    }
    if (test) blameContradictions(test, text, stated, read, promised, add);
    const starts = [...new Set([...(test ? [test] : []), ...frames.map((frame) => frame.path)])];
    blameNamedDefinitions(starts, stated, plan, read, add);
    if (!runaway) {
      const weights = { promised: weight.promisedValue, defines: weight.definesValue, contradiction: weight.contradiction, named: weight.namedField };
      blameAssertedValues(assertedValues(text, stated, test, read, paths), test, starts, plan, read, weights, add);
    }
    if (asked.size > 0) widenedCandidates(starts, plan, weight.widened, add);
  }
  for (const diagnostic of evidence.diagnostics ?? []) add(diagnostic.path, weight.diagnostic, `type checker: ${diagnostic.path}${diagnostic.line ? `:${diagnostic.line}` : ''}: ${diagnostic.message.slice(0, 300)}`);

  // Nothing more specific: the files the failure names, or the sources the failing tests test.
  if (![...picked.keys()].some((path) => byPath.get(path)?.kind !== 'test' || picked.get(path)!.score >= weight.testRaised)) {
    const text = failing.map((testCase) => `${testCase.message ?? ''}\n${testCase.details ?? ''}`).join('\n') || evidence.log;
    for (const file of findInvolvedFiles({ cases: evidence.cases, log: evidence.log }, plan, limit)) {
      add(file.path, weight.fallback, text.includes(file.path) ? 'named in the failure output' : 'the failing tests depend on it and the failure names nothing more specific');
    }
  }
  return ranked(picked, plan, byPath, limit);
}

function ranked(picked: ReadonlyMap<string, { score: number; why: { weight: number; text: string }[]; addPackage?: string }>, plan: readonly PlanFile[], byPath: ReadonlyMap<string, PlanFile>, limit: number): RepairTarget[] {
  return [...picked.entries()]
    .map(([path, entry]) => ({ path, entry, order: plan.findIndex((file) => file.path === path) }))
    .sort((a, b) => b.entry.score - a.entry.score || a.order - b.order)
    .slice(0, limit)
    .map(({ path, entry }) => ({
      file: byPath.get(path)!,
      score: entry.score,
      why: [...entry.why].sort((a, b) => b.weight - a.weight).map((item) => item.text),
      ...(entry.addPackage ? { addPackage: entry.addPackage } : {}),
    }));
}

function where(frame: Frame): string {
  return `${frame.path}${frame.line ? `:${frame.line}` : ''}${frame.fn ? `, in ${frame.fn}` : ''}`;
}

type Add = (path: string, score: number, why: string) => void;

/**
 * Errors that are about the code that raised them (a name, the syntax, an import, a fixture);
 * an IndexError or a failed assertion in a test is about the data the code under test gave it.
 */
const ownError = /\b(NameError|SyntaxError|IndentationError|UnboundLocalError|ImportError|ReferenceError)\b|fixture '[^']{1,200}' not found/;

/**
 * Innermost source frame first; a test's own frame only when the test's own code is at fault (see
 * `ownError`) and raised it itself, not inside a library it called.
 */
function blameFrames(frames: readonly Frame[], raisedByProject: boolean, byPath: ReadonlyMap<string, PlanFile>, add: Add): void {
  let rank = 0;
  frames.forEach((frame, index) => {
    if (byPath.get(frame.path)?.kind === 'test') {
      if (index === 0 && raisedByProject) add(frame.path, weight.testRaised, `the error is raised in the test itself (${where(frame)})`);
      return;
    }
    add(frame.path, rank === 0 ? weight.innermost : Math.max(10, weight.frame - 5 * (rank - 1)), `${rank === 0 ? 'innermost project frame' : 'a frame'} of the traceback (${where(frame)})`);
    rank += 1;
  });
}

/** A status code assertion against what the plan promises for the routes the test calls. */
function blameContradictions(test: string, text: string, stated: string, read: (path: string) => string | undefined, promised: ReturnType<typeof promisedStatuses>, add: Add): void {
  const content = read(test) ?? '';
  const called = routesCalled(assertedResponse(text, content) ?? content, promised);
  if (called.length === 0) return;
  for (const { actual, expected } of comparisons(stated)) {
    const [got, want] = [Number(actual), Number(expected)];
    if (!(got >= 100 && got < 600 && want >= 100 && want < 600)) continue;
    const matchingGot = called.filter((route) => route.status === got);
    const matchingWant = called.filter((route) => route.status === want);
    if (matchingWant.length === 0 && matchingGot.length > 0) {
      add(test, weight.contradiction, `the test expects status ${want}, but the plan promises ${matchingGot.map((route) => route.entry).join(', ')} and the service answered ${got}`);
    } else if (matchingWant.length > 0 && matchingGot.length === 0) {
      for (const route of matchingWant) add(route.file, weight.promised, `the plan promises ${route.entry} here; the service answered ${got}`);
    }
  }
}

/**
 * The request whose response the failed assertion checks: pytest echoes the line
 * (`>       assert created.status_code == 200`), and the test assigns `created = client.post(...)`.
 */
function assertedResponse(text: string, content: string): string | undefined {
  const variable = /^>\s+assert\s+([A-Za-z_]\w*)\.status(?:_code)?\s*==/m.exec(text)?.[1];
  if (!variable) return undefined;
  return new RegExp(`\\b${variable}\\s*=\\s*(?:await\\s+)?[\\w.]*\\.(?:get|post|put|patch|delete)\\([^\\n]*`, 'i').exec(content)?.[0];
}

/** Names the error states that a file reachable from the failing test (or its frames) defines. */
function blameNamedDefinitions(starts: readonly string[], stated: string, plan: readonly PlanFile[], read: (path: string) => string | undefined, add: Add): void {
  if (starts.length === 0 || stated.trim() === '') return;
  const byPath = new Map(plan.map((file) => [file.path, file]));
  for (const [path, { from }] of reachableFrom(starts, plan)) {
    const file = byPath.get(path);
    if (!file || file.kind !== 'source') continue;
    for (const name of definedNames(file, read(path) ?? '')) {
      if (new RegExp(`(^|[^\\w$])${name.replaceAll('$', '\\$')}(?![\\w$])`).test(stated)) add(path, weight.named, `"${name}", named in the error, is defined here (reached from ${from} through the plan's dependencies)`);
    }
  }
}

/** Types and values a file defines: its planned interface and its top-level definitions. Short lower-case names are too common to be evidence. */
export function definedNames(file: PlanFile, content: string): string[] {
  const names = new Set<string>();
  for (const entry of file.exports) {
    const match = /^(?:(?:export|default|async|abstract|class|def|function|interface|type|const|let|enum)\s+)*([A-Za-z_$][\w$]*)/.exec(entry.trim());
    if (match && !/^(GET|POST|PUT|PATCH|DELETE)$/.test(match[1]!)) names.add(match[1]!);
  }
  for (const match of content.matchAll(/^(?:async\s+)?(?:class|def)\s+([A-Za-z_]\w*)|^([A-Za-z_]\w*)\s*(?::[^=\n]*)?=(?!=)/gm)) names.add((match[1] ?? match[2])!);
  for (const match of content.matchAll(/^export\s+(?:default\s+)?(?:abstract\s+)?(?:async\s+)?(?:class|interface|type|function\*?|const|let|var|enum)\s+([A-Za-z_$][\w$]*)/gm)) names.add(match[1]!);
  return [...names].filter((name) => /^[A-Z]/.test(name) ? name.length >= 3 : name.length >= 5 || name.includes('_'));
}
