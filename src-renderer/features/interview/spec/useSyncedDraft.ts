import { useState } from 'react';
import { dropDraft, readDraft, writeDraft } from '../../../ui/draftStorage.ts';

export interface SyncedDraft<T> {
  value: T;
  /** The user changed the value since it last matched the source. */
  dirty: boolean;
  /** The source changed while the user had unsaved changes. */
  outdated: boolean;
  edit: (update: (current: T) => T) => void;
  /** Drops the user's changes: the value follows the source again. */
  discard: () => void;
  /** Marks the value saved: the next source change replaces it. */
  markSaved: () => void;
  /** The unsaved changes came back from an earlier visit (see `keep`). */
  restored: boolean;
}

/** Where unsaved changes are kept until saved or discarded, and how to read them back (null: not a value). */
export interface KeptDraft<T> {
  key: string;
  restore: (stored: unknown) => T | null;
}

/**
 * An editable copy of a value that comes from the core: it follows the source while the user has
 * not changed it, and keeps the user's changes (flagged `outdated`) when the source moves on
 * under them. `key` identifies the source's content.
 */
export function useSyncedDraft<T>(key: string, fromSource: () => T, keep?: KeptDraft<T>): SyncedDraft<T> {
  // Unsaved changes from an earlier visit come back as they were, against the source they were
  // made on (so a source that moved on since shows as `outdated`).
  const [kept] = useState(() => {
    if (keep === undefined) return null;
    const stored = readDraft(keep.key) as { value?: unknown; sourceKey?: unknown } | undefined;
    const value = stored === undefined ? null : keep.restore(stored.value);
    return value === null || typeof stored?.sourceKey !== 'string' ? null : { value, sourceKey: stored.sourceKey };
  });
  const [value, setValue] = useState(() => (kept === null ? fromSource() : kept.value));
  const [syncedKey, setSyncedKey] = useState(kept?.sourceKey ?? key);
  const [dirty, setDirty] = useState(kept !== null);
  const [restored, setRestored] = useState(kept !== null);
  const forget = () => {
    setRestored(false);
    if (keep !== undefined) dropDraft(keep.key);
  };
  // Adjusting state while rendering (not in an effect) so the stale copy is never shown.
  if (key !== syncedKey && !dirty) {
    setSyncedKey(key);
    setValue(fromSource());
  }
  return {
    value,
    dirty,
    outdated: dirty && key !== syncedKey,
    restored,
    edit: (update) => {
      const next = update(value);
      setValue(next);
      setDirty(true);
      if (keep !== undefined) writeDraft(keep.key, { value: next, sourceKey: syncedKey });
    },
    discard: () => {
      setDirty(false);
      setSyncedKey('');
      forget();
    },
    markSaved: () => {
      setDirty(false);
      forget();
    },
  };
}
