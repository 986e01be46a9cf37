import { AppError } from '../../src-shared/AppError.ts';
import { checkProjectPath } from '../../src-shared/pipeline/checkProjectPath.ts';
import { maxFileChars } from '../../src-shared/pipeline/plan.ts';

/** A generated file as the pipeline hands it to an export. */
export interface ProjectFile {
  path: string;
  content: string;
}

/** A file ready to write: its normalised path and its UTF-8 bytes. */
export interface ExportFile {
  path: string;
  data: Uint8Array;
}

/** Where the provenance goes; `.service-creator/` is reserved, so no generated file can collide. */
export const provenanceFilePath = '.service-creator/provenance.json';

const encoder = new TextEncoder();

/**
 * Checks every file of an export before anything touches the disk, and returns them normalised.
 * Paths come from a model, so they are checked again here with the same rules as the plan
 * (`checkProjectPath`): the export is the last gate before the user's disk. Two paths that the
 * user's disk could store as one (case or Unicode normal form differ, as on Windows and macOS)
 * are refused rather than letting one silently overwrite the other, and so is a path that is
 * both a file and the folder of another. Throws INVALID_INPUT naming the file.
 */
export function prepareExportFiles(files: readonly ProjectFile[], provenance: unknown): ExportFile[] {
  if (!Array.isArray(files) || files.length === 0) throw new AppError('INVALID_INPUT', 'Cannot export: the project has no files');
  const total = files.length;
  const prepared: ExportFile[] = [];
  /** Folded path → the first file with it, and the folders that files imply. */
  const filesSeen = new Map<string, { path: string; number: number }>();
  const foldersSeen = new Map<string, string>();
  files.forEach((file, index) => {
    const where = `file ${index + 1} of ${total}`;
    const check = checkProjectPath(file?.path);
    if (!check.ok) throw new AppError('INVALID_INPUT', `Cannot export ${where}: ${check.problem}`);
    const path = check.path;
    const shown = `${JSON.stringify(path)} (${where})`;
    if (typeof file.content !== 'string') throw new AppError('INVALID_INPUT', `Cannot export ${shown}: its content is ${typeof file.content}, not text`);
    if (file.content.length > maxFileChars) {
      throw new AppError('INVALID_INPUT', `Cannot export ${shown}: it has ${file.content.length} characters, more than the ${maxFileChars} a file may have`);
    }
    const folded = fold(path);
    const first = filesSeen.get(folded);
    if (first !== undefined) {
      const problem =
        first.path === path
          ? `it appears twice (also file ${first.number})`
          : `it and ${JSON.stringify(first.path)} (file ${first.number}) would be the same file on a case-insensitive disk`;
      throw new AppError('INVALID_INPUT', `Cannot export ${shown}: ${problem}`);
    }
    const folder = foldersSeen.get(folded);
    if (folder !== undefined) throw new AppError('INVALID_INPUT', `Cannot export ${shown}: another file needs ${JSON.stringify(folder)} to be a folder`);
    const segments = path.split('/');
    for (let end = 1; end < segments.length; end += 1) {
      const parent = segments.slice(0, end).join('/');
      const clash = filesSeen.get(fold(parent));
      if (clash !== undefined) throw new AppError('INVALID_INPUT', `Cannot export ${shown}: ${JSON.stringify(clash.path)} (file ${clash.number}) is a file, so it cannot also be a folder`);
      foldersSeen.set(fold(parent), parent);
    }
    filesSeen.set(folded, { path, number: index + 1 });
    prepared.push({ path, data: encoder.encode(file.content) });
  });
  if (provenance !== undefined) prepared.push({ path: provenanceFilePath, data: encoder.encode(provenanceText(provenance)) });
  return prepared;
}

/** The key two paths share when a case-insensitive or normalising disk would store them as one. */
function fold(path: string): string {
  return path.normalize('NFC').toLowerCase();
}

function provenanceText(provenance: unknown): string {
  let text: string | undefined;
  try {
    text = JSON.stringify(provenance, null, 2);
  } catch (error) {
    throw new AppError('INVALID_INPUT', `Cannot write ${provenanceFilePath}: the provenance is not JSON (${error instanceof Error ? error.message : String(error)})`, { cause: error });
  }
  if (text === undefined) throw new AppError('INVALID_INPUT', `Cannot write ${provenanceFilePath}: the provenance is a ${typeof provenance}, not JSON`);
  return `${text}\n`;
}
