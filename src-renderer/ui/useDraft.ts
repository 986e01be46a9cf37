import { useState } from 'react';
import { dropDraft, readDraft, writeDraft } from './draftStorage.ts';

export interface Draft<T> {
  value: T;
  /** The value came back from storage (typed before a reload or restart): say so, quietly. */
  restored: boolean;
  set: (value: T) => void;
  /** Sent or thrown away: forget it (the value goes back to `empty`). */
  discard: () => void;
}

/**
 * A value the user is typing, kept under `key` (see draftStorage) until it is sent or discarded.
 * `isValue` checks what storage gives back (it may be from an older version of the app);
 * `empty` is the value with nothing typed, which is not kept.
 */
export function useDraft<T>(key: string | null, empty: T, isValue: (stored: unknown) => stored is T, isEmpty: (value: T) => boolean): Draft<T> {
  const [state, setState] = useState(() => {
    const stored = key === null ? undefined : readDraft(key);
    return isValue(stored) && !isEmpty(stored) ? { value: stored, restored: true } : { value: empty, restored: false };
  });
  return {
    value: state.value,
    restored: state.restored,
    set: (value) => {
      setState({ value, restored: state.restored && !isEmpty(value) });
      if (key === null) return;
      if (isEmpty(value)) dropDraft(key);
      else writeDraft(key, value);
    },
    discard: () => {
      setState({ value: empty, restored: false });
      if (key !== null) dropDraft(key);
    },
  };
}

export const isString = (value: unknown): value is string => typeof value === 'string';
export const isBlank = (value: string): boolean => value.trim() === '';
