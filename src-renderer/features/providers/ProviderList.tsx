import { useState } from 'react';
import type { ProviderStatus } from '../../../src-shared/domain/providerStatus.ts';
import { EmptyState } from '../../ui/EmptyState.tsx';
import { connectionErrorCodes } from '../connection/connectionErrorCodes.ts';
import { ProviderForm } from './ProviderForm.tsx';
import { useProviderFormStore } from './providerFormStore.ts';
import { ProviderItem } from './ProviderItem.tsx';
import { useProvidersStore } from './providersStore.ts';

/** The providers panel: the add button or form, then the list, a load error, or the empty state. */
export function ProviderList() {
  const providers = useProvidersStore((state) => state.providers);
  const invalid = useProvidersStore((state) => state.invalid);
  const status = useProvidersStore((state) => state.status);
  const loadError = useProvidersStore((state) => state.loadError);
  const load = useProvidersStore((state) => state.load);
  const adding = useProviderFormStore((state) => state.open?.kind === 'add');
  const session = useProviderFormStore((state) => state.session);
  const openAdd = useProviderFormStore((state) => state.openAdd);
  const close = useProviderFormStore((state) => state.close);
  const editingId = useProviderFormStore((state) => (state.open?.kind === 'edit' ? state.open.id : null));
  const { shown, gone } = useKeptWhileEdited(providers, editingId);

  const loadErrorText =
    loadError === null ? null : connectionErrorCodes.has(loadError.code) ? 'Could not load the providers.' : loadError.message;
  const empty = status === 'ready' && shown.length === 0;

  return (
    <section className="panel" aria-labelledby="providers-heading">
      <div className="panel-heading-row">
        <h3 className="panel-title" id="providers-heading">
          Providers
        </h3>
        {adding || empty ? null : (
          <button type="button" className="button button-primary" data-testid="provider-add-button" onClick={openAdd}>
            Add a provider
          </button>
        )}
      </div>
      {adding ? <ProviderForm key={session} onClose={close} /> : null}
      {status === 'loading' || status === 'idle' ? (
        <p className="muted" role="status" data-testid="providers-loading">
          Loading providers…
        </p>
      ) : null}
      {loadErrorText === null ? null : (
        <div className="notice notice-error" role="alert" data-testid="providers-load-error">
          <span>
            {status === 'ready' ? 'The list may be out of date. ' : null}
            {loadErrorText}
          </span>
          <button type="button" className="button" onClick={() => void load()}>
            {status === 'ready' ? 'Reload' : 'Try again'}
          </button>
        </div>
      )}
      {invalid.length === 0 ? null : (
        <div className="notice notice-error" role="alert" data-testid="providers-invalid">
          <span>
            {invalid.length === 1 ? 'One stored provider cannot be read' : `${invalid.length} stored providers cannot be read`} and{' '}
            {invalid.length === 1 ? 'is' : 'are'} not used:{' '}
            {invalid.map((entry) => `${entry.id} (${entry.problem})`).join('; ')}
          </span>
        </div>
      )}
      {empty && !adding ? (
        <EmptyState title="No model providers configured yet" testId="providers-empty">
          <p>
            On-device models come first: llama.cpp inside this app, or Ollama and other servers running on this machine. Your
            conversations stay here. Cloud providers (OpenAI, Anthropic) are used only when the privacy mode allows it.
          </p>
          <button type="button" className="button button-primary" data-testid="provider-add-button" onClick={openAdd}>
            Add a provider
          </button>
        </EmptyState>
      ) : null}
      {shown.length === 0 ? null : (
        <ul className="provider-list" data-testid="provider-list" aria-label="Providers">
          {shown.map((status) => (
            <ProviderItem key={status.config.id} status={status} removed={status.config.id === gone} />
          ))}
        </ul>
      )}
    </section>
  );
}

/**
 * The providers to list: those stored, and the one being edited when it was removed elsewhere
 * meanwhile (the CLI, another window). That one stays, as it was last stored, so what was typed
 * in its form is kept (saving adds it again); `gone` names it (else null).
 */
function useKeptWhileEdited(providers: ProviderStatus[], editingId: string | null): { shown: ProviderStatus[]; gone: string | null } {
  const current = editingId === null ? undefined : providers.find((provider) => provider.config.id === editingId);
  const [kept, setKept] = useState<ProviderStatus | null>(null);
  // Adjusted while rendering (not in an effect): the edited provider as it was last stored.
  if (current !== undefined && current !== kept) setKept(current);
  if (editingId === null || current !== undefined || kept?.config.id !== editingId) return { shown: providers, gone: null };
  return { shown: [...providers, kept], gone: editingId };
}
