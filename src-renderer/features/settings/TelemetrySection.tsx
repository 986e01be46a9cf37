import { useState } from 'react';
import { FormError } from '../../ui/FormError.tsx';
import { useSaveErrorFor, useSettingsStore } from './settingsStore.ts';
import { useSteadyKey } from './useSteadyKey.ts';
import { telemetryAddressProblem } from '../../../src-shared/domain/telemetryAddress.ts';
import { telemetrySends } from '../../../src-shared/domain/telemetrySends.ts';

/** An address the core will take (the same check as its schema's), or what is wrong with it. */
function addressProblem(text: string): string | null {
  if (text === '') return 'Give the collector’s address, such as http://localhost:4318.';
  return telemetryAddressProblem(text);
}

/**
 * Telemetry, off by default: on, traces of model calls, generation runs and sandbox runs go to
 * the user's own OpenTelemetry collector (OTLP over HTTP). Prompts and code never do.
 */
export function TelemetrySection() {
  const telemetry = useSettingsStore((state) => state.settings.telemetry);
  const privacyMode = useSettingsStore((state) => state.settings.privacyMode);
  const status = useSettingsStore((state) => state.status);
  const update = useSettingsStore((state) => state.update);
  const disabled = status !== 'ready';
  // Keyed by the stored address: saved elsewhere (the CLI), the field shows it afresh; not while saved here (a refused save keeps what was typed).
  const fieldsKey = useSteadyKey(telemetry.endpoint);
  const saveError = useSaveErrorFor('telemetry');
  const heldBack = telemetry.enabled && !telemetrySends(telemetry, privacyMode);
  return (
    <TelemetryFields
      key={fieldsKey.key}
      enabled={telemetry.enabled}
      heldBack={heldBack}
      stored={telemetry.endpoint}
      disabled={disabled}
      onSave={(next) => void fieldsKey.whileSaving(() => update({ telemetry: { ...telemetry, ...next } }))}
      saveError={saveError}
    />
  );
}

function TelemetryFields({
  enabled,
  heldBack,
  stored,
  disabled,
  onSave,
  saveError,
}: {
  enabled: boolean;
  heldBack: boolean;
  stored: string;
  disabled: boolean;
  onSave: (next: { enabled?: boolean; endpoint?: string }) => void;
  saveError: string | null;
}) {
  const [address, setAddress] = useState(stored);
  const [tried, setTried] = useState(false);
  const text = address.trim();
  const problem = addressProblem(text);
  const changed = text !== stored;
  return (
    <section className="panel" aria-labelledby="settings-telemetry-heading">
      <h3 className="panel-title" id="settings-telemetry-heading">
        Telemetry
      </h3>
      <label className="checkbox-field">
        <input
          type="checkbox"
          data-testid="telemetry-enabled"
          checked={enabled}
          disabled={disabled}
          onChange={(event) => {
            if (event.target.checked && problem !== null) {
              setTried(true);
              return;
            }
            onSave(event.target.checked ? { enabled: true, endpoint: text } : { enabled: false });
          }}
        />
        Send traces to my own OpenTelemetry collector
      </label>
      <p className="muted">
        What is sent: how long each model call, generation run and test run took, its token counts, cost and outcome, and which provider and model answered. Prompts, answers and code are never sent. Off,
        nothing is sent.
      </p>
      <label className="field">
        <span className="field-label">Collector address (OTLP over HTTP)</span>
        <input className="text-input" data-testid="telemetry-endpoint" type="url" placeholder="http://localhost:4318" value={address} disabled={disabled} onChange={(event) => setAddress(event.target.value)} />
        <span className="field-hint">Traces go to its /v1/traces. While telemetry is on, this address is listed under “What leaves this machine” below.</span>
      </label>
      {problem !== null && (tried || (changed && text !== '')) ? (
        <p className="form-error" role="alert" data-testid="telemetry-problem">
          {problem}
        </p>
      ) : null}
      {heldBack ? (
        <p className="notice" role="status" data-testid="telemetry-held-back">
          Held back: in Local only mode nothing leaves this machine, so nothing is sent to this collector until you choose Local first or Cloud allowed. A collector on this machine (localhost) is not held back.
        </p>
      ) : null}
      {changed ? (
        <button type="button" className="button" data-testid="telemetry-save" disabled={disabled || problem !== null} onClick={() => onSave({ endpoint: text })}>
          Save address
        </button>
      ) : null}
      <FormError message={saveError} />
    </section>
  );
}
