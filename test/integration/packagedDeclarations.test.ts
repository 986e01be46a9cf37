// The installed app's TypeScript check: electron-builder drops every .d.ts from what it packs, so
// TypeScript's lib files and Node's declarations ship as resources (electron-builder.yml). Here
// the resources are laid out as its extraResources entries say (their globs, applied by this
// test), and the checker thread reads them from there: a correct Node project checks clean, a
// misuse is found, and Node's declarations emptied there are what the check sees.
import { copyFileSync, globSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { TypeScriptChecker } from '../../src-main/pipeline/typecheck/TypeScriptChecker.ts';
import { packagedDeclarationsDir } from '../../src-main/pipeline/typecheck/typeDeclarationsDir.ts';
import { createTempDir, removeTempDirs } from '../support/tempDir.ts';

afterAll(() => removeTempDirs());

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
const builder = parse(readFileSync(join(repoRoot, 'electron-builder.yml'), 'utf8')) as { extraResources: { from: string; to: string; filter: string[] }[] };

/** What electron-builder puts in the installer's resources folder for the type-declarations entries. */
function layOutResources(): string {
  const resources = createTempDir('sc-resources-');
  const entries = builder.extraResources.filter((entry) => entry.to.startsWith('type-declarations/'));
  expect(entries.map((entry) => entry.to)).toEqual(['type-declarations/typescript-lib', 'type-declarations/node', 'type-declarations/undici-types']);
  for (const entry of entries) {
    for (const pattern of entry.filter) {
      for (const file of globSync(pattern, { cwd: join(repoRoot, entry.from) })) {
        const target = join(resources, entry.to, file);
        mkdirSync(dirname(target), { recursive: true });
        copyFileSync(join(repoRoot, entry.from, file), target);
      }
    }
  }
  return resources;
}

const project = (body: string) => [
  { path: 'package.json', content: JSON.stringify({ name: 'svc', type: 'module', devDependencies: { '@types/node': '^24.0.0', typescript: '^5.9.0' } }) },
  { path: 'tsconfig.json', content: JSON.stringify({ compilerOptions: { target: 'ES2023', module: 'NodeNext', moduleResolution: 'NodeNext', strict: true, types: ['node'] } }) },
  { path: 'src/server.ts', content: `import { createServer } from 'node:http';\nimport { readFileSync } from 'node:fs';\n${body}` },
];

describe('the TypeScript check as installed', () => {
  const resources = layOutResources();
  const checkers: TypeScriptChecker[] = [];
  afterAll(() => {
    for (const checker of checkers) checker.dispose();
  });

  it('finds the resources, and checks with them: clean code clean, a misuse found', async () => {
    const dir = packagedDeclarationsDir(resources);
    expect(dir).toBe(join(resources, 'type-declarations'));
    const checker = new TypeScriptChecker({ declarationsDir: dir });
    checkers.push(checker);
    const clean = project("export const server = createServer((req, res) => res.end(readFileSync('x.txt')));\n");
    expect(await checker.check(clean, [], { timeoutMs: 120_000 })).toEqual([]);
    const misuse = project("export const server = createServer((req, res) => res.writeHead('200').end(readFileSync('x.txt').lenght));\n");
    const findings = await checker.check(misuse, [], { timeoutMs: 120_000 });
    expect(findings.map((finding) => [finding.path, finding.rule])).toEqual([
      ['src/server.ts', 'TS2769'],
      ['src/server.ts', 'TS2551'],
    ]);
  });

  it('reads Node’s declarations from there, not from node_modules (emptied there, the node: modules are unknown)', async () => {
    writeFileSync(join(resources, 'type-declarations', 'node', 'index.d.ts'), 'export {};\n');
    const checker = new TypeScriptChecker({ declarationsDir: join(resources, 'type-declarations') });
    checkers.push(checker);
    const findings = await checker.check(project("export const server = createServer((req, res) => res.end(readFileSync('x.txt')));\n"), [], { timeoutMs: 120_000 });
    // TS2591: "Cannot find module 'node:http' ... install type definitions for node".
    expect(findings.map((finding) => finding.rule)).toEqual(['TS2591', 'TS2591']);
  });

  it('is not found where the resources are incomplete or absent (the app then reads node_modules)', () => {
    expect(packagedDeclarationsDir(createTempDir('sc-noresources-'))).toBeUndefined();
    expect(packagedDeclarationsDir(undefined)).toBeUndefined();
  });
});
