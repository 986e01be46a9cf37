import { useModelsStore } from './modelsStore.ts';

/**
 * Remove for one local model. The core refuses a model the routing uses and names the tasks;
 * that message is shown here with "Remove anyway", so nothing routed disappears unannounced.
 */
export function ModelRemove({ id }: { id: string }) {
  const remove = useModelsStore((state) => state.remove);
  const removing = useModelsStore((state) => state.removing);
  const conflict = useModelsStore((state) => state.removeConflict);
  const removeError = useModelsStore((state) => state.removeError);
  const clear = useModelsStore((state) => state.clearRemove);
  const refused = conflict?.id === id ? conflict : null;

  return (
    <div className="model-remove">
      {refused === null ? (
        <button type="button" className="button button-quiet" data-testid="model-remove" aria-label={`Remove ${id}`} disabled={removing !== null} onClick={() => void remove(id)}>
          {removing === id ? 'Removing…' : 'Remove'}
        </button>
      ) : (
        <div className="notice" role="alert" data-testid="model-remove-conflict">
          <span>{refused.message}</span>
          <button type="button" className="button" data-testid="model-remove-anyway" onClick={() => void remove(id, true)}>
            Remove anyway
          </button>
          <button type="button" className="button button-quiet" onClick={clear}>
            Keep it
          </button>
        </div>
      )}
      {removeError?.id === id ? (
        <p className="form-error" role="alert">
          {removeError.message}
        </p>
      ) : null}
    </div>
  );
}
