import { useEffect } from 'react';
import type { TaskKind } from '../../../src-shared/domain/provider.ts';
import { useProvidersStore } from '../providers/providersStore.ts';
import { useRoutingStore } from '../providers/routingStore.ts';
import { useRoutingAnswersStore } from './routingAnswersStore.ts';
import './setup.css';

/**
 * "Answered now by MODEL on PROVIDER: why" under a task on the routing page. Asked again when the
 * saved routing or the providers change (the core decides, with the privacy mode and keys).
 */
export function RoutingAnswer({ task }: { task: TaskKind }) {
  const answer = useRoutingAnswersStore((state) => state.answers[task]);
  const load = useRoutingAnswersStore((state) => state.load);
  const saved = useRoutingStore((state) => state.saved);
  const providers = useProvidersStore((state) => state.providers);
  useEffect(() => {
    void load();
  }, [load, saved, providers]);
  if (!answer) return null;
  return (
    <p className="routing-answer muted" data-testid={`routing-answer-${task}`}>
      {answer.target ? (
        <>
          Answered now by <strong>{answer.target.model}</strong> on {answer.target.providerId}: {answer.why}.
        </>
      ) : (
        <>No model answers this task now. {answer.why}.</>
      )}
    </p>
  );
}
