import { resolve } from 'node:path';
import { AppError } from '../../../src-shared/AppError.ts';
import type { ChannelOutput } from '../../../src-shared/contract.ts';
import { nodeExportFileSystem } from '../../export/ExportFileSystem.ts';
import { inspectExportTarget } from '../../export/inspectExportTarget.ts';
import type { ProtectedFolder } from '../../paths/protectedFolders.ts';
import type { CliContext } from '../CliContext.ts';

/** Where and how a run is exported (`--out`, `--zip`, `--force`, `--git`). */
export interface ExportChoice {
  out: string;
  zip: boolean;
  force: boolean;
  git: boolean;
}

export type ExportSummary = ChannelOutput<'pipeline.export'>;

/** The absolute export path: with `--zip`, a name without `.zip` gets it (`--out edge` → `edge.zip`). */
export function exportPath(choice: Pick<ExportChoice, 'out' | 'zip'>): string {
  const path = resolve(choice.out);
  return choice.zip && !/\.zip$/i.test(path) ? `${path}.zip` : path;
}

/**
 * Refuses a target the export would refuse (a non-empty folder or an existing zip without
 * `--force`, a missing parent, a link, a protected folder) before any model is asked, so a long
 * run never ends in "cannot write there".
 */
export async function checkExportTarget(choice: ExportChoice, protect: readonly ProtectedFolder[]): Promise<void> {
  const target = await inspectExportTarget(exportPath(choice), choice.zip ? 'file' : 'folder', nodeExportFileSystem, protect);
  if (target.state !== 'present' || choice.force) return;
  throw occupied(target.path, choice.zip);
}

/**
 * Writes a finished run with its provenance (`pipeline.export`). The core refuses an occupied
 * target in words for every client (TARGET_NOT_EMPTY); here the way to replace it is `--force`.
 */
export async function exportRun(ctx: CliContext, runId: string, choice: ExportChoice): Promise<ExportSummary> {
  const outDir = exportPath(choice);
  try {
    return await ctx.call('pipeline.export', { runId, outDir, zip: choice.zip, force: choice.force, gitInit: choice.git });
  } catch (error) {
    if (error instanceof AppError && error.code === 'TARGET_NOT_EMPTY' && !choice.force) throw occupied(outDir, choice.zip, error);
    throw error;
  }
}

function occupied(path: string, zip: boolean, cause?: unknown): AppError {
  return new AppError('TARGET_NOT_EMPTY', `${path} ${zip ? 'exists already' : 'is not empty'}; pass --force to replace it`, cause === undefined ? {} : { cause });
}

/** "Exported to /x (10 files, 12.3 kB; git commit 1a2b3c4)". */
export function describeExport(summary: ExportSummary): string {
  const commit = summary.commit ? `; git commit ${summary.commit.slice(0, 7)}` : '';
  return `Exported to ${summary.path} (${summary.files} files, ${formatBytes(summary.bytes)}${commit})`;
}

function formatBytes(bytes: number): string {
  if (bytes < 1000) return `${bytes} bytes`;
  if (bytes < 1_000_000) return `${(bytes / 1000).toFixed(1)} kB`;
  return `${(bytes / 1_000_000).toFixed(1)} MB`;
}
