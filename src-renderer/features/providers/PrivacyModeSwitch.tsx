import { useId } from 'react';
import { FormError } from '../../ui/FormError.tsx';
import { privacyModeOptions } from '../settings/privacyModeOptions.ts';
import { useSettingsStore } from '../settings/settingsStore.ts';
import { useProvidersStore } from './providersStore.ts';

/**
 * The privacy mode as three choices, saved at once (the same setting as in Settings), and what it
 * means for the providers configured here.
 */
export function PrivacyModeSwitch() {
  const privacyMode = useSettingsStore((state) => state.settings.privacyMode);
  const status = useSettingsStore((state) => state.status);
  const saveError = useSettingsStore((state) => state.saveError);
  const update = useSettingsStore((state) => state.update);
  const providers = useProvidersStore((state) => state.providers);
  const name = useId();
  const headingId = useId();
  const cloud = providers.filter((p) => p.config.location === 'cloud' && p.config.enabled);

  return (
    <section className="panel" aria-labelledby={headingId}>
      <h3 className="panel-title" id={headingId}>
        Privacy mode
      </h3>
      <fieldset className="privacy-switch" data-testid="privacy-mode-switch" data-mode={privacyMode} disabled={status !== 'ready'}>
        <legend className="visually-hidden">Privacy mode</legend>
        {privacyModeOptions.map((option) => (
          <label key={option.value} className="privacy-switch-option" data-mode={option.value}>
            <input
              type="radio"
              name={name}
              value={option.value}
              checked={privacyMode === option.value}
              onChange={() => void update({ privacyMode: option.value })}
            />
            <span className="privacy-switch-text">
              <span className="privacy-switch-label">{option.label}</span>
              <span className="privacy-switch-explanation">{option.explanation}</span>
            </span>
          </label>
        ))}
      </fieldset>
      {status === 'loading' ? (
        <p className="muted" role="status">
          Loading settings…
        </p>
      ) : null}
      {privacyMode === 'local-only' && cloud.length > 0 ? (
        <p className="privacy-note" role="note" data-testid="privacy-cloud-hidden">
          Local only hides {cloud.length === 1 ? 'the cloud provider' : `${cloud.length} cloud providers`}{' '}
          <strong>{cloud.map((p) => p.config.label).join(', ')}</strong> from routing: no task is sent to{' '}
          {cloud.length === 1 ? 'it' : 'them'} until you choose Local first or Cloud allowed.
        </p>
      ) : null}
      <FormError message={saveError} />
    </section>
  );
}
