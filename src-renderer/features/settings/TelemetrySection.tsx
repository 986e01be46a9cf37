import { useState } from 'react';
import { FormError } from '../../ui/FormError.tsx';
import { useSaveErrorFor, useSettingsStore } from './settingsStore.ts';
import { useEditedText } from './useEditedText.ts';
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
  const saveError = useSaveErrorFor('telemetry');
  const heldBack = telemetry.enabled && !telemetrySends(telemetry, privacyMode);
  return (
    <TelemetryFields
      enabled={telemetry.enabled}
      heldBack={heldBack}
      stored={telemetry.endpoint}
      disabled={disabled}
      onSave={(next) => update({ telemetry: { ...telemetry, ...next } })}
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
  onSave: (next: { enabled?: boolean; endpoint?: string }) => Promise<void>;
  saveError: string | null;
}) {
  // Saved elsewhere (the CLI), the field shows the address afresh unless it is being edited: then what was typed is kept and
  // the stored address is said; a refused save keeps it too.
  const edited = useEditedText(stored, (typed, value) => typed.trim() === value);
  const address = edited.value;
  const save = (next: { enabled?: boolean; endpoint?: string }) => void edited.whileSaving(() => onSave(next));
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
            save(event.target.checked ? { enabled: true, endpoint: text } : { enabled: false });
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
        <input className="text-input" data-testid="telemetry-endpoint" type="url" placeholder="http://localhost:4318" value={address} disabled={disabled} onChange={(event) => edited.set(event.target.value)} />
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
      {edited.changedElsewhere ? (
        <p className="notice" role="status" data-testid="telemetry-outdated">
          {stored === '' ? 'The address was removed elsewhere while you typed.' : `The address changed elsewhere while you typed: it is now ${stored}.`} Saving replaces it with yours.
        </p>
      ) : null}
      {changed ? (
        <button type="button" className="button" data-testid="telemetry-save" disabled={disabled || problem !== null} onClick={() => save({ endpoint: text })}>
          Save address
        </button>
      ) : null}
      <FormError message={saveError} />
    </section>
  );
}
