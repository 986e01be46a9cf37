import type { FileVersionView } from '../../../src-shared/pipeline/pipelineTypes.ts';

// By reason; a reason added later shows as its own name until it gets words here.
const reasonLabels: Readonly<Record<string, string>> = {
  generate: 'first draft',
  format: 'formatted',
  fix: 'fix',
  consistency: 'cross-file fix',
  review: 'review fix',
  docs: 'documentation',
  repair: 'repair after tests',
};

/** "Version 2: fix (1 problem)", for the version pickers. */
export function versionLabel(version: FileVersionView, index: number): string {
  const problems = version.problems.length === 0 ? 'valid' : `${version.problems.length} ${version.problems.length === 1 ? 'problem' : 'problems'}`;
  return `Version ${index + 1}: ${reasonLabels[version.reason] ?? version.reason} (${problems})`;
}
