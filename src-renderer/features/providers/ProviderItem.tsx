import { useState } from 'react';
import type { ProviderStatus } from '../../../src-shared/domain/providerStatus.ts';
import { FormError } from '../../ui/FormError.tsx';
import { formatDateTime } from '../projects/formatDateTime.ts';
import { useSettingsStore } from '../settings/settingsStore.ts';
import { ProviderForm } from './ProviderForm.tsx';
import { useProviderFormStore } from './providerFormStore.ts';
import { keyStateText, locationLabel } from './providerLabels.ts';
import { needsKey, takesApiKey, typeInfo, typeLabel } from './providerTypeFields.ts';
import { ProviderRemoveConfirm } from './ProviderRemoveConfirm.tsx';
import { useProvidersStore } from './providersStore.ts';
import { StateBadge } from './StateBadge.tsx';

/** One provider: live status, what it offers, where it runs, its key, and what can be done with it. */
export function ProviderItem({ status, removed = false }: { status: ProviderStatus; /** Removed elsewhere while its form is open (ProviderList keeps it). */ removed?: boolean }) {
  const { config } = status;
  const [confirmRemove, setConfirmRemove] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [toggling, setToggling] = useState(false);
  const busy = useProvidersStore((state) => state.busy[config.id] === true);
  const types = useProvidersStore((state) => state.types);
  const info = typeInfo(types, config.type);
  const test = useProvidersStore((state) => state.test);
  const update = useProvidersStore((state) => state.update);
  const editing = useProviderFormStore((state) => state.open?.kind === 'edit' && state.open.id === config.id);
  const session = useProviderFormStore((state) => state.session);
  const openEdit = useProviderFormStore((state) => state.openEdit);
  const closeForm = useProviderFormStore((state) => state.close);
  const localOnly = useSettingsStore((state) => state.settings.privacyMode === 'local-only');
  const testing = busy && !toggling;
  const openBreakers = status.breakers.filter((breaker) => breaker.state !== 'closed');

  const runTest = async () => {
    setError(null);
    const failure = await test(config.id);
    if (failure !== null) setError(failure.message);
  };

  const toggle = async () => {
    setError(null);
    setToggling(true);
    const result = await update({ ...config, enabled: !config.enabled });
    setToggling(false);
    if (!result.ok) setError(result.error.message);
  };

  return (
    <li
      className={`provider-item${config.enabled ? '' : ' provider-item-disabled'}`}
      data-testid="provider-item"
      data-provider-id={config.id}
      data-state={status.state}
      data-enabled={config.enabled}
    >
      {editing ? (
        <ProviderForm key={session} initial={status} removed={removed} onClose={closeForm} />
      ) : (
        <>
          <div className="provider-head">
            <div className="provider-name">
              <span className="provider-label">{config.label}</span>
              <code className="provider-id">{config.id}</code>
              <span className="provider-meta">
                {typeLabel(types, config.type)} · <span className={`location location-${config.location}`}>{locationLabel(config.location, config.baseUrl)}</span>
              </span>
            </div>
            <div className="provider-badges">
              {config.enabled ? null : <span className="state-badge state-badge-disabled">Disabled</span>}
              <StateBadge state={status.state} testId="provider-state" />
            </div>
          </div>
          <p className="provider-detail" data-testid="provider-detail">
            {testing ? 'Checking the connection…' : status.detail}
          </p>
          {localOnly && config.location === 'cloud' && config.enabled ? (
            <p className="provider-note">Not used while the privacy mode is Local only.</p>
          ) : null}
          {config.enabled ? null : <p className="provider-note">Disabled: no task is sent to this provider.</p>}
          <dl className="provider-facts">
            <dt>Models</dt>
            <dd>
              {config.models.length > 0
                ? config.models.join(', ')
                : info?.localModelFiles
                  ? 'The first local model'
                  : config.location === 'local'
                    ? 'What the server lists (the first one answers)'
                    : 'None named: add the one to use with Edit'}
            </dd>
            {config.baseUrl === undefined ? null : (
              <>
                <dt>Base URL</dt>
                <dd>
                  <code>{config.baseUrl}</code>
                </dd>
              </>
            )}
            <dt>Key</dt>
            <dd data-testid="provider-key-summary">{keyStateText(status, needsKey(info, config))}</dd>
            {config.limits.requestsPerMinute === undefined && config.limits.tokensPerMinute === undefined && config.limits.burst === undefined ? null : (
              <>
                <dt>Limits</dt>
                <dd>
                  {[
                    config.limits.requestsPerMinute === undefined ? null : `${config.limits.requestsPerMinute.toLocaleString()} requests/min`,
                    config.limits.tokensPerMinute === undefined ? null : `${config.limits.tokensPerMinute.toLocaleString()} tokens/min`,
                    config.limits.burst === undefined ? null : `${config.limits.burst.toLocaleString()} started/s at most`,
                  ]
                    .filter((part) => part !== null)
                    .join(' · ')}
                </dd>
              </>
            )}
            {openBreakers.length === 0 ? null : (
              <>
                <dt>Circuit breakers</dt>
                <dd data-testid="provider-breakers">
                  <ul className="breaker-list">
                    {status.breakers.map((breaker) => (
                      <li key={breaker.model}>
                        <code>{breaker.model}</code> <span className={`breaker breaker-${breaker.state}`}>{breakerLabel(breaker.state)}</span>
                      </li>
                    ))}
                  </ul>
                </dd>
              </>
            )}
            <dt>Last checked</dt>
            <dd>{status.checkedAt === null ? 'Never' : <time dateTime={status.checkedAt}>{formatDateTime(status.checkedAt)}</time>}</dd>
          </dl>
          {confirmRemove ? (
            <ProviderRemoveConfirm config={config} onCancel={() => {
                setConfirmRemove(false);
              }} />
          ) : (
            <div className="provider-actions">
              <button type="button" className="button" data-testid="provider-test" disabled={busy} aria-busy={testing} onClick={() => void runTest()}>
                {testing ? <span className="spinner" aria-hidden="true" /> : null}
                {testing ? 'Testing…' : 'Test connection'}
              </button>
              <button
                type="button"
                className="button button-quiet"
                data-testid="provider-edit"
                aria-label={`Edit ${config.label}`}
                onClick={() => {
                  openEdit(config.id);
                }}
              >
                {takesApiKey(info) && (status.state === 'key-rejected' || status.state === 'not-configured') ? 'Edit / set key' : 'Edit'}
              </button>
              <button
                type="button"
                className="button button-quiet"
                data-testid="provider-toggle"
                disabled={busy}
                onClick={() => void toggle()}
              >
                {toggling ? <span className="spinner" aria-hidden="true" /> : null}
                {config.enabled ? 'Disable' : 'Enable'}
              </button>
              <button
                type="button"
                className="button button-quiet button-quiet-danger"
                data-testid="provider-remove"
                aria-label={`Remove ${config.label}`}
                onClick={() => {
                  setConfirmRemove(true);
                }}
              >
                Remove
              </button>
            </div>
          )}
          <FormError message={error} />
        </>
      )}
    </li>
  );
}

function breakerLabel(state: 'closed' | 'open' | 'half-open'): string {
  return state === 'half-open' ? 'half-open (trying again)' : state;
}
