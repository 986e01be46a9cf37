import { chmodSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkProject } from '../../src-main/pipeline/typecheck/checkProject.ts';
import { ProjectCheckFailed } from '../../src-main/pipeline/typecheck/ProjectCheckFailed.ts';
import type { ProjectFinding } from '../../src-main/pipeline/typecheck/ProjectFinding.ts';

/** A small FastAPI service with one typical model mistake per file (real pyright checks it). */
const brokenService = [
  { path: 'requirements.txt', content: 'fastapi>=0.110\nuvicorn[standard]\npydantic>=2\n' },
  { path: 'app/__init__.py', content: '' },
  {
    path: 'app/models.py',
    content: 'from pydantic import BaseModel\n\n\nclass Rule(BaseModel):\n    id: int\n    name: str\n',
  },
  {
    path: 'app/store.py',
    content:
      'from app.models import Rule\n\n_rules: dict[int, Rule] = {}\n\n\nclass RuleStore:\n    def add(self, rule: Rule) -> Rule:\n        _rules[rule.id] = rule\n        return rule\n\n    def get(self, rule_id: int) -> Rule | None:\n        return _rules.get(rule_id)\n\n\ndef make_rule(rule_id: int, name: str) -> Rule:\n    return Rule(id=rule_id, name=name)\n',
  },
  {
    // HTTPException used, never imported; a method RuleStore does not have; a wrong argument count.
    path: 'app/api.py',
    content:
      'from fastapi import APIRouter\n\nfrom app.store import RuleStore, make_rule\n\nrouter = APIRouter()\nstore = RuleStore()\n\n\n@router.get("/rules/{rule_id}")\ndef read_rule(rule_id: int):\n    rule = store.get(rule_id)\n    if rule is None:\n        raise HTTPException(status_code=404, detail="not found")\n    return rule\n\n\n@router.delete("/rules/{rule_id}")\ndef delete_rule(rule_id: int):\n    store.remove(rule_id)\n\n\n@router.post("/rules")\ndef create_rule(name: str):\n    return store.add(make_rule(name))\n',
  },
  // A circular import: audit imports events, events imports audit.
  { path: 'app/audit.py', content: 'from app import events\n\n\ndef record(message: str) -> None:\n    events.publish(message)\n' },
  { path: 'app/events.py', content: 'from app import audit\n\n\ndef publish(message: str) -> None:\n    print(message)\n\n\ndef replay() -> None:\n    audit.record("replay")\n' },
  // requests is not declared in requirements.txt.
  { path: 'app/notify.py', content: 'import requests\n\n\ndef notify(url: str) -> int:\n    return requests.post(url, timeout=5).status_code\n' },
  {
    path: 'app/main.py',
    content: 'from fastapi import FastAPI\n\nfrom app.api import router\n\napp = FastAPI()\napp.include_router(router)\n',
  },
];

/** The same service, correct: declared packages (fastapi, pydantic) are not installed here and that is fine. */
const cleanService = brokenService
  .filter((file) => !['app/audit.py', 'app/events.py', 'app/notify.py', 'app/api.py'].includes(file.path))
  .concat([
    {
      path: 'app/api.py',
      content:
        'from fastapi import APIRouter, HTTPException\n\nfrom app.store import RuleStore, make_rule\n\nrouter = APIRouter()\nstore = RuleStore()\n\n\n@router.get("/rules/{rule_id}")\ndef read_rule(rule_id: int):\n    rule = store.get(rule_id)\n    if rule is None:\n        raise HTTPException(status_code=404, detail="not found")\n    return rule\n\n\n@router.post("/rules")\ndef create_rule(name: str):\n    return store.add(make_rule(1, name))\n',
    },
    { path: 'tests/test_api.py', content: 'from fastapi.testclient import TestClient\n\nfrom app.main import app\n\n\ndef test_missing():\n    assert TestClient(app).get("/rules/1").status_code == 404\n' },
  ]);

const at = (findings: ProjectFinding[], path: string) => findings.filter((finding) => finding.path === path);
const checkDirs = () => readdirSync(tmpdir()).filter((name) => name.startsWith('sc-project-check-'));

describe('project check with real pyright', () => {
  let findings: ProjectFinding[];
  beforeAll(async () => {
    findings = await checkProject(brokenService);
  });

  it('reports an undefined name, a missing method and a wrong argument count with pyright\'s own words and rules', () => {
    const api = at(findings, 'app/api.py');
    expect(api).toContainEqual({ path: 'app/api.py', line: 13, rule: 'reportUndefinedVariable', message: '"HTTPException" is not defined' });
    expect(api.find((finding) => finding.rule === 'reportAttributeAccessIssue')).toMatchObject({ line: 19, message: expect.stringContaining('"remove"') });
    expect(api.find((finding) => finding.rule === 'reportCallIssue')).toMatchObject({ line: 24 });
    expect(api).toHaveLength(3);
  });

  it('reports the import cycle with project paths, not the temp copy', () => {
    const cycle = findings.find((finding) => finding.rule === 'reportImportCycles');
    expect(cycle?.message).toContain('app/audit.py');
    expect(cycle?.message).toContain('app/events.py');
    expect(cycle?.message).not.toContain(tmpdir());
  });

  it('blames requirements.txt for the undeclared package, and nothing for the declared ones that are not installed', () => {
    expect(at(findings, 'requirements.txt')).toEqual([
      expect.objectContaining({ rule: 'reportMissingModuleSource', message: expect.stringMatching(/^app\/notify\.py line 1 imports `requests`.*requirements\.txt does not declare/) }),
    ]);
    expect(at(findings, 'app/notify.py')).toEqual([]);
    expect(findings.filter((finding) => /fastapi|pydantic/.test(finding.message))).toEqual([]);
    expect(at(findings, 'app/main.py')).toEqual([]);
  });

  it('finds nothing in the correct service and leaves no temp folder behind', async () => {
    const before = checkDirs().length;
    expect(await checkProject(cleanService)).toEqual([]);
    expect(checkDirs().length).toBe(before);
  });

  it('treats imports of planned files not written yet as fine in a layer check', async () => {
    const layerZero = cleanService.filter((file) => file.path !== 'app/store.py' && file.path !== 'app/api.py' && file.path !== 'app/main.py' && !file.path.startsWith('tests/'));
    const withImport = [...layerZero, { path: 'app/service.py', content: 'from app.store import RuleStore, make_rule\n\n\ndef first() -> object:\n    return RuleStore().get(1) or make_rule(1, "a")\n' }];
    expect(await checkProject(withImport, { pending: ['app/store.py'] })).toEqual([]);
    expect((await checkProject(withImport)).map((finding) => finding.rule)).toContain('reportMissingImports');
  });
});

describe('the pyright check is hermetic', () => {
  let fakeHost: string;
  let savedPath: string | undefined;
  let savedPythonPath: string | undefined;
  beforeAll(() => {
    // A host "python3" whose site-packages has requests and fastapi: the check must not see them.
    fakeHost = mkdtempSync(join(tmpdir(), 'sc-fake-python-'));
    const site = join(fakeHost, 'site-packages');
    for (const name of ['requests', 'fastapi']) {
      mkdirSync(join(site, name), { recursive: true });
      writeFileSync(join(site, name, '__init__.py'), 'def post(*args, **kwargs): ...\nclass FastAPI: ...\n');
    }
    const script = `#!/bin/sh\necho '${JSON.stringify([site])}'\n`;
    for (const name of ['python', 'python3']) {
      writeFileSync(join(fakeHost, name), script);
      chmodSync(join(fakeHost, name), 0o755);
    }
    savedPath = process.env['PATH'];
    savedPythonPath = process.env['PYTHONPATH'];
    process.env['PATH'] = `${fakeHost}:${savedPath ?? ''}`;
    process.env['PYTHONPATH'] = site;
  });
  afterAll(() => {
    process.env['PATH'] = savedPath;
    if (savedPythonPath === undefined) delete process.env['PYTHONPATH'];
    else process.env['PYTHONPATH'] = savedPythonPath;
    rmSync(fakeHost, { recursive: true, force: true });
  });

  it('gives the same findings whatever python the host has', async () => {
    const project = [
      { path: 'requirements.txt', content: 'fastapi\n' },
      { path: 'main.py', content: 'import requests\nfrom fastapi import FastAPI\n\napp = FastAPI()\nrequests.post("http://x")\n' },
    ];
    const findings = await checkProject(project);
    expect(findings).toEqual([expect.objectContaining({ path: 'requirements.txt', message: expect.stringContaining('`requests`') })]);
  });
});

describe('project check with the real TypeScript compiler', () => {
  it('reports a wrong-arity call across files, a missing export, and an undeclared package on package.json', async () => {
    const findings = await checkProject([
      { path: 'package.json', content: JSON.stringify({ name: 'svc', type: 'module', dependencies: { express: '^5.0.0' } }) },
      { path: 'src/rules.ts', content: 'export interface Rule { id: number; name: string }\n\nexport function makeRule(id: number, name: string): Rule {\n  return { id, name };\n}\n' },
      {
        path: 'src/server.ts',
        content:
          "import express from 'express';\nimport { makeRule, deleteRule } from './rules.js';\nimport { v4 } from 'uuid';\n\nconst app = express();\napp.post('/rules', (_req: unknown, res: { json(body: unknown): void }) => res.json(makeRule('a')));\nexport default app;\nconsole.log(deleteRule, v4);\n",
      },
    ]);
    expect(findings).toEqual([
      { path: 'package.json', line: 1, rule: 'TS2307', message: expect.stringMatching(/^src\/server\.ts line 3 imports `uuid`/) },
      { path: 'src/server.ts', line: 2, rule: 'TS2305', message: 'Module \'"./rules.js"\' has no exported member \'deleteRule\'.' },
      { path: 'src/server.ts', line: 6, rule: 'TS2554', message: 'Expected 2 arguments, but got 1.' },
    ]);
  });

  it('checks JavaScript for what fails at run time only', async () => {
    const findings = await checkProject([
      { path: 'package.json', content: '{"name":"svc","type":"module"}' },
      { path: 'lib.js', content: 'export function total(items) {\n  return items.length;\n}\n' },
      { path: 'index.js', content: "import { total } from './lib.js';\nimport { readFileSync } from 'node:fs';\nlet count = 1;\ncount = 'many';\nconsole.log(total([], 2), readFileSync, count, missingName);\n" },
    ]);
    expect(findings.map((finding) => [finding.path, finding.line, finding.rule])).toEqual([
      ['index.js', 5, 'TS2554'],
      ['index.js', 5, 'TS2304'],
    ]);
  });
});

describe('project check limits', () => {
  it('stops pyright on abort and removes its copy', async () => {
    const before = checkDirs().length;
    const controller = new AbortController();
    setTimeout(() => controller.abort(new DOMException('stop', 'AbortError')), 200);
    await expect(checkProject(brokenService, { signal: controller.signal })).rejects.toMatchObject({ name: 'AbortError' });
    expect(checkDirs().length).toBe(before);
  });

  it('stops pyright past its time limit with a typed failure', async () => {
    const failure = await checkProject(brokenService, { timeoutMs: 100 }).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(ProjectCheckFailed);
    expect((failure as ProjectCheckFailed).reason).toBe('timeout');
  });

  it('refuses an aborted signal before starting the TypeScript check', async () => {
    await expect(checkProject([{ path: 'a.ts', content: 'export const a = 1;\n' }], { signal: AbortSignal.abort() })).rejects.toThrow();
  });
});
