/**
 * The other files of the project as generated so far. Validators read through this rather than
 * the disk so they work on a run in progress (and in tests) without writing anything.
 */
export interface ProjectFiles {
  /** Project-relative paths with `/` separators, e.g. `app/models.py`. */
  paths: readonly string[];
  read(path: string): string | undefined;
}
