import { useState } from 'react';
import { maxGuardTerms, redactionKinds, type PrivacyGuard, type RedactionKind } from '../../../src-shared/domain/settings.ts';
import { FormError } from '../../ui/FormError.tsx';
import { useSaveErrorFor, useSettingsStore } from './settingsStore.ts';
import { useSteadyKey } from './useSteadyKey.ts';

const kindLabels: Record<RedactionKind, string> = {
  email: 'E-mail addresses',
  phone: 'Phone numbers',
  ip: 'IP addresses',
  key: 'Key-like strings (tokens, passwords)',
  card: 'Payment card numbers',
  term: 'My own words (below)',
};

/** One term per line; the lines a user cannot have meant (too short, too long) are named before saving. */
function readTerms(text: string): { terms: string[]; problem: string | null } {
  const terms = [...new Set(text.split('\n').map((line) => line.trim()).filter(Boolean))];
  const short = terms.find((term) => term.length < 2);
  if (short !== undefined) return { terms, problem: `"${short}" is too short: a word here has at least 2 characters.` };
  const long = terms.find((term) => term.length > 200);
  if (long !== undefined) return { terms, problem: `A word here has at most 200 characters ("${long.slice(0, 30)}…" is longer).` };
  if (terms.length > maxGuardTerms) return { terms, problem: `At most ${maxGuardTerms} words (there are ${terms.length}).` };
  return { terms, problem: null };
}

/**
 * The privacy guard: on, every prompt to a cloud provider has the chosen kinds of values
 * replaced by placeholders, put back in the answer on this machine. Local models see the
 * prompt as it is.
 */
export function PrivacyGuardSection() {
  const guard = useSettingsStore((state) => state.settings.privacyGuard);
  const status = useSettingsStore((state) => state.status);
  const update = useSettingsStore((state) => state.update);
  const disabled = status !== 'ready';
  const save = (next: Partial<PrivacyGuard>) => void update({ privacyGuard: { ...guard, ...next } });
  const termsKey = useSteadyKey(guard.terms.join('\n'));
  const saveError = useSaveErrorFor('privacyGuard');

  return (
    <section className="panel" aria-labelledby="settings-guard-heading">
      <h3 className="panel-title" id="settings-guard-heading">
        Privacy guard
      </h3>
      <label className="checkbox-field">
        <input type="checkbox" data-testid="guard-enabled" checked={guard.enabled} disabled={disabled} onChange={(event) => save({ enabled: event.target.checked })} />
        Take personal and secret values out of prompts before they go to a cloud provider
      </label>
      <p className="muted">They are replaced by placeholders such as [EMAIL_1] and put back in the answer on this machine. Local models see prompts as they are. The keys this app holds are always taken out.</p>
      <fieldset className="guard-kinds" disabled={disabled || !guard.enabled}>
        <legend>What to take out</legend>
        {redactionKinds.map((kind) => (
          <label key={kind} className="checkbox-field">
            <input
              type="checkbox"
              data-testid={`guard-kind-${kind}`}
              checked={guard.kinds.includes(kind)}
              onChange={(event) => save({ kinds: event.target.checked ? [...guard.kinds, kind] : guard.kinds.filter((other) => other !== kind) })}
            />
            {kindLabels[kind]}
          </label>
        ))}
      </fieldset>
      {/* Keyed by the stored words: saved elsewhere (the CLI), the box shows them afresh; not while saved here (a refused save keeps what was typed). */}
      <GuardTerms key={termsKey.key} stored={guard.terms} disabled={disabled || !guard.enabled} onSave={(terms) => void termsKey.whileSaving(() => update({ privacyGuard: { ...guard, terms } }))} />
      <FormError message={saveError} />
    </section>
  );
}

function GuardTerms({ stored, disabled, onSave }: { stored: readonly string[]; disabled: boolean; onSave: (terms: string[]) => void }) {
  const [text, setText] = useState(stored.join('\n'));
  const { terms, problem } = readTerms(text);
  const changed = terms.join('\n') !== stored.join('\n');
  return (
    <>
      <label className="field">
        <span className="field-label">My own words, one per line (a customer, a project code name)</span>
        <textarea className="text-input" data-testid="guard-terms" rows={4} value={text} disabled={disabled} onChange={(event) => setText(event.target.value)} />
        <span className="field-hint">Taken literally, in any letter case; at most {maxGuardTerms}.</span>
      </label>
      {problem ? (
        <p className="form-error" role="alert">
          {problem}
        </p>
      ) : null}
      <button type="button" className="button" data-testid="guard-terms-save" disabled={disabled || !changed || problem !== null} onClick={() => onSave(terms)}>
        Save words
      </button>
    </>
  );
}
