import { parse } from 'smol-toml';
import { importNamesOfDistribution } from './pythonImportNames.ts';
import type { ProjectFiles } from './ProjectFiles.ts';

/** The dependencies a Python project declares, and the import names they provide. */
export interface DeclaredPythonPackages {
  /** The files read, e.g. `requirements.txt`, `pyproject.toml`. */
  sources: string[];
  /** Distribution names as written, e.g. `fastapi`, `PyYAML`. */
  distributions: string[];
  /** Lowercased top-level import names those distributions make importable. */
  importNames: ReadonlySet<string>;
}

interface Requirement {
  name: string;
  extras: string[];
}

/** `name[extra1,extra2] >= 1.0 ; marker` (PEP 508), `name @ url`, `-e git+...#egg=name`. */
function parseRequirement(text: string): Requirement | undefined {
  const line = text.replace(/(^|\s)#.*$/, '').trim();
  if (line === '') return undefined;
  if (line.startsWith('-')) {
    const egg = /#egg=([A-Za-z0-9][A-Za-z0-9._-]*)/.exec(text);
    return egg?.[1] === undefined ? undefined : { name: egg[1], extras: [] };
  }
  const match = /^([A-Za-z0-9][A-Za-z0-9._-]*)\s*(?:\[([^\]]*)\])?/.exec(line);
  if (match?.[1] === undefined) return undefined;
  return { name: match[1], extras: (match[2] ?? '').split(',').filter((extra) => extra.trim() !== '') };
}

function isRequirementsFile(path: string): boolean {
  const name = path.slice(path.lastIndexOf('/') + 1).toLowerCase();
  return /^requirements.*\.(txt|in)$/.test(name) || /(^|\/)requirements\/[^/]+\.(txt|in)$/.test(path.toLowerCase());
}

function asRecord(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

function strings(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : [];
}

/** Requirements of a pyproject.toml: PEP 621 (+ optional deps), PEP 735 groups, Poetry, PDM, uv. */
function pyprojectRequirements(content: string): Requirement[] | undefined {
  let document: Record<string, unknown>;
  try {
    document = parse(content);
  } catch {
    return undefined;
  }
  const project = asRecord(document['project']);
  const tool = asRecord(document['tool']);
  const poetry = asRecord(tool['poetry']);
  const texts = [
    ...strings(project['dependencies']),
    ...Object.values(asRecord(project['optional-dependencies'])).flatMap(strings),
    ...Object.values(asRecord(document['dependency-groups'])).flatMap(strings),
    ...Object.values(asRecord(asRecord(tool['pdm'])['dev-dependencies'])).flatMap(strings),
    ...strings(asRecord(tool['uv'])['dev-dependencies']),
  ];
  const poetryTables = [poetry['dependencies'], poetry['dev-dependencies'], ...Object.values(asRecord(poetry['group'])).map((group) => asRecord(group)['dependencies'])];
  const poetryNames = poetryTables.flatMap((table) =>
    Object.entries(asRecord(table))
      .filter(([name]) => name.toLowerCase() !== 'python')
      .map(([name, spec]): Requirement => ({ name, extras: strings(asRecord(spec)['extras']) })),
  );
  return [...texts.map(parseRequirement).filter((requirement): requirement is Requirement => requirement !== undefined), ...poetryNames];
}

/**
 * Reads the dependency declarations of a Python project (`requirements*.txt`/`.in` anywhere,
 * `requirements/*.txt`, `pyproject.toml`) so an import of a third-party package can be checked
 * against them: generated code that imports an undeclared package fails only in the sandbox,
 * later and more expensively. A pyproject.toml that does not parse contributes nothing (its own
 * syntax check reports it).
 */
export function declaredPythonPackages(project: ProjectFiles): DeclaredPythonPackages {
  const sources: string[] = [];
  const requirements: Requirement[] = [];
  for (const path of project.paths) {
    const name = path.slice(path.lastIndexOf('/') + 1).toLowerCase();
    const content = isRequirementsFile(path) || name === 'pyproject.toml' ? project.read(path) : undefined;
    if (content === undefined) continue;
    if (name === 'pyproject.toml') {
      const found = pyprojectRequirements(content);
      if (found === undefined) continue;
      requirements.push(...found);
    } else {
      requirements.push(...content.split(/\r?\n/).map(parseRequirement).filter((requirement): requirement is Requirement => requirement !== undefined));
    }
    sources.push(path);
  }
  const importNames = new Set(requirements.flatMap((requirement) => importNamesOfDistribution(requirement.name, requirement.extras)).map((name) => name.toLowerCase()));
  return { sources, distributions: [...new Set(requirements.map((requirement) => requirement.name))], importNames };
}
