import type { EventName, EventPayload } from '../../src-shared/contract.ts';
import { scrubKnownSecretsDeep } from '../secrets/scrubSecrets.ts';

export type EventListener = <E extends EventName>(event: E, payload: EventPayload<E>) => void;

/** Fans core events out to every connected face (Electron windows, bridge sockets, tests). */
export class EventBus {
  readonly #listeners = new Set<EventListener>();

  subscribe(listener: EventListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /**
   * Every payload is scrubbed once, before any face sees it: of the keys in use everywhere, and
   * of anything key-shaped in the fields that carry an error or a server's words (a download's
   * failure, a restart's reason).
   */
  emit<E extends EventName>(event: E, payload: EventPayload<E>): void {
    const safe = scrubKnownSecretsDeep(payload, undefined, { fullyScrubbedFields: ['message', 'reason', 'error'] });
    for (const listener of this.#listeners) {
      try {
        listener(event, safe);
      } catch (error) {
        // One broken subscriber (a closed socket, a destroyed window) must not starve the others.
        console.error(`Event listener for ${event} failed:`, error);
      }
    }
  }
}
