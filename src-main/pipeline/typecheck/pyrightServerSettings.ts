import type { PyrightDiagnostic } from './pyrightReport.ts';

/** An LSP diagnostic as pyright publishes it (the parts we read). */
export interface LspDiagnostic {
  range?: { start: { line: number; character: number }; end: { line: number; character: number } };
  severity?: number;
  code?: string | number;
  message: string;
}

/**
 * The client settings the language server asks for (workspace/configuration). The analysis
 * rules themselves come from each workspace's pyrightconfig.json (the CLI path's, which wins over
 * settings); these keep the server to what a check needs: only open files are checked, no
 * language features, no interpreter named (the config's empty venv is the environment).
 */
const settings: Record<string, unknown> = {
  python: {},
  'python.analysis': { diagnosticMode: 'openFilesOnly', autoSearchPaths: true, useLibraryCodeForTypes: false, typeCheckingMode: 'off', logLevel: 'Error' },
  pyright: { disableLanguageServices: true, disableOrganizeImports: true },
};

export function serverSettings(params: unknown): unknown[] {
  const items = (params as { items?: { section?: string }[] } | undefined)?.items ?? [];
  return items.map((item) => settings[item.section ?? ''] ?? null);
}

const severities = ['error', 'error', 'warning', 'information', 'information'] as const;

/** The LSP diagnostic in the shape of the CLI's JSON report, so both paths map findings alike. */
export function toPyrightDiagnostic(file: string, diagnostic: LspDiagnostic): PyrightDiagnostic {
  return {
    file,
    severity: severities[diagnostic.severity ?? 1] ?? 'information',
    message: String(diagnostic.message),
    ...(diagnostic.range ? { range: diagnostic.range } : {}),
    ...(diagnostic.code !== undefined ? { rule: String(diagnostic.code) } : {}),
  };
}
