import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createCore } from '../../src-main/core/createCore.ts';
import { formatWithPrettier } from '../../src-main/pipeline/validate/formatWithPrettier.ts';
import type { FileVersionView, RunView } from '../../src-shared/pipeline/pipelineTypes.ts';
import type { RepairView, TestRunView } from '../../src-shared/sandbox/sandboxTypes.ts';
import { coreCaller } from './coreCaller.ts';
import type { DefectKind } from './defectCorpus.ts';
import { startFakeOpenAiServer } from './fakes/fakeOpenAiServer.ts';
import { vFirewallSpec } from './interviewScript.ts';
import { perfectFixer } from './perfectFixer.ts';

export interface CorpusRunOptions {
  /** The sandbox image per language (the Node one is a stand-in built from the Python image offline). */
  images: { python: string; typescript: string };
  /** Repair rounds (the loop stops earlier when green or without progress). */
  rounds?: number;
  /** Per test run: a runaway test is stopped here. */
  timeoutSeconds?: number;
  /**
   * Findings the checks report on the good project too (`path\nmessage`, from its control run):
   * false alarms, so they do not count as catching the defect, even when the fix prompt they
   * cause happens to remove it (the perfect fixer answers the good file to any fix prompt).
   */
  falseFindings?: ReadonlySet<string>;
}

/** What became of one defect kind, from generation through repair. */
export interface DefectOutcome {
  kind: string;
  language: 'python' | 'typescript';
  path: string;
  expected: 'pre-sandbox' | 'sandbox';
  /** The generation run's end ('done', or 'failed' with its error: the sandbox never ran). */
  generation: string;
  /** Findings and file problems before the sandbox that name the defective file (false alarms left out). */
  findings: string[];
  /** Findings the good project gets too, on the defective file. */
  falseAlarms: number;
  /** Every finding and file problem before the sandbox, `path\nmessage` (a control run's are the false alarms). */
  allFindings: string[];
  /** Other files findings or problems named before the sandbox. */
  blamedElsewhere: string[];
  /** A finding (not a false alarm) named the defective file and its fix was applied: the good file when generation ended. */
  caughtPreSandbox: boolean;
  /** The first test run in the sandbox did not pass (undefined: it never ran). */
  caughtBySandbox: boolean | undefined;
  firstOutcome?: string;
  /** The sandbox's message on that run when it was not a plain pass or fail (a runaway, no report). */
  firstMessage?: string;
  /** Repair rounds that asked for fixes (0 when the tests passed at once). */
  repairRounds: number;
  repairNote?: string;
  endedGreen: boolean;
  /** Green although the defective file was never fixed. */
  missed: boolean;
  /** Fix requests for the defective file: during generation, during repair. */
  fixesBefore: number;
  /** Fix requests for the defective file that listed only false alarms (answered with the draft). */
  falseAlarmFixes: number;
  fixesInRepair: number;
  seconds: number;
}

function spec(language: DefectKind['language']) {
  const target = language === 'python' ? { language: 'python', framework: 'fastapi' } : { language: 'typescript', framework: 'express' };
  return { ...vFirewallSpec, name: 'Edge firewall rules', target };
}

/** Whether stored content is the good version (as written, or as the validators formatted it). */
async function isGood(defect: DefectKind, content: string | undefined): Promise<boolean> {
  const good = defect.good[defect.path] ?? '';
  if (content === undefined) return false;
  if (content === good) return true;
  const language = defect.plan.files.find((file) => file.path === defect.path)?.language ?? 'text';
  const formatted = await formatWithPrettier(defect.path, language, good);
  return formatted.formatted !== undefined && formatted.formatted === content;
}

/**
 * One project through the real core (generate → sandbox tests → repair), the model being the
 * loopback fake server with the perfect fixer. `drafts` are the first drafts that differ from the
 * good project (the defect); none for a control run.
 */
export async function runCorpusProject(defect: DefectKind, drafts: Record<string, string>, options: CorpusRunOptions): Promise<DefectOutcome> {
  const started = performance.now();
  const fixer = perfectFixer({ plan: defect.plan, good: defect.good, drafts, ...(options.falseFindings ? { falseAlarms: options.falseFindings } : {}) });
  const server = await startFakeOpenAiServer({ respond: fixer.respond, models: ['scripted'] });
  const dataDir = mkdtempSync(join(tmpdir(), 'sc-defects-'));
  const core = createCore({ dataDir, host: 'cli', env: { ...process.env, FAKE_KEY: 'k' }, routerOptions: { baseDelayMs: 1, maxDelayMs: 5 } });
  try {
    const call = coreCaller(core);
    await call('providers.add', { config: { id: 'fake', type: 'openai', label: 'Fake', location: 'local', baseUrl: server.url, models: ['scripted'], apiKeyEnv: 'FAKE_KEY' } });
    const project = await call<{ id: string }>('projects.create', { name: 'Edge firewall rules' });
    await call('spec.set', { projectId: project.id, spec: spec(defect.language) });
    const planned = await call<RunView>('pipeline.plan', { projectId: project.id });
    await call('pipeline.start', { runId: planned.id });
    const run = await call<RunView>('pipeline.wait', { runId: planned.id });
    const versions = await call<FileVersionView[]>('pipeline.fileVersions', { runId: run.id, path: defect.path });
    const fixesBefore = fixer.count(`fix:${defect.path}`);
    const problems = await Promise.all(
      run.files.map(async (file) => {
        const stored = file.path === defect.path ? versions : await call<FileVersionView[]>('pipeline.fileVersions', { runId: run.id, path: file.path });
        return stored.flatMap((version) => version.problems.map((problem) => `${problem.path}\n${problem.message}`));
      }),
    );
    const allFindings = [...new Set([...run.findings.map((finding) => `${finding.path}\n${finding.message}`), ...problems.flat()])];
    const onPath = allFindings.filter((finding) => finding.startsWith(`${defect.path}\n`));
    const findings = onPath.filter((finding) => options.falseFindings?.has(finding) !== true).map((finding) => finding.slice(defect.path.length + 1));
    const elsewhere = new Set(allFindings.filter((finding) => !finding.startsWith(`${defect.path}\n`)).map((finding) => finding.slice(0, finding.indexOf('\n'))));
    const caughtPreSandbox = drafts[defect.path] !== undefined && findings.length > 0 && (await isGood(defect, versions.at(-1)?.content));
    const base = {
      kind: defect.kind,
      language: defect.language,
      path: defect.path,
      expected: defect.expected,
      generation: run.status === 'done' ? 'done' : `${run.status}: ${run.error ?? ''}`,
      findings,
      falseAlarms: onPath.length - findings.length,
      allFindings,
      blamedElsewhere: [...elsewhere].sort(),
      caughtPreSandbox,
      fixesBefore,
      falseAlarmFixes: fixer.unchanged.filter((path) => path === defect.path).length,
    };
    if (run.status !== 'done') {
      return { ...base, caughtBySandbox: undefined, repairRounds: 0, endedGreen: false, missed: false, fixesInRepair: 0, seconds: (performance.now() - started) / 1000 };
    }
    const image = options.images[defect.language];
    const repairStarted = await call<RepairView>('repair.start', { runId: run.id, rounds: options.rounds ?? 3, image, timeoutSeconds: options.timeoutSeconds ?? 20 });
    const repair = await call<RepairView>('repair.wait', { repairId: repairStarted.id });
    const firstId = repair.rounds[0]?.testRunId;
    const first = firstId === undefined ? undefined : await call<TestRunView>('tests.get', { testRunId: firstId });
    const firstOutcome = first?.result?.outcome ?? first?.status;
    const finalVersions = await call<FileVersionView[]>('pipeline.fileVersions', { runId: run.id, path: defect.path });
    const endedGreen = repair.status === 'green';
    const fixedAtEnd = drafts[defect.path] === undefined || (await isGood(defect, finalVersions.at(-1)?.content));
    return {
      ...base,
      caughtBySandbox: firstOutcome !== 'passed',
      firstOutcome,
      ...(first?.result?.message !== undefined && firstOutcome !== 'passed' && firstOutcome !== 'failed' ? { firstMessage: first.result.message.slice(0, 300) } : {}),
      repairRounds: Math.max(0, repair.rounds.length - 1),
      ...(repair.note !== undefined ? { repairNote: repair.note } : {}),
      endedGreen,
      missed: endedGreen && !fixedAtEnd,
      fixesInRepair: fixer.count(`fix:${defect.path}`) - fixesBefore,
      seconds: (performance.now() - started) / 1000,
    };
  } finally {
    await core.dispose();
    await server.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

/** Runs tasks at most `limit` at a time, results in input order. */
export async function inPool<T, R>(items: readonly T[], limit: number, task: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next;
      next += 1;
      results[index] = await task(items[index] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

/** A good project's own run (no defect) and the kinds built on it. */
export interface CorpusControl {
  outcome: DefectOutcome;
  kinds: string[];
  /** Generated without a fix prompt, no finding, and its tests passed. */
  passed: boolean;
}

/**
 * The whole corpus: first each distinct good project alone (the control; its findings are the
 * checks' false alarms on it), then every kind with its defective draft, `concurrency` at a time.
 */
export async function runDefectCorpus(
  corpus: readonly DefectKind[],
  options: CorpusRunOptions & { concurrency: number; onOutcome?: (outcome: DefectOutcome) => void },
): Promise<{ controls: CorpusControl[]; outcomes: DefectOutcome[] }> {
  const groups = new Map<string, DefectKind[]>();
  for (const kind of corpus) {
    const key = JSON.stringify([kind.plan, kind.good]);
    groups.set(key, [...(groups.get(key) ?? []), kind]);
  }
  const controls = await inPool([...groups.values()], options.concurrency, async (kinds) => {
    const outcome = await runCorpusProject(kinds[0] as DefectKind, {}, options);
    const passed = outcome.generation === 'done' && outcome.firstOutcome === 'passed' && outcome.fixesBefore === 0 && outcome.allFindings.length === 0;
    return { outcome, kinds: kinds.map((kind) => kind.kind), passed };
  });
  const falseFor = new Map(controls.flatMap((control) => control.kinds.map((kind) => [kind, new Set(control.outcome.allFindings)] as const)));
  const outcomes = await inPool(corpus, options.concurrency, async (kind) => {
    const outcome = await runCorpusProject(kind, { [kind.path]: kind.bad }, { ...options, falseFindings: falseFor.get(kind.kind) ?? new Set() });
    options.onOutcome?.(outcome);
    return outcome;
  });
  return { controls, outcomes };
}
