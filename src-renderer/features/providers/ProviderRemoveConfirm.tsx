import { useState, type KeyboardEvent } from 'react';
import type { ProviderConfig } from '../../../src-shared/domain/provider.ts';
import { FormError } from '../../ui/FormError.tsx';
import { takesApiKey, typeInfo } from './providerTypeFields.ts';
import { useProvidersStore } from './providersStore.ts';

export interface ProviderRemoveConfirmProps {
  config: ProviderConfig;
  onCancel: () => void;
}

/** The second step of removing a provider. Focus starts on Cancel; Escape cancels. */
export function ProviderRemoveConfirm({ config, onCancel }: ProviderRemoveConfirmProps) {
  const [removing, setRemoving] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const remove = useProvidersStore((state) => state.remove);
  const info = useProvidersStore((state) => typeInfo(state.types, config.type));

  const confirm = async () => {
    setRemoving(true);
    setError(null);
    const failure = await remove(config.id);
    if (failure === null) return; // the row goes with the provider
    setRemoving(false);
    setError(failure.message);
  };

  const cancelOnEscape = (event: KeyboardEvent<HTMLDivElement>) => {
    if (event.key !== 'Escape') return;
    event.preventDefault();
    event.stopPropagation();
    onCancel();
  };

  return (
    <div className="provider-remove" role="group" aria-label={`Remove ${config.label}`} onKeyDown={cancelOnEscape}>
      <span className="provider-remove-question">
        Remove this provider?{takesApiKey(info) ? ' Its stored API key is deleted from the keychain too.' : ''}
      </span>
      <button type="button" className="button button-danger" data-testid="provider-remove-confirm" disabled={removing} onClick={() => void confirm()}>
        Remove
      </button>
      <button type="button" className="button" autoFocus onClick={onCancel}>
        Cancel
      </button>
      <FormError message={error} />
    </div>
  );
}
