import type { PlanFile } from '../../../src-shared/pipeline/plan.ts';
import { distributionOfImport, importNamesOfDistribution, normalizeDistribution } from '../validate/pythonImportNames.ts';
import type { MissingModule } from './failureEvidence.ts';

export interface ManifestFix {
  manifest: PlanFile;
  /** The distribution or npm package to add. */
  add: string;
  why: string;
}

/** `@scope/pkg/sub` → `@scope/pkg`, `pkg/sub` → `pkg`. */
function npmPackageOf(module: string): string {
  const parts = module.split('/');
  return module.startsWith('@') ? parts.slice(0, 2).join('/') : (parts[0] ?? module);
}

/**
 * Whether `top` is importable from the project itself: a module or package at the root or under
 * src/, or beside a test file (pytest puts a test's folder on the path). A copy under another
 * folder (a vendored package) is not importable without an install.
 */
function isPythonProjectModule(top: string, paths: readonly string[]): boolean {
  const roots = new Set(['', 'src/', ...paths.filter((path) => /(^|\/)(test_[^/]*|[^/]*_test|conftest)\.py$/.test(path)).map((path) => path.slice(0, path.lastIndexOf('/') + 1))]);
  return paths.some((path) => [...roots].some((root) => path === `${root}${top}.py` || path.startsWith(`${root}${top}/`)));
}

/** Requirement names a requirements file or pyproject declares (roughly: the leading name of each entry). */
function declaredPython(content: string): string[] {
  return [...content.matchAll(/^\s*["']?([A-Za-z0-9][A-Za-z0-9._-]*)/gm)].map((match) => normalizeDistribution(match[1]!));
}

function declaredNode(content: string): string[] {
  try {
    const json = JSON.parse(content) as Record<string, unknown>;
    return ['dependencies', 'devDependencies', 'peerDependencies', 'optionalDependencies'].flatMap((key) => Object.keys((json[key] as Record<string, unknown> | undefined) ?? {}));
  } catch {
    return [];
  }
}

/** The project's dependency manifest for a runtime: requirements.txt (or another requirements file, or pyproject.toml), package.json. */
export function pickManifest(plan: readonly PlanFile[], runtime: MissingModule['runtime']): PlanFile | undefined {
  const byName = (test: (name: string) => boolean) =>
    plan
      .filter((file) => test(file.path.slice(file.path.lastIndexOf('/') + 1)))
      .sort((a, b) => a.path.length - b.path.length)[0];
  if (runtime === 'node') return byName((name) => name === 'package.json');
  return byName((name) => name === 'requirements.txt') ?? byName((name) => /^requirements.*\.(txt|in)$/.test(name)) ?? byName((name) => name === 'pyproject.toml');
}

/**
 * A missing third-party module is the dependency manifest's problem, not the importing file's:
 * the manifest to change and the package to add (`yaml` → PyYAML's `pyyaml`; `@scope/pkg/sub` →
 * `@scope/pkg`), or the distribution to declare instead of a wrong name (`slugify` for
 * python-slugify). Undefined for a project module (a wrong import path: the frames say where), a
 * Node builtin, a project without a manifest, or a package the manifest already declares rightly
 * (then it was not installed, which no edit of the manifest fixes).
 */
export function missingPackageTarget(missing: MissingModule, plan: readonly PlanFile[], read: (path: string) => string | undefined): ManifestFix | undefined {
  const paths = plan.map((file) => file.path);
  const manifest = pickManifest(plan, missing.runtime);
  if (!manifest) return undefined;
  const content = read(manifest.path) ?? '';
  if (missing.runtime === 'python') {
    const top = missing.module.split('.')[0] ?? missing.module;
    if (isPythonProjectModule(top, paths)) return undefined;
    const declared = declaredPython(content);
    const add = distributionOfImport(top);
    if (declared.includes(add)) return undefined;
    // Declared under a name that is not the distribution providing it (`yaml` for PyYAML): pip
    // installs something else, or nothing.
    const wrong = declared.find((name) => importNamesOfDistribution(name).includes(top));
    if (wrong) return { manifest, add, why: `${missing.said}: ${manifest.path} declares ${wrong}, but the import "${top}" comes from the distribution ${add}; declare ${add} instead` };
    const renamed = normalizeDistribution(top) === add ? '' : ` (the distribution that provides the import "${top}")`;
    return { manifest, add, why: `${missing.said}: a package the code imports is not declared; add ${add}${renamed} to ${manifest.path}` };
  }
  if (/^(\.|\/|node:|file:)/.test(missing.module)) return undefined;
  const add = npmPackageOf(missing.module);
  if (declaredNode(content).includes(add)) return undefined;
  return { manifest, add, why: `${missing.said}: a package the code imports is not declared; add "${add}" to the dependencies in ${manifest.path}` };
}
