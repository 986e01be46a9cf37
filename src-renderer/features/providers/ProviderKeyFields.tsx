import { useId, useState, type RefObject } from 'react';
import type { ProviderStatus } from '../../../src-shared/domain/providerStatus.ts';
import type { ErrorPayload } from '../../../src-shared/envelope.ts';
import type { ProviderConfig } from '../../../src-shared/domain/provider.ts';
import type { ProviderTypeInfo } from '../../../src-shared/domain/providerTypeInfo.ts';
import { KeyCheck } from './KeyCheck.tsx';
import { keyStateText } from './providerLabels.ts';
import { needsKey } from './providerTypeFields.ts';
import { useProvidersStore } from './providersStore.ts';

export interface ProviderKeyFieldsProps {
  /** The provider type's facts (from the core), which say whether a key is required. */
  info: ProviderTypeInfo | undefined;
  /** The saved provider when editing; undefined in the add form. */
  status: ProviderStatus | undefined;
  /** The password field (uncontrolled: the key never sits in React state or the DOM attributes). */
  keyInput: RefObject<HTMLInputElement | null>;
  keyTyped: boolean;
  disabled: boolean;
  onKeyTyped: (typed: boolean) => void;
  /** The outcome of Replace key / Remove key: null when it worked. */
  onKeyResult: (error: ErrorPayload | null) => void;
  /** Reads the field and clears it. */
  takeKey: () => string;
  /** The configuration as the form stands now, for "Check key". */
  checkConfig: ProviderConfig;
}

/**
 * The API key: typed once, sent once, never shown again. The form shows only where the key comes
 * from (keychain, environment, none); Replace key stores a new one, Remove key deletes it.
 */
export function ProviderKeyFields({ status, info, keyInput, keyTyped, disabled, onKeyTyped, onKeyResult, takeKey, checkConfig }: ProviderKeyFieldsProps) {
  const [working, setWorking] = useState<'replace' | 'remove' | null>(null);
  // Shown while typing to catch a mistyped key; the value still never enters React state or an attribute.
  const [visible, setVisible] = useState(false);
  const setKey = useProvidersStore((state) => state.setKey);
  const removeKey = useProvidersStore((state) => state.removeKey);
  const inputId = useId();
  const hintId = useId();
  const stateId = useId();

  const replace = async () => {
    if (status === undefined || working !== null) return;
    const key = takeKey();
    setWorking('replace');
    const result = await setKey(status.config.id, key);
    setWorking(null);
    onKeyResult(result.ok ? null : result.error);
  };

  const remove = async () => {
    if (status === undefined || working !== null) return;
    setWorking('remove');
    const result = await removeKey(status.config.id);
    setWorking(null);
    onKeyResult(result.ok ? null : result.error);
  };

  const optional = status !== undefined ? !needsKey(info, status.config) : false;

  return (
    <div className="field provider-key">
      <label className="field-label" htmlFor={inputId}>
        {status === undefined ? 'API key' : status.keyConfigured ? 'Replace the API key' : 'API key'}
      </label>
      {status === undefined ? null : (
        <p className="provider-key-state" id={stateId} data-testid="provider-key-state" data-key-source={status.keySource ?? 'none'}>
          {keyStateText(status, needsKey(info, status.config))}
          {optional && !status.keyConfigured ? ' (a local server usually needs none)' : ''}
        </p>
      )}
      <div className="inline-row">
        <input
          ref={keyInput}
          id={inputId}
          className="text-input"
          type={visible ? 'text' : 'password'}
          data-testid="provider-api-key"
          autoComplete="off"
          spellCheck={false}
          placeholder={status?.keyConfigured ? 'Paste a new key to replace the stored one' : 'Paste the API key'}
          aria-describedby={status === undefined ? hintId : `${stateId} ${hintId}`}
          onChange={(event) => {
            onKeyTyped(event.target.value.trim() !== '');
          }}
        />
        <button
          type="button"
          className="button button-quiet"
          data-testid="provider-key-visibility"
          aria-pressed={visible}
          aria-controls={inputId}
          onClick={() => setVisible((shown) => !shown)}
        >
          {visible ? 'Hide' : 'Show'}
        </button>
        {status === undefined ? null : (
          <>
            <button
              type="button"
              className="button"
              data-testid="provider-replace-key"
              disabled={disabled || working !== null || !keyTyped}
              onClick={() => void replace()}
            >
              {working === 'replace' ? <span className="spinner" aria-hidden="true" /> : null}
              {status.keyConfigured ? 'Replace key' : 'Store key'}
            </button>
            {status.keySource === 'keychain' ? (
              <button
                type="button"
                className="button button-quiet button-quiet-danger"
                data-testid="provider-remove-key"
                disabled={disabled || working !== null}
                onClick={() => void remove()}
              >
                {working === 'remove' ? <span className="spinner" aria-hidden="true" /> : null}
                Remove key
              </button>
            ) : null}
          </>
        )}
      </div>
      <div className="field-hint" id={hintId}>
        Stored in your system keychain, never in Service Creator&apos;s files; once saved it is never shown again.
      </div>
      <KeyCheck config={checkConfig} info={info} keyInput={keyInput} keyTyped={keyTyped} disabled={disabled} />
    </div>
  );
}
