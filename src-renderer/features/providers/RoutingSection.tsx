import { taskKinds } from '../../../src-shared/domain/provider.ts';
import { FormError } from '../../ui/FormError.tsx';
import { connectionErrorCodes } from '../connection/connectionErrorCodes.ts';
import { useSettingsStore } from '../settings/settingsStore.ts';
import { useProvidersStore } from './providersStore.ts';
import { useRoutingStore } from './routingStore.ts';
import { RoutingTask } from './RoutingTask.tsx';

/** Which provider and model each kind of task goes to, in order of preference. */
export function RoutingSection() {
  const status = useRoutingStore((state) => state.status);
  const loadError = useRoutingStore((state) => state.loadError);
  const dirty = useRoutingStore((state) => state.dirty);
  const outdated = useRoutingStore((state) => state.outdated);
  const saving = useRoutingStore((state) => state.saving);
  const saveError = useRoutingStore((state) => state.saveError);
  const justSaved = useRoutingStore((state) => state.justSaved);
  const weightInError = useRoutingStore((state) => state.weightProblems.length > 0);
  const load = useRoutingStore((state) => state.load);
  const save = useRoutingStore((state) => state.save);
  const discard = useRoutingStore((state) => state.discard);
  const privacyMode = useSettingsStore((state) => state.settings.privacyMode);
  const noProviders = useProvidersStore((state) => state.status === 'ready' && state.providers.length === 0);

  return (
    <section className="panel" aria-labelledby="routing-heading" data-testid="routing">
      <h3 className="panel-title" id="routing-heading">
        Routing
      </h3>
      <p className="panel-description">
        For each kind of task, the provider and model to try first, then the next when one fails. An empty list means every
        enabled provider in list order, local first in Local first mode. The privacy mode always applies: in Local only, cloud
        targets are skipped.
      </p>
      {status === 'loading' || status === 'idle' ? (
        <p className="muted" role="status">
          Loading routing…
        </p>
      ) : null}
      {loadError === null ? null : (
        <div className="notice notice-error" role="alert">
          <span>{connectionErrorCodes.has(loadError.code) ? 'Could not load the routing.' : loadError.message}</span>
          <button type="button" className="button" onClick={() => void load()}>
            Try again
          </button>
        </div>
      )}
      {status === 'ready' && noProviders ? (
        <p className="routing-no-providers" data-testid="routing-no-providers">
          Add a provider above to choose where each task goes.
        </p>
      ) : null}
      {status === 'ready' && outdated && !saving ? (
        <p className="notice" role="status" data-testid="routing-outdated">
          The routing changed elsewhere while you edited it. Saving replaces it with yours; Discard shows the new one.
        </p>
      ) : null}
      {status === 'ready' ? (
        <>
          <div className="routing-tasks">
            {taskKinds.map((task) => (
              <RoutingTask key={task} task={task} privacyMode={privacyMode} />
            ))}
          </div>
          <div className="routing-actions">
            <button type="button" className="button button-primary" data-testid="routing-save" disabled={!dirty || saving || weightInError} onClick={() => void save()}>
              {saving ? <span className="spinner" aria-hidden="true" /> : null}
              Save routing
            </button>
            <button type="button" className="button" disabled={(!dirty && !weightInError) || saving} onClick={discard}>
              Discard changes
            </button>
            <span className="routing-state" role="status" data-testid="routing-state">
              {weightInError ? 'A weight above is not a whole number from 0 to 1000: correct it to save.' : dirty ? 'Unsaved changes' : justSaved ? 'Saved' : ''}
            </span>
          </div>
          <FormError message={saveError} />
        </>
      ) : null}
    </section>
  );
}
