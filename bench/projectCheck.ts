/**
 * What the project-wide type check costs (issue 17): pyright on a Python project and the
 * TypeScript compiler API on a TS project, each of 10 and 40 generated files.
 *
 *   npx node bench/projectCheck.ts [--runs 3]            (npm run bench:project-check)
 *
 * The projects are synthetic but shaped like generated services: each module has a dataclass or
 * interface, a service class with a few methods and free functions, imports two earlier modules
 * and calls into them, plus FastAPI/Express routes in every fifth file and a declared
 * requirements.txt / package.json. Every project must check clean (a finding is a bench bug).
 *
 * pyright: the exact command the pipeline runs (preparePyrightRun: private copy, empty venv,
 * config) under /usr/bin/time -f '%e %M': wall seconds and peak RSS of the pyright process.
 * TypeScript: a child Node process (this file with --child) that imports the checker and runs it
 * twice (cold: import + lib parse; warm: the lib files cached, as for the pipeline's later
 * checks), under /usr/bin/time for its peak RSS. Both are the one-shot (`engine: 'cli'`) path.
 * Then the app's long-lived checkers, each in a child (--server): the pyright language server
 * (start + first check, warm checks with one file changed, with nothing changed; CPU from the
 * server's /proc stat, its peak RSS) and the TypeScript worker thread (first, warm). Medians of
 * --runs; `uptime` is printed with the numbers since the machine is shared.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { checkProject } from '../src-main/pipeline/typecheck/checkProject.ts';
import { preparePyrightRun } from '../src-main/pipeline/typecheck/preparePyrightRun.ts';
import { disposeProjectChecker, pyrightServer } from '../src-main/pipeline/typecheck/projectChecker.ts';

type Files = { path: string; content: string }[];

function pythonProject(count: number): Files {
  const files: Files = [{ path: 'requirements.txt', content: 'fastapi>=0.110\nuvicorn\n' }, { path: 'app/__init__.py', content: '' }];
  for (let i = 0; i < count - 2; i++) {
    const deps = i === 0 ? [] : [...new Set([i - 1, Math.floor(i / 2)])];
    const imports = deps.map((d) => `from app.m${d} import Service${d}, make${d}\n`).join('');
    const calls = deps.map((d) => `        total += Service${d}().count(make${d}(x))\n`).join('');
    const routes = i % 5 === 4 ? `\nfrom fastapi import APIRouter, HTTPException\n\nrouter = APIRouter()\n\n\n@router.get("/items${i}/{item_id}")\ndef read${i}(item_id: int) -> dict[str, int]:\n    if item_id < 0:\n        raise HTTPException(status_code=404, detail="missing")\n    return {"total": Service${i}().total(item_id)}\n` : '';
    files.push({
      path: `app/m${i}.py`,
      content: `import json\nfrom dataclasses import dataclass, field\nfrom datetime import datetime\n${imports}${routes}\n\n@dataclass\nclass Item${i}:\n    id: int\n    name: str\n    tags: list[str] = field(default_factory=list)\n    created: datetime = field(default_factory=datetime.now)\n\n    def to_json(self) -> str:\n        return json.dumps({"id": self.id, "name": self.name, "tags": self.tags})\n\n\ndef make${i}(x: int) -> Item${i}:\n    return Item${i}(id=x, name=f"item-{x}")\n\n\nclass Service${i}:\n    def __init__(self) -> None:\n        self.items: dict[int, Item${i}] = {}\n\n    def add(self, item: Item${i}) -> None:\n        self.items[item.id] = item\n\n    def count(self, item: object) -> int:\n        return len(self.items) + (1 if item else 0)\n\n    def total(self, x: int) -> int:\n        total = 0\n${calls}        for item in self.items.values():\n            total += len(item.to_json())\n        return total + x\n`,
    });
  }
  return files;
}

function typeScriptProject(count: number): Files {
  const files: Files = [{ path: 'package.json', content: JSON.stringify({ name: 'svc', type: 'module', dependencies: { express: '^5.0.0' } }) }];
  for (let i = 0; i < count - 1; i++) {
    const deps = i === 0 ? [] : [...new Set([i - 1, Math.floor(i / 2)])];
    const imports = deps.map((d) => `import { Service${d}, make${d} } from './m${d}.js';\n`).join('');
    const calls = deps.map((d) => `    total += new Service${d}().count(make${d}(x));\n`).join('');
    const routes = i % 5 === 4 ? `import express from 'express';\n\nexport const router${i} = express.Router();\nrouter${i}.get('/items${i}/:id', (req: { params: { id: string } }, res: { json(body: unknown): void }) => {\n  res.json({ total: new Service${i}().total(Number(req.params.id)) });\n});\n` : '';
    files.push({
      path: `src/m${i}.ts`,
      content: `${imports}${routes}\nexport interface Item${i} {\n  id: number;\n  name: string;\n  tags: string[];\n  created: Date;\n}\n\nexport function make${i}(x: number): Item${i} {\n  return { id: x, name: \`item-\${x}\`, tags: [], created: new Date() };\n}\n\nexport class Service${i} {\n  private readonly items = new Map<number, Item${i}>();\n\n  add(item: Item${i}): void {\n    this.items.set(item.id, item);\n  }\n\n  count(item: unknown): number {\n    return this.items.size + (item ? 1 : 0);\n  }\n\n  total(x: number): number {\n    let total = 0;\n${calls}    for (const item of this.items.values()) total += JSON.stringify(item).length;\n    return total + x;\n  }\n}\n`,
    });
  }
  return files;
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? Number.NaN;
const uptime = () => execFileSync('uptime', { encoding: 'utf8' }).trim();

function timedWithStderr(args: string[], env: Record<string, string>, cwd: string) {
  const result = execFileSync('/bin/sh', ['-c', `/usr/bin/time -f 'TIME %e %M' "$@" 2>&1; true`, 'sh', ...args], { cwd, env, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  const line = result.split('\n').find((entry) => entry.startsWith('TIME ')) ?? '';
  const [, wall, rss] = line.split(' ');
  return { wallS: Number(wall), rssKiB: Number(rss), output: result };
}

/** user + system CPU ms and peak RSS (KiB) of a process (Linux /proc). */
function processUse(pid: number): { cpuMs: number; peakKiB: number } {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
  const peak = /VmHWM:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
  return { cpuMs: ((Number(fields[11]) + Number(fields[12])) * 1000) / 100, peakKiB: Number(peak) };
}

/** One file's body changed (a fix): what a warm layer or consistency check usually sees. */
function oneChanged(files: Files): Files {
  const index = files.findIndex((file) => /m1\.(py|ts)$/.test(file.path));
  return files.map((file, i) => (i === index ? { ...file, content: `${file.content}\n${file.path.endsWith('.py') ? '# fixed' : '// fixed'}\n` } : file));
}

/**
 * The long-lived checkers as the app uses them: the pyright language server (its start and first
 * check, then warm checks of the same project with one file changed and with none) and the
 * TypeScript thread (first check with the compiler loading, then warm). Wall per check, the
 * server's CPU per check and peak RSS.
 */
async function serverChild(kind: string, count: number): Promise<void> {
  const files = kind === 'ts' ? typeScriptProject(count) : pythonProject(count);
  const timings: Record<string, number> = {};
  const time = async (label: string, run: () => Promise<unknown>) => {
    const cpuBefore = pyrightServer.pid === undefined ? 0 : processUse(pyrightServer.pid).cpuMs;
    const started = performance.now();
    const findings = (await run()) as unknown[];
    timings[`${label}Ms`] = performance.now() - started;
    if (kind === 'py') timings[`${label}CpuMs`] = processUse(pyrightServer.pid as number).cpuMs - cpuBefore;
    if (findings.length !== 0) throw new Error(`${label}: findings ${JSON.stringify(findings).slice(0, 300)}`);
  };
  await time('cold', () => checkProject(files, { workspace: 'bench' }));
  const changed = oneChanged(files);
  const warm: number[] = [];
  const warmCpu: number[] = [];
  for (let i = 0; i < 3; i++) {
    await time('warm', () => checkProject(i % 2 === 0 ? changed : files, { workspace: 'bench' }));
    warm.push(timings['warmMs'] ?? 0);
    warmCpu.push(timings['warmCpuMs'] ?? 0);
  }
  await time('same', () => checkProject(files, { workspace: 'bench' }));
  await time('same', () => checkProject(files, { workspace: 'bench' }));
  const peakKiB = kind === 'py' ? processUse(pyrightServer.pid as number).peakKiB : processUse(process.pid).peakKiB;
  process.stdout.write(`RESULT ${JSON.stringify({ ...timings, warmMs: median(warm), warmCpuMs: median(warmCpu), peakKiB })}\n`);
  disposeProjectChecker();
}

async function child(kind: string, count: number): Promise<void> {
  const files = kind === 'ts' ? typeScriptProject(count) : pythonProject(count);
  let started = performance.now();
  const cold = await checkProject(files, { engine: 'cli' });
  const coldMs = performance.now() - started;
  started = performance.now();
  await checkProject(files, { engine: 'cli' });
  const warmMs = performance.now() - started;
  process.stdout.write(`RESULT ${JSON.stringify({ coldMs, warmMs, findings: cold })}\n`);
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { runs: { type: 'string', default: '3' }, child: { type: 'string' }, count: { type: 'string' }, server: { type: 'boolean', default: false } } });
  if (values.child !== undefined) return values.server ? serverChild(values.child, Number(values.count)) : child(values.child, Number(values.count));
  const runs = Math.max(1, Number(values.runs));
  process.stdout.write(`Project check cost, Node ${process.versions.node}, medians of ${runs}\n${uptime()}\n\n`);
  for (const count of [10, 40]) {
    const python = pythonProject(count);
    // The timed runs are raw pyright (its report still lists the declared fastapi as unresolved); the pipeline's verdict must be clean.
    const verdict = await checkProject(python, { engine: 'cli' });
    if (verdict.length !== 0) throw new Error(`the ${count}-file Python project has findings: ${JSON.stringify(verdict).slice(0, 500)}`);
    const walls: number[] = [];
    const rss: number[] = [];
    for (let run = 0; run < runs; run++) {
      const prepared = preparePyrightRun(python, []);
      try {
        const result = timedWithStderr([process.execPath, ...prepared.args], { ...prepared.env, PATH: '/usr/bin:/bin' }, prepared.copy.project);
        if (!result.output.includes('"filesAnalyzed"')) throw new Error(`pyright gave no report: ${result.output.slice(0, 500)}`);
        walls.push(result.wallS);
        rss.push(result.rssKiB);
      } finally {
        prepared.copy.dispose();
      }
    }
    process.stdout.write(`pyright     ${String(count).padStart(2)} files: wall ${median(walls).toFixed(2)} s (${walls.join(', ')})  peak RSS ${(median(rss) / 1024).toFixed(0)} MiB   [${uptime()}]\n`);
    const cold: number[] = [];
    const warm: number[] = [];
    const tsRss: number[] = [];
    for (let run = 0; run < runs; run++) {
      const result = timedWithStderr([process.execPath, new URL(import.meta.url).pathname, '--child', 'ts', '--count', String(count)], { PATH: process.env['PATH'] ?? '' }, process.cwd());
      const line = result.output.split('\n').find((entry) => entry.startsWith('RESULT ')) ?? '';
      const parsed = JSON.parse(line.slice(7)) as { coldMs: number; warmMs: number; findings: unknown[] };
      if (parsed.findings.length !== 0) throw new Error(`the ${count}-file TS project has findings: ${JSON.stringify(parsed.findings).slice(0, 500)}`);
      cold.push(parsed.coldMs);
      warm.push(parsed.warmMs);
      tsRss.push(result.rssKiB);
    }
    process.stdout.write(
      `TypeScript  ${String(count).padStart(2)} files: cold ${median(cold).toFixed(0)} ms (import + lib parse)  warm ${median(warm).toFixed(0)} ms  peak RSS of the checking process ${(median(tsRss) / 1024).toFixed(0)} MiB   [${uptime()}]\n`,
    );
    for (const kind of ['py', 'ts']) {
      const results: Record<string, number>[] = [];
      for (let run = 0; run < runs; run++) {
        const output = execFileSync(process.execPath, [new URL(import.meta.url).pathname, '--child', kind, '--count', String(count), '--server'], { encoding: 'utf8', env: { PATH: process.env['PATH'] ?? '' } });
        const line = output.split('\n').find((entry) => entry.startsWith('RESULT ')) ?? '';
        results.push(JSON.parse(line.slice(7)) as Record<string, number>);
      }
      const m = (key: string) => median(results.map((result) => result[key] ?? Number.NaN));
      process.stdout.write(
        kind === 'py'
          ? `pyright server ${String(count).padStart(2)} files: start + first check ${m('coldMs').toFixed(0)} ms (CPU ${m('coldCpuMs').toFixed(0)} ms)  warm, one file changed ${m('warmMs').toFixed(0)} ms (CPU ${m('warmCpuMs').toFixed(0)} ms)  nothing changed ${m('sameMs').toFixed(0)} ms (CPU ${m('sameCpuMs').toFixed(0)} ms)  server peak RSS ${(m('peakKiB') / 1024).toFixed(0)} MiB   [${uptime()}]\n`
          : `TypeScript thread ${String(count).padStart(2)} files: first check ${m('coldMs').toFixed(0)} ms (thread start, import + lib parse)  warm ${m('warmMs').toFixed(0)} ms  nothing changed ${m('sameMs').toFixed(0)} ms  process peak RSS ${(m('peakKiB') / 1024).toFixed(0)} MiB   [${uptime()}]\n`,
      );
    }
  }
}

await main();
