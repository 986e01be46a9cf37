import { useState } from 'react';
import type { ErrorPayload } from '../../src-shared/envelope.ts';

export interface Action {
  /** True from the click until the core answers. */
  busy: boolean;
  /** Why the last try failed, until the next one. */
  error: string | null;
  start: () => Promise<void>;
}

/** A button's call to the core (cancel, retry): busy while it runs, and the error it gave, to show next to it. */
export function useAction(call: () => Promise<ErrorPayload | null>): Action {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  return {
    busy,
    error,
    start: async () => {
      setBusy(true);
      setError(null);
      const failure = await call();
      setBusy(false);
      if (failure) setError(failure.message);
    },
  };
}
