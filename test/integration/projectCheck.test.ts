import { chmodSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkProject } from '../../src-main/pipeline/typecheck/checkProject.ts';
import { ProjectCheckFailed } from '../../src-main/pipeline/typecheck/ProjectCheckFailed.ts';
import { disposeProjectChecker, holdProjectChecker, pyrightServer, typeScriptChecker } from '../../src-main/pipeline/typecheck/projectChecker.ts';
import { PyrightServer } from '../../src-main/pipeline/typecheck/PyrightServer.ts';
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

  it('reports the import cycle on every file in it, naming the whole cycle with project paths, once each', () => {
    const cycles = findings.filter((finding) => finding.rule === 'reportImportCycles');
    expect(cycles.map((finding) => finding.path).sort()).toEqual(['app/audit.py', 'app/events.py']);
    for (const cycle of cycles) {
      expect(cycle.message).toMatch(/^import cycle: app\/audit\.py → app\/events\.py → app\/audit\.py: .*break the cycle/);
      expect(cycle.message).not.toContain(tmpdir());
    }
  });

  it('blames requirements.txt and the importing file for the undeclared package, and nothing for the declared ones that are not installed', () => {
    expect(at(findings, 'requirements.txt')).toEqual([
      expect.objectContaining({ rule: 'reportMissingModuleSource', message: expect.stringMatching(/^requirements\.txt does not declare `requests`: add requests .*imported by app\/notify\.py line 1/) }),
    ]);
    expect(at(findings, 'app/notify.py')).toEqual([
      expect.objectContaining({ line: 1, rule: 'reportMissingModuleSource', message: expect.stringMatching(/^app\/notify\.py line 1 imports `requests`, which the project does not declare: declare it in requirements\.txt/) }),
    ]);
    expect(findings.filter((finding) => /`(fastapi|pydantic)`|"(fastapi|pydantic)"/.test(finding.message))).toEqual([]);
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
    // The pyright server is started afresh under this environment.
    disposeProjectChecker();
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
    expect(findings).toEqual([
      expect.objectContaining({ path: 'main.py', message: expect.stringContaining('`requests`') }),
      expect.objectContaining({ path: 'requirements.txt', message: expect.stringContaining('`requests`') }),
    ]);
    // The server that answered was started with the fake python first on PATH and PYTHONPATH set.
    const pid = pyrightServer.pid as number;
    expect(readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0')).toEqual(expect.arrayContaining(['PATH=']));
    expect(readFileSync(`/proc/${pid}/environ`, 'utf8')).not.toContain(fakeHost);
    expect(await checkProject(project, { engine: 'cli' })).toEqual(findings);
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
      { path: 'package.json', line: 1, rule: 'TS2307', message: expect.stringMatching(/^package\.json does not declare `uuid`: add uuid .*imported by src\/server\.ts line 3/) },
      { path: 'src/server.ts', line: 2, rule: 'TS2305', message: 'Module \'"./rules.js"\' has no exported member \'deleteRule\'.' },
      { path: 'src/server.ts', line: 3, rule: 'TS2307', message: expect.stringMatching(/^src\/server\.ts line 3 imports `uuid`, which the project does not declare: declare it in package\.json, or use what is declared \(express\)/) },
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

  describe("with Node's real type declarations", () => {
    const packageJson = { path: 'package.json', content: JSON.stringify({ name: 'svc', type: 'module', scripts: { test: 'node --test' }, devDependencies: { typescript: '^5.8.0' } }) };
    const server = (handler: string) => ({
      path: 'src/server.ts',
      content: `import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';\nimport type { AddressInfo } from 'node:net';\n\nfunction readBody(req: IncomingMessage): Promise<Buffer> {\n  return new Promise((resolve, reject) => {\n    const chunks: Buffer[] = [];\n    req.on('data', (chunk: Buffer) => chunks.push(chunk));\n    req.on('end', () => resolve(Buffer.concat(chunks)));\n    req.on('error', reject);\n  });\n}\n\nexport function handle(req: IncomingMessage, res: ServerResponse): void {\n${handler}}\n\nexport function start(): Server {\n  const server = createServer(handle);\n  server.listen(Number(process.env.PORT ?? 0), () => {\n    const { port } = server.address() as AddressInfo;\n    setTimeout(() => console.log('listening on', port), 10).unref();\n  });\n  return server;\n}\n`,
    });
    const testFile = {
      path: 'test/server.test.ts',
      content: "import { test } from 'node:test';\nimport assert from 'node:assert/strict';\nimport type { AddressInfo } from 'node:net';\nimport { start } from '../src/server.ts';\n\ntest('answers', async () => {\n  const server = start();\n  await new Promise((resolve) => server.once('listening', resolve));\n  const { port } = server.address() as AddressInfo;\n  const response = await fetch(`http://127.0.0.1:${port}/`);\n  assert.equal(response.status, 200);\n  server.close();\n});\n",
    };
    const goodHandler = "  void readBody(req).then((body) => {\n    res.writeHead(200, { 'content-type': 'application/json' });\n    res.end(JSON.stringify({ bytes: body.length }));\n  });\n";

    it('finds nothing in a correct node:http server and its node:test test (IncomingMessage, ServerResponse, Buffer, AddressInfo are types)', async () => {
      expect(await checkProject([packageJson, server(goodHandler), testFile])).toEqual([]);
    });

    it('reports a real misuse of a Node type on the file, and an unknown node: module on the file, not package.json', async () => {
      const badHandler = "  void readBody(req).then((body) => {\n    res.writeHead('200', body);\n    res.end(body.lenght);\n  });\n";
      const findings = await checkProject([packageJson, server(badHandler), { ...testFile, content: `import { nothing } from 'node:nope';\n${testFile.content}` }]);
      expect(findings.map((finding) => [finding.path, finding.line, finding.rule])).toEqual([
        ['src/server.ts', 15, 'TS2769'],
        ['src/server.ts', 16, 'TS2551'],
        ['test/server.test.ts', 1, 'TS2307'],
      ]);
      expect(findings[0]?.message).toContain("Argument of type 'string' is not assignable to parameter of type 'number'");
      expect(findings[1]?.message).toContain("Property 'lenght' does not exist on type 'Buffer");
    });
  });
});

describe('project check limits', () => {
  it('stops the one-shot pyright on abort and removes its copy', async () => {
    const before = checkDirs().length;
    const controller = new AbortController();
    setTimeout(() => controller.abort(new DOMException('stop', 'AbortError')), 200);
    // The one-shot CLI (it makes the private copy; its start alone takes longer than 200 ms). Through the warm
    // language server (the default) a project it already knows was answered within the 200 ms, and nothing was stopped.
    await expect(checkProject(brokenService, { signal: controller.signal, engine: 'cli' })).rejects.toMatchObject({ name: 'AbortError' });
    expect(checkDirs().length).toBe(before);
  });

  it('stops pyright past its time limit with a typed failure', async () => {
    // 1 ms: less than any check can take (pyright's answer is judged after 15 ms of quiet). 100 ms
    // was raced by a warm server re-checking files it already knew, and the check then answered.
    const failure = await checkProject(brokenService, { timeoutMs: 1 }).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(ProjectCheckFailed);
    expect((failure as ProjectCheckFailed).reason).toBe('timeout');
  });

  it('refuses an aborted signal before starting the TypeScript check', async () => {
    await expect(checkProject([{ path: 'a.ts', content: 'export const a = 1;\n' }], { signal: AbortSignal.abort() })).rejects.toThrow();
  });
});

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};
const gone = async (pid: number) => {
  for (let waited = 0; waited < 5000 && alive(pid); waited += 50) await new Promise((resolve) => setTimeout(resolve, 50));
  return !alive(pid);
};
const python = (files: { path: string; content: string }[]) => files.filter((file) => file.path.endsWith('.py'));
const rules = (diagnostics: { file: string; rule?: string }[]) => diagnostics.map((diagnostic) => `${diagnostic.file.split('/').slice(-2).join('/')} ${diagnostic.rule ?? ''}`).sort();

describe('the pyright language server', () => {
  const server = new PyrightServer();
  afterAll(() => server.dispose());

  it('serves every check from one process, a later check faster than the first', async () => {
    let started = performance.now();
    const first = await server.check('reuse', python(brokenService), [], { timeoutMs: 60_000 });
    const coldMs = performance.now() - started;
    const pid = server.pid;
    expect(rules(first.diagnostics)).toEqual(expect.arrayContaining(['app/api.py reportUndefinedVariable', 'app/api.py reportCallIssue']));
    started = performance.now();
    const fixed = python(cleanService);
    const second = await server.check('reuse', fixed, [], { timeoutMs: 60_000 });
    const warmMs = performance.now() - started;
    expect(server.pid).toBe(pid);
    // The fixed api.py, audit/events/notify gone: only the declared-but-absent packages remain.
    expect(second.diagnostics.filter((diagnostic) => diagnostic.severity === 'error' && !/fastapi|pydantic/.test(diagnostic.message))).toEqual([]);
    expect(warmMs).toBeLessThan(coldMs);
  });

  it('starts a new server when the old one was killed, and the check still answers', async () => {
    await server.check('restart', python(cleanService), [], { timeoutMs: 60_000 });
    const pid = server.pid as number;
    process.kill(pid, 'SIGKILL');
    expect(await gone(pid)).toBe(true);
    const result = await server.check('restart', python(brokenService), [], { timeoutMs: 60_000 });
    expect(server.pid).not.toBe(pid);
    expect(rules(result.diagnostics)).toContain('app/api.py reportUndefinedVariable');
  });

  it('stops a check on abort and serves the next one', async () => {
    const controller = new AbortController();
    const checking = server.check('abort', python(brokenService), [], { timeoutMs: 60_000, signal: controller.signal });
    setTimeout(() => controller.abort(new DOMException('stop', 'AbortError')), 5);
    await expect(checking).rejects.toMatchObject({ name: 'AbortError' });
    const result = await server.check('abort', python(brokenService), [], { timeoutMs: 60_000 });
    expect(rules(result.diagnostics)).toContain('app/api.py reportUndefinedVariable');
  });

  it('keeps the files of two runs checked at once apart', async () => {
    const store = (method: string) => ({ path: 'app/store.py', content: `class Store:\n    def ${method}(self) -> int:\n        return 1\n` });
    const api = { path: 'app/api.py', content: 'from app.store import Store\n\nprint(Store().load())\n' };
    const init = { path: 'app/__init__.py', content: '' };
    const [withLoad, withSave] = await Promise.all([
      server.check('run-a', [init, store('load'), api], [], { timeoutMs: 60_000 }),
      server.check('run-b', [init, store('save'), api], [], { timeoutMs: 60_000 }),
    ]);
    expect(withLoad.project).not.toBe(withSave.project);
    expect(withLoad.diagnostics.filter((diagnostic) => diagnostic.severity === 'error')).toEqual([]);
    expect(withSave.diagnostics.filter((diagnostic) => diagnostic.severity === 'error')).toEqual([
      expect.objectContaining({ file: `${withSave.project}/app/api.py`, rule: 'reportAttributeAccessIssue', message: expect.stringContaining('"load"') }),
    ]);
  });

  it('fails a check past its deadline with a typed failure and stops the server', async () => {
    const fresh = new PyrightServer();
    try {
      const failure = await fresh.check('late', python(brokenService), [], { timeoutMs: 50 }).catch((error: unknown) => error);
      expect(failure).toBeInstanceOf(ProjectCheckFailed);
      expect((failure as ProjectCheckFailed).reason).toBe('timeout');
      expect(fresh.pid).toBeUndefined();
    } finally {
      fresh.dispose();
    }
  });

  it('leaves no process and no folder behind when disposed', async () => {
    const own = new PyrightServer();
    const result = await own.check('dispose', python(cleanService), [], { timeoutMs: 60_000 });
    const pid = own.pid as number;
    expect(alive(pid)).toBe(true);
    own.dispose();
    expect(await gone(pid)).toBe(true);
    expect(readdirSync(tmpdir())).not.toContain(result.project.split('/').at(-2));
  });
});

describe('the checkers of the app', () => {
  it('end with the last core that holds them', async () => {
    const first = holdProjectChecker();
    const second = holdProjectChecker();
    await checkProject(cleanService);
    await checkProject([{ path: 'a.ts', content: 'export const a: number = 1;\n' }]);
    const pid = pyrightServer.pid as number;
    first();
    expect(alive(pid)).toBe(true);
    second();
    expect(await gone(pid)).toBe(true);
    expect(typeScriptChecker.warm).toBe(false);
  });

  it('checks TypeScript off the main thread: warm after the first check, stopped by abort, then ready again', async () => {
    const project = (count: number) =>
      Array.from({ length: count }, (_, i) => ({ path: `src/m${i}.ts`, content: `${i > 0 ? `import { f${i - 1} } from './m${i - 1}.js';\n` : ''}export function f${i}(x: number): number {\n  return ${i > 0 ? `f${i - 1}(x) + ` : ''}x;\n}\n` }));
    disposeProjectChecker();
    let last = performance.now();
    let longestGap = 0;
    const ticker = setInterval(() => {
      longestGap = Math.max(longestGap, performance.now() - last);
      last = performance.now();
    }, 5);
    let started = performance.now();
    expect(await checkProject(project(5))).toEqual([]);
    const coldMs = performance.now() - started;
    clearInterval(ticker);
    // The event loop kept turning while the compiler loaded and checked (in this thread it stood still for all of it).
    expect(longestGap).toBeLessThan(coldMs / 2);
    expect(typeScriptChecker.warm).toBe(true);
    started = performance.now();
    expect(await checkProject([...project(5), { path: 'src/bad.ts', content: "import { f0 } from './m0.js';\nf0('x');\n" }])).toEqual([expect.objectContaining({ path: 'src/bad.ts', rule: 'TS2345' })]);
    expect(performance.now() - started).toBeLessThan(coldMs);
    const controller = new AbortController();
    const checking = checkProject(project(300), { signal: controller.signal });
    setTimeout(() => controller.abort(new DOMException('stop', 'AbortError')), 20);
    await expect(checking).rejects.toMatchObject({ name: 'AbortError' });
    expect(typeScriptChecker.warm).toBe(false);
    expect(await checkProject(project(3))).toEqual([]);
  });
});

afterAll(() => disposeProjectChecker());
