import { useState } from 'react';

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
}

/**
 * An editable copy of a value that comes from the core: it follows the source while the user has
 * not changed it, and keeps the user's changes (flagged `outdated`) when the source moves on
 * under them. `key` identifies the source's content.
 */
export function useSyncedDraft<T>(key: string, fromSource: () => T): SyncedDraft<T> {
  const [value, setValue] = useState(fromSource);
  const [syncedKey, setSyncedKey] = useState(key);
  const [dirty, setDirty] = useState(false);
  // Adjusting state while rendering (not in an effect) so the stale copy is never shown.
  if (key !== syncedKey && !dirty) {
    setSyncedKey(key);
    setValue(fromSource());
  }
  return {
    value,
    dirty,
    outdated: dirty && key !== syncedKey,
    edit: (update) => {
      setValue(update);
      setDirty(true);
    },
    discard: () => {
      setDirty(false);
      setSyncedKey('');
    },
    markSaved: () => {
      setDirty(false);
    },
  };
}
