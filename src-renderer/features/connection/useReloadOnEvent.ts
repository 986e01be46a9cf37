import { useEffect, useRef } from 'react';
import type { EventName, EventPayload } from '../../../src-shared/contract.ts';
import { spacedCalls } from '../../ui/spacedCalls.ts';
import { subscribeToCore } from './subscribeToCore.ts';

/**
 * While the component is shown, runs `reload` when the core sends `event` (and `wanted` says the
 * payload matters), at most once every `gapMs` (spacedCalls): for figures that are costly to
 * compute (usage summaries, health, the cache's size), so that another process making many calls
 * does not make this page ask for them on every one, while the last of them is always shown.
 */
export function useReloadOnEvent<E extends EventName>(event: E, reload: () => unknown, gapMs: number, wanted: (payload: EventPayload<E>) => boolean = () => true): void {
  const latest = useRef({ reload, wanted });
  useEffect(() => {
    latest.current = { reload, wanted };
  });
  useEffect(() => {
    const calls = spacedCalls(() => void latest.current.reload(), gapMs);
    const stop = subscribeToCore(event, (payload) => {
      if (latest.current.wanted(payload)) calls.request();
    });
    return () => {
      stop();
      calls.stop();
    };
  }, [event, gapMs]);
}
