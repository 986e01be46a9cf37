import type { ProjectFiles } from '../../../../src-main/pipeline/validate/ProjectFiles.ts';

/** A project held in memory: path → content. */
export function projectOf(files: Record<string, string> = {}): ProjectFiles {
  return { paths: Object.keys(files), read: (path) => files[path] };
}
