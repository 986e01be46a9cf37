/**
 * The pyrightconfig.json of a project check: only what breaks when the code runs is an error
 * (undefined names, wrong calls, unknown attributes and members, import cycles, imports that
 * resolve to nothing); everything pyright's stricter modes add (types that merely disagree,
 * Optional access, unused names) stays off, since generated code is full of them and runs fine.
 *
 * Hermetic: pyright resolves third-party imports through a Python environment. `venv` points it
 * at an empty one of ours, so it never asks the host's `python` for its site-packages (it falls
 * back to the interpreter only when the venv has no site-packages folder), and the check gives
 * the same answer on every machine: the standard library and typeshed's bundled stubs, the
 * project, nothing else.
 */
export function pyrightConfig(options: { venvPath: string; venv: string; extraPaths: readonly string[] }): Record<string, unknown> {
  return {
    include: ['.'],
    venvPath: options.venvPath,
    venv: options.venv,
    extraPaths: options.extraPaths,
    pythonVersion: pyrightPythonVersion,
    pythonPlatform: 'Linux',
    typeCheckingMode: 'off',
    useLibraryCodeForTypes: false,
    enableTypeIgnoreComments: true,
    reportUndefinedVariable: 'error',
    reportCallIssue: 'error',
    reportAttributeAccessIssue: 'error',
    reportImportCycles: 'error',
    reportMissingImports: 'error',
    // A bundled stub without the package (`import requests` with nothing installed): whether that
    // is a problem depends on the project's declared dependencies, decided afterwards.
    reportMissingModuleSource: 'error',
    reportAbstractUsage: 'error',
    reportUnsupportedDunderAll: 'none',
  };
}

/** The Python of the sandbox image; the empty environment is laid out for it. */
export const pyrightPythonVersion = '3.12';
