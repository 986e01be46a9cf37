import type { FileKind, FileLanguage, Plan, PlanFile } from '../../../src-shared/pipeline/plan.ts';

/** One file of the plan as the editor holds it: lists as the text the user types. */
export interface DraftFile {
  /** Stable across edits (a row's identity while its path is being typed). */
  key: number;
  path: string;
  purpose: string;
  language: FileLanguage;
  kind: FileKind;
  /** Paths separated by commas or new lines. */
  dependsOn: string;
  /** One interface entry per line. */
  exports: string;
}

export interface PlanDraft {
  files: DraftFile[];
  install: string;
  test: string;
}

let nextKey = 1;

export function toDraft(plan: Plan): PlanDraft {
  return {
    files: plan.files.map((file) => ({
      key: nextKey++,
      path: file.path,
      purpose: file.purpose,
      language: file.language,
      kind: file.kind,
      dependsOn: file.dependsOn.join(', '),
      exports: file.exports.join('\n'),
    })),
    install: plan.install,
    test: plan.test,
  };
}

const splitList = (text: string, separator: RegExp) =>
  text
    .split(separator)
    .map((entry) => entry.trim())
    .filter((entry) => entry !== '');

/** The plan the draft stands for, as `pipeline.updatePlan` takes it (not yet checked). */
export function fromDraft(draft: PlanDraft): Plan {
  return {
    files: draft.files.map(
      (file): PlanFile => ({
        path: file.path.trim(),
        purpose: file.purpose.trim(),
        language: file.language,
        kind: file.kind,
        dependsOn: splitList(file.dependsOn, /[,\n]/),
        exports: splitList(file.exports, /\n/),
      }),
    ),
    install: draft.install.trim(),
    test: draft.test.trim(),
  };
}

export function newDraftFile(): DraftFile {
  return { key: nextKey++, path: '', purpose: '', language: 'python', kind: 'source', dependsOn: '', exports: '' };
}

/**
 * Renames one file; the files that depend on it follow the new name (unless another file still
 * has the old one, so a half-typed duplicate does not capture their dependencies).
 */
export function renameFile(draft: PlanDraft, key: number, path: string): PlanDraft {
  const old = draft.files.find((file) => file.key === key)?.path.trim();
  const shared = draft.files.some((file) => file.key !== key && file.path.trim() === old);
  const follow = old !== undefined && old !== '' && !shared;
  return {
    ...draft,
    files: draft.files.map((file) => {
      if (file.key === key) return { ...file, path };
      if (!follow) return file;
      const dependencies = splitList(file.dependsOn, /[,\n]/);
      if (!dependencies.includes(old)) return file;
      return { ...file, dependsOn: dependencies.map((dependency) => (dependency === old ? path.trim() : dependency)).join(', ') };
    }),
  };
}

/** Removes one file, and it from the dependencies of the others. */
export function removeFile(draft: PlanDraft, key: number): PlanDraft {
  const gone = draft.files.find((file) => file.key === key)?.path.trim();
  const shared = draft.files.some((file) => file.key !== key && file.path.trim() === gone);
  return {
    ...draft,
    files: draft.files
      .filter((file) => file.key !== key)
      .map((file) => {
        if (gone === undefined || shared) return file;
        const dependencies = splitList(file.dependsOn, /[,\n]/);
        return dependencies.includes(gone) ? { ...file, dependsOn: dependencies.filter((dependency) => dependency !== gone).join(', ') } : file;
      }),
  };
}

/**
 * A plan draft kept from an earlier visit (see useSyncedDraft), checked for shape (it may come
 * from an older version of the app) and given fresh row keys; null when it is not one.
 */
export function restoredDraft(value: unknown): PlanDraft | null {
  if (typeof value !== 'object' || value === null) return null;
  const candidate = value as Partial<PlanDraft>;
  if (typeof candidate.install !== 'string' || typeof candidate.test !== 'string' || !Array.isArray(candidate.files)) return null;
  const textFields = ['path', 'purpose', 'language', 'kind', 'dependsOn', 'exports'] as const;
  const files: unknown[] = candidate.files;
  if (!files.every((file) => typeof file === 'object' && file !== null && textFields.every((field) => typeof (file as Record<string, unknown>)[field] === 'string'))) return null;
  return { ...candidate, install: candidate.install, test: candidate.test, files: (files as DraftFile[]).map((file) => ({ ...file, key: nextKey++ })) };
}
