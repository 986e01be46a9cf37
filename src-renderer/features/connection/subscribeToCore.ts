import type { EventName, EventPayload } from '../../../src-shared/contract.ts';
import { getApi } from '../../api/getApi.ts';
import { errorText } from '../../ui/errorText.ts';
import { useConnectionStore } from './connectionStore.ts';

/** `api.on` that reports a missing API on the banner instead of throwing; returns the unsubscribe. */
export function subscribeToCore<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void): () => void {
  try {
    return getApi().on(event, listener);
  } catch (error) {
    useConnectionStore.getState().report({ message: errorText(error), retryable: false });
    return () => undefined;
  }
}
