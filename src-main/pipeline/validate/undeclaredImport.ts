/** One finding of an undeclared third-party import, on the file it names. */
export interface UndeclaredImportFinding {
  path: string;
  line: number;
  message: string;
  /** The package's module as imported. */
  module: string;
}

export interface UndeclaredImport {
  /** The file that imports the package, and the import's 1-based line. */
  importer: string;
  line: number;
  /** The module as imported (`uvicorn`, `zod`). */
  module: string;
  /** The name to declare it by (`pip install`/`npm install` name: `PyYAML` for `yaml`). */
  distribution: string;
  /** The dependency manifest to declare it in; undefined when the project has none yet. */
  manifest: string | undefined;
  /** What the manifest declares now (shown to the importing file's fixer as the alternatives). */
  declared: readonly string[];
  /** The standard library's name for the alternative (`the Python standard library`, `Node's built-in modules`). */
  builtins: string;
}

function list(items: readonly string[], max = 12): string {
  if (items.length === 0) return 'nothing';
  const shown = items.slice(0, max).join(', ');
  return items.length > max ? `${shown} and ${items.length - max} more` : shown;
}

/**
 * An import of a package the project does not declare is a finding on BOTH files: either the
 * manifest is missing the package (the plan wanted it) or the importing file should not use it
 * (the plan says to do without). Asking only one of them leaves the other's good version
 * contradicting it, and the finding never goes away. Every check that reports it (the
 * consistency graph, pyright's and TypeScript's mapping) builds the same words, so the two
 * report the same finding once.
 */
export function undeclaredImportFindings(entry: UndeclaredImport): UndeclaredImportFinding[] {
  const where = entry.manifest ?? 'the dependency manifest';
  const importer: UndeclaredImportFinding = {
    path: entry.importer,
    line: entry.line,
    module: entry.module,
    message: `${entry.importer} line ${entry.line} imports \`${entry.module}\`, which the project does not declare: declare it in ${where}, or use what is declared (${list(entry.declared)}) or ${entry.builtins} instead`,
  };
  if (entry.manifest === undefined) return [importer];
  return [
    {
      path: entry.manifest,
      line: 1,
      module: entry.module,
      message: `${entry.manifest} does not declare \`${entry.distribution}\`: add ${entry.distribution} (the distribution that provides \`${entry.module}\`) — imported by ${entry.importer} line ${entry.line}`,
    },
    importer,
  ];
}
