import { isBuiltin } from 'node:module';
import ts from 'typescript';
import { ProjectCheckFailed } from './ProjectCheckFailed.ts';
import type { ProjectFinding } from './ProjectFinding.ts';
import type { ProjectCheckOptions } from './ProjectCheckOptions.ts';
import { nodeTypeDeclarations } from './nodeTypeDeclarations.ts';
import { typeScriptCompilerHost } from './typeScriptCompilerHost.ts';
import { declaredNpmPackages, typeScriptPrelude } from './typeScriptPrelude.ts';
import { undeclaredImportFindings } from '../validate/undeclaredImport.ts';

const root = '/project/';
const preludePath = '/__environment__/environment.d.ts';
const scriptPattern = /\.(ts|tsx|mts|cts|js|jsx|mjs|cjs)$/;
const maxFindingChars = 600;
/** In JavaScript only what fails when it runs: unknown names and members, wrong calls, missing modules and exports, syntax. */
const javaScriptCodes = new Set([2304, 2552, 2339, 2551, 2554, 2555, 2556, 2349, 2351, 2307, 2305, 2306, 2614, 2724]);
/** "has no exported member": dropped where the module is a planned file not written yet. */
const missingExportCodes = new Set([2305, 2614, 2724]);

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
    // @types/node is a root file (see checkTypeScriptProject); no other @types are looked for.
    types: [],
    module: nodeEsm ? ts.ModuleKind.NodeNext : ts.ModuleKind.ESNext,
    moduleResolution: nodeEsm ? ts.ModuleResolutionKind.NodeNext : ts.ModuleResolutionKind.Bundler,
  };
}

/** `@scope/name/sub` → `@scope/name`, `name/sub` → `name`: what package.json declares. */
function npmPackageName(specifier: string): string {
  const parts = specifier.split('/');
  return (specifier.startsWith('@') ? parts.slice(0, 2) : parts.slice(0, 1)).join('/');
}

/** The import declaration's module specifier around a position, if the position is inside one. */
function importSpecifierAt(sourceFile: ts.SourceFile, position: number): string | undefined {
  const statement = sourceFile.statements.find((node) => node.getStart(sourceFile) <= position && position < node.end);
  return statement !== undefined && ts.isImportDeclaration(statement) && ts.isStringLiteral(statement.moduleSpecifier) ? statement.moduleSpecifier.text : undefined;
}

/**
 * Type-checks a TypeScript/JavaScript project with the TypeScript compiler API over an in-memory
 * host (no emit, checkJs) with Node's real type declarations: every error in .ts files, what fails at run time in .js files. A
 * package nobody declares is a finding on package.json and on the importing file (either may be
 * the one to fix); a declared one that is not installed here is typed `any` (see
 * typeScriptPrelude). Synchronous inside; the deadline and the signal are
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
  const host = typeScriptCompilerHost(sources, root);
  const token: ts.CancellationToken = {
    isCancellationRequested: () => options.signal?.aborted === true || performance.now() > deadline,
    throwIfCancellationRequested() {
      if (this.isCancellationRequested()) throw new ts.OperationCanceledException();
    },
  };
  // Node's real declarations: node:* imports and Node's globals (Buffer, process, setTimeout)
  // type-check as in a project that has @types/node installed.
  const program = ts.createProgram({ rootNames: [nodeTypeDeclarations().entry, ...sources.keys()], options: tsOptions, host });
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
        // A Node built-in that @types/node does not know is the file's problem, not the manifest's.
        const bare = specifier !== undefined && !specifier.startsWith('.') && !specifier.startsWith('/') && !specifier.startsWith('node:') && !isBuiltin(specifier);
        if (diagnostic.code === 2307 && bare && packageJson !== undefined) {
          const declared = [...declaredNpmPackages(packageJson)];
          const both = undeclaredImportFindings({ importer: file.path, line, module: specifier, distribution: npmPackageName(specifier), manifest: 'package.json', declared, builtins: "Node's built-in modules" });
          for (const finding of both) findings.push({ path: finding.path, line: finding.line, rule, message: finding.message });
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
