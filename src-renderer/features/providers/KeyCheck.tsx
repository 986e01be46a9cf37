import { useState, type RefObject } from 'react';
import type { KeyCheck as KeyCheckResult } from '../../../src-shared/domain/keyCheck.ts';
import type { ProviderConfig } from '../../../src-shared/domain/provider.ts';
import type { ProviderTypeInfo } from '../../../src-shared/domain/providerTypeInfo.ts';
import { callApi } from '../connection/callApi.ts';
import { useSettingsStore } from '../settings/settingsStore.ts';

export interface KeyCheckProps {
  /** The configuration as the form stands now (not saved). */
  config: ProviderConfig;
  info: ProviderTypeInfo | undefined;
  keyInput: RefObject<HTMLInputElement | null>;
  keyTyped: boolean;
  disabled: boolean;
}

/** The host a request for this configuration goes to, from the form alone. */
function hostOf(config: ProviderConfig, info: ProviderTypeInfo | undefined): string {
  if (config.baseUrl === undefined) return info?.defaultHost ?? 'the provider';
  try {
    return new URL(config.baseUrl).host;
  } catch {
    return 'the address above';
  }
}

/**
 * "Check key" before saving: says first which host one request would go to, and sends it only
 * where the privacy mode allows (the core refuses otherwise too). The key is read from the field,
 * sent once, and neither kept here nor saved.
 */
export function KeyCheck({ config, info, keyInput, keyTyped, disabled }: KeyCheckProps) {
  const privacyMode = useSettingsStore((state) => state.settings.privacyMode);
  const [checking, setChecking] = useState(false);
  const [result, setResult] = useState<{ outcome: KeyCheckResult['outcome'] | 'refused'; message: string } | null>(null);
  const host = hostOf(config, info);
  const blocked = config.location === 'cloud' && privacyMode === 'local-only';

  const check = async () => {
    const apiKey = keyInput.current?.value.trim() ?? '';
    if (checking || apiKey === '') return;
    setChecking(true);
    setResult(null);
    const answer = await callApi((api) => api.providers.checkKey({ config, apiKey }));
    setChecking(false);
    setResult(answer.ok ? answer.value : { outcome: 'refused', message: answer.error.message });
  };

  return (
    <div className="key-check" data-testid="provider-key-check-area">
      <div className="inline-row">
        <button type="button" className="button" data-testid="provider-check-key" disabled={disabled || checking || blocked || !keyTyped} onClick={() => void check()}>
          {checking ? <span className="spinner" aria-hidden="true" /> : null}
          {checking ? `Checking with ${host}…` : 'Check key'}
        </button>
        <span className="field-hint" data-testid="provider-check-key-host">
          {blocked
            ? `Checking would contact ${host}, a cloud provider, and Local-only mode sends nothing there: switch the privacy mode above to check the key.`
            : `Sends one request to ${host} (its model list) with the key typed here; nothing is saved.`}
        </span>
      </div>
      {result === null ? null : (
        <p className={`key-check-result key-check-${result.outcome}`} role="status" data-testid="provider-check-key-result" data-outcome={result.outcome}>
          {result.message}
        </p>
      )}
    </div>
  );
}
