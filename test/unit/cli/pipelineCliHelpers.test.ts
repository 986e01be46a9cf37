import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { describePlan } from '../../../src-main/cli/pipeline/describePlan.ts';
import { checkExportTarget, describeExport, exportPath } from '../../../src-main/cli/pipeline/exportRun.ts';
import { protectedFolders } from '../../../src-main/paths/protectedFolders.ts';
import { parseConcurrency } from '../../../src-main/cli/pipeline/parseConcurrency.ts';
import { projectNameForSpec } from '../../../src-main/cli/pipeline/projectNameForSpec.ts';
import { runStoppedError, unfinishedFileLines } from '../../../src-main/cli/pipeline/runStoppedError.ts';
import { sameSpec } from '../../../src-main/cli/pipeline/sameSpec.ts';
import { parseJsonFile, planFile, readInputFile } from '../../../src-main/cli/readInputFile.ts';
import type { RunFileView, RunView } from '../../../src-shared/pipeline/pipelineTypes.ts';
import { vFirewallSpec } from '../../support/interviewScript.ts';
import { firewallPlan } from '../../support/pipelineProject.ts';
import { useTempDirs } from '../../support/useTempDirs.ts';

describe('parseConcurrency', () => {
  it('takes whole numbers from 1 to 16', () => {
    expect(parseConcurrency('1')).toBe(1);
    expect(parseConcurrency(' 16 ')).toBe(16);
    for (const bad of ['0', '17', '2.5', '-1', 'four', '', '1e1']) expect(() => parseConcurrency(bad), bad).toThrow(`expected a whole number from 1 to 16, got ${JSON.stringify(bad)}`);
  });
});

describe('projectNameForSpec', () => {
  it("uses the spec's name, else the file's name without .service-spec.json", () => {
    expect(projectNameForSpec({ specVersion: 2, name: 'Edge firewall' }, '/x/other.json')).toBe('Edge firewall');
    expect(projectNameForSpec({ specVersion: 2 }, '/x/branch-office.service-spec.json')).toBe('branch-office');
    expect(projectNameForSpec({ specVersion: 2 }, 'spec.JSON')).toBe('spec');
    expect(projectNameForSpec({ specVersion: 2, name: '   ' }, 'edge.json')).toBe('edge');
    expect(projectNameForSpec({ specVersion: 2 }, '.json')).toBeUndefined();
  });
});

describe('sameSpec', () => {
  it('ignores key order and undefined properties, not values', () => {
    const reordered = Object.fromEntries(Object.entries(vFirewallSpec).reverse());
    expect(sameSpec(vFirewallSpec, { ...reordered, name: undefined })).toBe(true);
    expect(sameSpec(vFirewallSpec, { ...vFirewallSpec, features: ['NAT policies'] })).toBe(false);
    expect(sameSpec(vFirewallSpec, undefined)).toBe(false);
  });
});

describe('describePlan', () => {
  it('prints one aligned line per file with what it uses, then install and test', () => {
    const lines = describePlan(firewallPlan);
    expect(lines).toHaveLength(9);
    expect(lines[0]).toBe('  requirements.txt     config  Python dependencies');
    expect(lines[3]).toBe('  app/store.py         source  In-memory rule store  (uses app/models.py)');
    expect(lines.slice(-2)).toEqual(['Install: pip install -r requirements.txt', 'Test: pytest -q']);
    const long = describePlan({ ...firewallPlan, install: '', files: [{ ...firewallPlan.files[0]!, purpose: `a\n${'b'.repeat(200)}` }] });
    expect(long[0]).toMatch(/^ {2}requirements\.txt {2}config {2}a b{97}…$/);
    expect(long.slice(1)).toEqual(['Test: pytest -q']);
  });
});

describe('runStoppedError', () => {
  const file = (path: string, status: RunFileView['status'], extra: Partial<RunFileView> = {}): RunFileView => ({
    path,
    purpose: '',
    language: 'python',
    kind: 'source',
    dependsOn: [],
    status,
    attempts: 1,
    inputTokens: 0,
    outputTokens: 0,
    problems: [],
    ...extra,
  });
  const view = (patch: Partial<RunView>): RunView => ({
    id: 'r1',
    projectId: 'p',
    status: 'failed',
    phase: 'files',
    plan: firewallPlan,
    concurrency: 4,
    files: [],
    progress: { done: 1, total: 9 },
    findings: [],
    createdAt: '',
    updatedAt: '',
    ...patch,
  });

  it('a failed run names its error, the files not written and how to try again', () => {
    const run = view({
      error: 'Some files could not be written: 1 failed (app/models.py), 1 blocked by them. Resume to try them again.',
      files: [
        file('requirements.txt', 'done'),
        file('app/models.py', 'failed', { error: 'Still has 1 problem(s)', problems: [{ path: 'app/models.py', rule: 'syntax', message: 'x' }] }),
        file('app/store.py', 'blocked', { error: 'Not written: it depends on app/models.py, which failed' }),
      ],
    });
    expect(unfinishedFileLines(run)).toEqual(['app/models.py: failed (Still has 1 problem(s))', 'app/store.py: blocked (Not written: it depends on app/models.py, which failed)']);
    const error = runStoppedError(run, 'Edge firewall');
    expect(error.code).toBe('INVALID_OUTPUT');
    expect(error.message).toBe(
      'Run r1 failed (1 of 9 files done): Some files could not be written: 1 failed (app/models.py), 1 blocked by them. ' +
        'Not written: app/models.py: failed (Still has 1 problem(s)); app/store.py: blocked (Not written: it depends on app/models.py, which failed). ' +
        'Run "service-creator generate --project "Edge firewall"" to try again; finished files are kept.',
    );
  });

  it('a run failed by the model call itself is PROVIDER_FAILED; a paused one says how to go on', () => {
    expect(runStoppedError(view({ phase: 'docs', error: 'fake/scripted failed: 500' }), 'E').code).toBe('PROVIDER_FAILED');
    const paused = runStoppedError(view({ status: 'paused' }), 'E');
    expect(paused.code).toBe('CANCELLED');
    expect(paused.message).toBe('Run r1 is paused with 1 of 9 files done. Run "service-creator generate --project "E"" to go on where it stopped.');
  });
});

describe('export target', () => {
  const tempDir = useTempDirs();

  it('adds .zip to a zip path without it, and resolves the path', () => {
    expect(exportPath({ out: 'edge', zip: true })).toBe(resolve('edge.zip'));
    expect(exportPath({ out: 'edge.ZIP', zip: true })).toBe(resolve('edge.ZIP'));
    expect(exportPath({ out: 'edge', zip: false })).toBe(resolve('edge'));
  });

  it('refuses a non-empty folder or an existing zip without --force, and a missing parent', async () => {
    const dir = tempDir();
    const taken = join(dir, 'taken');
    mkdirSync(taken);
    writeFileSync(join(taken, 'a'), 'a');
    writeFileSync(join(dir, 'old.zip'), 'zip');
    mkdirSync(join(dir, 'empty'));
    const choice = { zip: false, force: false, git: false };
    const protect = protectedFolders();
    await expect(checkExportTarget({ ...choice, out: taken }, protect)).rejects.toMatchObject({ code: 'TARGET_NOT_EMPTY', message: `${taken} is not empty; pass --force to replace it` });
    await expect(checkExportTarget({ ...choice, out: taken, force: true }, protect)).resolves.toBeUndefined();
    await expect(checkExportTarget({ ...choice, out: join(dir, 'empty') }, protect)).resolves.toBeUndefined();
    await expect(checkExportTarget({ ...choice, out: join(dir, 'old'), zip: true }, protect)).rejects.toMatchObject({ code: 'TARGET_NOT_EMPTY', message: `${join(dir, 'old.zip')} exists already; pass --force to replace it` });
    await expect(checkExportTarget({ ...choice, out: join(dir, 'no', 'such') }, protect)).rejects.toMatchObject({ code: 'INVALID_INPUT', message: expect.stringContaining('does not exist; create it first') });
    // The data folder is refused before the model is asked, even with --force.
    const dataDir = join(dir, 'data');
    mkdirSync(dataDir);
    writeFileSync(join(dataDir, 'service-creator.db'), 'db');
    const withData = protectedFolders({ dataDir });
    await expect(checkExportTarget({ ...choice, out: dataDir, force: true }, withData)).rejects.toMatchObject({ code: 'PROTECTED_PATH', message: expect.stringContaining("it is the app's data folder") });
    await expect(checkExportTarget({ ...choice, out: join(dataDir, 'edge'), zip: true, force: true }, withData)).rejects.toMatchObject({ code: 'PROTECTED_PATH' });
  });

  it('describes an export', () => {
    expect(describeExport({ path: '/x', files: 10, bytes: 12_345, commit: '0123456789abcdef' })).toBe('Exported to /x (10 files, 12.3 kB; git commit 0123456)');
    expect(describeExport({ path: '/x.zip', files: 1, bytes: 12 })).toBe('Exported to /x.zip (1 files, 12 bytes)');
  });
});

describe('readInputFile', () => {
  const tempDir = useTempDirs();

  it('reads a file, refuses a missing or too large one, and names the file when it is not JSON', () => {
    const dir = tempDir();
    const ok = join(dir, 'plan.json');
    writeFileSync(ok, '{"a": 1}');
    expect(parseJsonFile(readInputFile(ok, planFile), ok)).toEqual({ a: 1 });
    expect(() => readInputFile(join(dir, 'missing.json'), planFile)).toThrow(/^Cannot read the plan file .*missing\.json: ENOENT/);
    expect(() => readInputFile(ok, { what: 'plan file', maxBytes: 4, limit: '4 bytes' })).toThrow(`${ok} is 8 bytes; a plan file is at most 4 bytes`);
    expect(() => parseJsonFile('{', 'p.json')).toThrow(/^p\.json is not JSON: /);
  });
});
