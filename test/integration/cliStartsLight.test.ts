import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { binPath, repoRoot } from '../support/cliProcess.ts';
import { useTempDirs } from '../support/useTempDirs.ts';

const recorder = fileURLToPath(new URL('../support/recordModuleLoads.ts', import.meta.url));

/**
 * Packages that cost a noticeable part of a second to import (or pull in ones that do) and that
 * `--version` and `projects list` never use: the model SDKs and the llama.cpp binding, the Docker
 * client and its tar and JUnit helpers, the validators, git, zip, the tokenizer, progress bars,
 * the logger (nothing is logged) and the OpenTelemetry SDK.
 */
const heavyPackages = [
  'node-llama-cpp',
  'openai',
  '@anthropic-ai/sdk',
  'ollama',
  'dockerode',
  'tar-stream',
  'fast-xml-parser',
  'prettier',
  '@vscode/tree-sitter-wasm',
  'web-tree-sitter',
  'yaml',
  'smol-toml',
  'isomorphic-git',
  'fflate',
  'js-tiktoken',
  'cli-progress',
  // Logs and telemetry: pino loads with the first line logged, the OpenTelemetry SDK only when telemetry is on.
  'pino',
  'sonic-boom',
  'thread-stream',
  '@opentelemetry/sdk-trace',
  '@opentelemetry/otlp-transformer',
  '@opentelemetry/resources',
];

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
  /** The npm packages the process loaded a module of. */
  packages: Set<string>;
  modules: string[];
}

/** Runs the real CLI in a fresh Node process that records every module it loads. */
function runRecorded(args: string[], home: string, logFile: string, fromSources: boolean): Promise<Run> {
  return new Promise((resolve, reject) => {
    const env: NodeJS.ProcessEnv = { ...process.env, SERVICE_CREATOR_HOME: home, RECORD_MODULE_LOADS: logFile };
    delete env.SERVICE_CREATOR_DEBUG;
    if (fromSources) env.SERVICE_CREATOR_FROM_SOURCES = '1';
    else delete env.SERVICE_CREATOR_FROM_SOURCES;
    const child = spawn(process.execPath, ['--import', recorder, binPath, ...args], { cwd: repoRoot, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      const modules = readFileSync(logFile, 'utf8')
        .split('\n')
        .filter((line) => line !== '')
        .map((line) => line.slice(line.indexOf('\t') + 1));
      const packages = new Set(modules.map(packageOf).filter((name): name is string => name !== undefined));
      resolve({ code, stdout, stderr, packages, modules });
    });
  });
}

/** `file:///…/node_modules/@scope/name/x.js` → `@scope/name` (the innermost node_modules). */
function packageOf(url: string): string | undefined {
  const at = url.lastIndexOf('/node_modules/');
  if (at === -1) return undefined;
  const [first, second] = url.slice(at + '/node_modules/'.length).split('/');
  return first?.startsWith('@') ? `${first}/${second}` : first;
}

// From the TypeScript sources, and from the bundle when `npm run build` made a fresh one (else the sources again).
describe.each([
  ['from the sources', true],
  ['as launched (the bundle when fresh)', false],
])('the CLI starts light, %s', (_mode, fromSources) => {
  const tempDir = useTempDirs();

  it('--version loads no heavy package, and not even the database or the core', async () => {
    const home = tempDir('sc-light-');
    const run = await runRecorded(['--version'], home, join(home, 'modules.txt'), fromSources);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout.trim()).toMatch(/^\d+\.\d+\.\d+/);
    expect(run.modules.some((url) => url.endsWith('/bin/service-creator.js')), 'the recorder saw the launcher').toBe(true);
    expect([...run.packages].filter((name) => heavyPackages.includes(name))).toEqual([]);
    expect(run.packages.has('better-sqlite3')).toBe(false);
    // From the sources: src-main/cli/CliContext.ts and core/createCore.ts; from the bundle: its CliContext-<hash>.js chunk.
    expect(run.modules.filter((url) => /\/(CliContext|createCore)[-.]/.test(url))).toEqual([]);
  });

  it('projects list reads the database but loads no model SDK, Docker client, validator or git', async () => {
    const home = tempDir('sc-light-');
    for (const name of ['alpha', 'beta']) {
      const created = await runRecorded(['projects', 'create', name], home, join(home, `create-${name}.txt`), fromSources);
      expect(created.code, created.stderr).toBe(0);
    }
    const run = await runRecorded(['projects', 'list'], home, join(home, 'modules.txt'), fromSources);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain('alpha');
    expect(run.stdout).toContain('beta');
    expect(run.packages.has('better-sqlite3'), 'the recorder saw the database driver load').toBe(true);
    expect([...run.packages].filter((name) => heavyPackages.includes(name))).toEqual([]);
  });
});
