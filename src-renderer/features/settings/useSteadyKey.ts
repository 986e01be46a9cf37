import { useState } from 'react';

export interface SteadyKey {
  /** The fields' React key: the stored value's, held still while this page's own save is under way. */
  key: string;
  /** Runs this page's save with the key held still. */
  whileSaving: <T>(save: () => Promise<T>) => Promise<T>;
}

/**
 * The key of fields that start afresh from stored settings when these change elsewhere (the CLI,
 * another window). The settings store shows a save at once and puts the old value back when the
 * core refuses it; keyed by the stored value alone, the fields started afresh on both, so a
 * refused save lost what was typed. Held still during the save, they start afresh only once it
 * is taken.
 */
export function useSteadyKey(storedKey: string): SteadyKey {
  const [held, setHeld] = useState<string | null>(null);
  return {
    key: held ?? storedKey,
    whileSaving: async (save) => {
      setHeld(storedKey);
      try {
        return await save();
      } finally {
        setHeld(null);
      }
    },
  };
}
