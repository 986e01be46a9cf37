import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import ts from 'typescript';
import { ProjectCheckFailed } from './ProjectCheckFailed.ts';
import type { ProjectFinding } from './ProjectFinding.ts';
import type { ProjectCheckOptions } from './ProjectCheckOptions.ts';
import { declaredNpmPackages, typeScriptPrelude } from './typeScriptPrelude.ts';

const root = '/project/';
const preludePath = '/__environment__/environment.d.ts';
const scriptPattern = /\.(ts|tsx|mts|cts|js|jsx|mjs|cjs)$/;
const maxFindingChars = 600;
/** In JavaScript only what fails when it runs: unknown names and members, wrong calls, missing modules and exports, syntax. */
const javaScriptCodes = new Set([2304, 2552, 2339, 2551, 2554, 2555, 2556, 2349, 2351, 2307, 2305, 2306, 2614, 2724]);
/** "has no exported member": dropped where the module is a planned file not written yet. */
const missingExportCodes = new Set([2305, 2614, 2724]);

/** The lib files (lib.es2023.d.ts, ...), parsed once per process: they are most of a check's cost. */
const libCache = new Map<string, ts.SourceFile>();
const libDir = dirname(ts.getDefaultLibFilePath({}));

function compilerOptions(packageJson: string | undefined, files: readonly string[]): ts.CompilerOptions {
  let type: unknown;
  try {
    type = (JSON.parse(packageJson ?? '{}') as { type?: unknown }).type;
  } catch {
    type = undefined;
  }
  // Plain Node ESM (type: module, JavaScript only) resolves like Node; anything with TypeScript
  // goes through a bundler or tsx, which resolve extensionless imports.
  const nodeEsm = type === 'module' && files.every((path) => !/\.(ts|tsx|mts|cts)$/.test(path));
  return {
    noEmit: true,
    allowJs: true,
    checkJs: true,
    strict: false,
    skipLibCheck: true,
    esModuleInterop: true,
    allowSyntheticDefaultImports: true,
    resolveJsonModule: true,
    allowImportingTsExtensions: true,
    jsx: ts.JsxEmit.Preserve,
    target: ts.ScriptTarget.ES2022,
    lib: ['lib.es2023.d.ts', 'lib.dom.d.ts', 'lib.dom.iterable.d.ts'],
    types: [],
    module: nodeEsm ? ts.ModuleKind.NodeNext : ts.ModuleKind.ESNext,
    moduleResolution: nodeEsm ? ts.ModuleResolutionKind.NodeNext : ts.ModuleResolutionKind.Bundler,
  };
}

function compilerHost(sources: ReadonlyMap<string, string>, options: ts.CompilerOptions): ts.CompilerHost {
  const folders = new Set<string>();
  for (const path of sources.keys()) for (let folder = dirname(path); folder !== '/' && !folders.has(folder); folder = dirname(folder)) folders.add(folder);
  const isLib = (fileName: string) => dirname(fileName) === libDir;
  return {
    getSourceFile(fileName, languageVersion) {
      const text = sources.get(fileName);
      if (text !== undefined) return ts.createSourceFile(fileName, text, languageVersion, true);
      if (!isLib(fileName)) return undefined;
      const key = `${fileName}\n${String(options.target)}`;
      let cached = libCache.get(key);
      if (cached === undefined) {
        cached = ts.createSourceFile(fileName, readFileSync(fileName, 'utf8'), languageVersion, true);
        libCache.set(key, cached);
      }
      return cached;
    },
    // Nothing outside the generated files and TypeScript's own lib folder exists for the checker:
    // no host node_modules, no @types, the same answer on every machine.
    fileExists: (fileName) => sources.has(fileName) || (isLib(fileName) && ts.sys.fileExists(fileName)),
    readFile: (fileName) => sources.get(fileName) ?? (isLib(fileName) ? ts.sys.readFile(fileName) : undefined),
    directoryExists: (name) => folders.has(name.replace(/\/$/, '')) || name === libDir,
    getDirectories: () => [],
    getDefaultLibFileName: (opts) => join(libDir, ts.getDefaultLibFileName(opts)),
    getDefaultLibLocation: () => libDir,
    writeFile: () => undefined,
    getCurrentDirectory: () => root,
    getCanonicalFileName: (fileName) => fileName,
    useCaseSensitiveFileNames: () => true,
    getNewLine: () => '\n',
  };
}

/** The import declaration's module specifier around a position, if the position is inside one. */
function importSpecifierAt(sourceFile: ts.SourceFile, position: number): string | undefined {
  const statement = sourceFile.statements.find((node) => node.getStart(sourceFile) <= position && position < node.end);
  return statement !== undefined && ts.isImportDeclaration(statement) && ts.isStringLiteral(statement.moduleSpecifier) ? statement.moduleSpecifier.text : undefined;
}

/**
 * Type-checks a TypeScript/JavaScript project with the TypeScript compiler API over an in-memory
 * host (no emit, checkJs): every error in .ts files, what fails at run time in .js files. A
 * module nobody declares is a finding on package.json; a declared one that is not installed here
 * is typed `any` (see typeScriptPrelude). Synchronous inside; the deadline and the signal are
 * honoured through TypeScript's cancellation token between checks.
 */
export function checkTypeScriptProject(files: readonly { path: string; content: string }[], options: ProjectCheckOptions = {}): ProjectFinding[] {
  options.signal?.throwIfAborted();
  const deadline = performance.now() + (options.timeoutMs ?? 60_000);
  const packageJson = files.find((file) => file.path === 'package.json')?.content;
  const scripts = files.filter((file) => scriptPattern.test(file.path));
  const pendingPaths = new Set((options.pending ?? []).filter((path) => scriptPattern.test(path) && !scripts.some((file) => file.path === path)).map((path) => `${root}${path}`));
  const sources = new Map<string, string>(scripts.map((file) => [`${root}${file.path}`, file.content]));
  for (const path of pendingPaths) sources.set(path, 'declare const pending: any;\nexport = pending;\n');
  sources.set(preludePath, typeScriptPrelude(declaredNpmPackages(packageJson)));
  const tsOptions = compilerOptions(packageJson, scripts.map((file) => file.path));
  const host = compilerHost(sources, tsOptions);
  const token: ts.CancellationToken = {
    isCancellationRequested: () => options.signal?.aborted === true || performance.now() > deadline,
    throwIfCancellationRequested() {
      if (this.isCancellationRequested()) throw new ts.OperationCanceledException();
    },
  };
  const program = ts.createProgram({ rootNames: [...sources.keys()], options: tsOptions, host });
  const findings: ProjectFinding[] = [];
  try {
    for (const file of scripts) {
      const sourceFile = program.getSourceFile(`${root}${file.path}`);
      if (sourceFile === undefined) continue;
      const javaScript = /\.(js|jsx|mjs|cjs)$/.test(file.path);
      const diagnostics = [...program.getSyntacticDiagnostics(sourceFile, token), ...program.getSemanticDiagnostics(sourceFile, token)];
      for (const diagnostic of diagnostics) {
        if (diagnostic.category !== ts.DiagnosticCategory.Error || diagnostic.start === undefined) continue;
        const syntax = diagnostic.code < 2000;
        if (javaScript && !syntax && !javaScriptCodes.has(diagnostic.code)) continue;
        const specifier = diagnostic.code === 2307 ? sourceFile.text.slice(diagnostic.start + 1, diagnostic.start + (diagnostic.length ?? 2) - 1) : importSpecifierAt(sourceFile, diagnostic.start);
        if (missingExportCodes.has(diagnostic.code) && specifier !== undefined) {
          const resolved = ts.resolveModuleName(specifier, sourceFile.fileName, tsOptions, host).resolvedModule?.resolvedFileName;
          if (resolved !== undefined && pendingPaths.has(resolved)) continue;
        }
        const line = sourceFile.getLineAndCharacterOfPosition(diagnostic.start).line + 1;
        const text = ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n').split(root).join('').slice(0, maxFindingChars);
        const rule = `TS${diagnostic.code}`;
        const bare = specifier !== undefined && !specifier.startsWith('.') && !specifier.startsWith('/');
        if (diagnostic.code === 2307 && bare && packageJson !== undefined) {
          findings.push({ path: 'package.json', line: 1, rule, message: `${file.path} line ${line} imports \`${specifier}\`, a package that package.json does not declare: add it to "dependencies" (TypeScript: ${text})` });
        } else {
          findings.push({ path: file.path, line, rule, message: text });
        }
      }
    }
  } catch (error) {
    if (!(error instanceof ts.OperationCanceledException)) throw error;
    options.signal?.throwIfAborted();
    throw new ProjectCheckFailed('timeout', `The type checker (TypeScript) ran past its limit of ${Math.round((options.timeoutMs ?? 60_000) / 1000)} s and was stopped.`);
  }
  return findings;
}
