import { AppError } from '../../src-shared/AppError.ts';
import { exportProject } from '../export/exportProject.ts';
import { exportZip } from '../export/exportZip.ts';
import type { ProtectedFolder } from '../paths/protectedFolders.ts';
import type { AuditRowView } from '../../src-shared/domain/audit.ts';
import type { PipelineRepository, StoredRun } from '../store/PipelineRepository.ts';
import { buildProvenance, type GeneratorInfo } from './buildProvenance.ts';

export interface ExportOptions {
  outDir: string;
  zip?: boolean;
  force?: boolean;
  gitInit?: boolean;
}

export interface ExportSummary {
  path: string;
  files: number;
  bytes: number;
  commit?: string;
  leftoverBackup?: string;
}

export interface ExportDeps {
  runs: Pick<PipelineRepository, 'files' | 'versions' | 'findings'>;
  generator: GeneratorInfo;
  now?: () => Date;
  /** The audit trail's rows for the run's requests that left the machine (written into the provenance). */
  cloudRequestsOf?: (runId: string) => readonly AuditRowView[];
  /** Folders the export may not replace, hold or enter; by default those of the default data folder. */
  protectedFolders?: readonly ProtectedFolder[];
}

/**
 * Writes a finished run's files and `.service-creator/provenance.json` to a folder (atomically)
 * or a zip. A run with failed or missing files is refused: there is nothing complete to export.
 */
export async function exportStoredRun({ runs, generator, now = () => new Date(), protectedFolders, cloudRequestsOf }: ExportDeps, run: StoredRun, options: ExportOptions): Promise<ExportSummary> {
  const files = runs.files(run.id);
  const unfinished = files.filter((file) => file.status !== 'done' || file.content === undefined);
  if (run.status !== 'done' || unfinished.length > 0) {
    const which = unfinished.slice(0, 5).map((file) => `${file.path} (${file.status})`).join(', ');
    throw new AppError('CONFLICT', `Only a finished run can be exported; this one is ${run.status}${which ? `, with files not done: ${which}` : ''}`);
  }
  const contents = files.map((file) => ({ path: file.path, content: file.content ?? '' }));
  const provenance = buildProvenance({
    generator,
    run,
    files,
    versions: (path) => runs.versions(run.id, path),
    findings: runs.findings(run.id),
    exportedAt: now(),
    ...(cloudRequestsOf ? { cloudRequests: cloudRequestsOf(run.id) } : {}),
  });
  if (options.zip) {
    const written = await exportZip({ files: contents, zipPath: options.outDir, force: options.force ?? false, provenance, ...(protectedFolders ? { protectedFolders } : {}) });
    return { path: written.zipPath, files: written.files, bytes: written.bytes };
  }
  const written = await exportProject({ files: contents, outDir: options.outDir, force: options.force ?? false, gitInit: options.gitInit ?? false, provenance, ...(protectedFolders ? { protectedFolders } : {}) });
  return {
    path: written.outDir,
    files: written.files,
    bytes: written.bytes,
    ...(written.commit ? { commit: written.commit } : {}),
    ...(written.leftoverBackup ? { leftoverBackup: written.leftoverBackup } : {}),
  };
}
