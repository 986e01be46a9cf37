import { maxGuardTerms, redactionKinds, type PrivacyGuard, type RedactionKind } from '../../../src-shared/domain/settings.ts';
import { FormError } from '../../ui/FormError.tsx';
import { useSaveErrorFor, useSettingsStore } from './settingsStore.ts';
import { useEditedText } from './useEditedText.ts';

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
      <GuardTerms stored={guard.terms} disabled={disabled || !guard.enabled} onSave={(terms) => update({ privacyGuard: { ...guard, terms } })} />
      <FormError message={saveError} />
    </section>
  );
}

/** The words as stored, one per line. */
const sameTerms = (text: string, stored: string) => readTerms(text).terms.join('\n') === stored;

/**
 * The guard's own words. Saved elsewhere (the CLI), the box shows them afresh unless it is being
 * edited: then what was typed is kept and the words stored now are said; a refused save keeps it too.
 */
function GuardTerms({ stored, disabled, onSave }: { stored: readonly string[]; disabled: boolean; onSave: (terms: string[]) => Promise<void> }) {
  const edited = useEditedText(stored.join('\n'), sameTerms);
  const text = edited.value;
  const { terms, problem } = readTerms(text);
  const changed = terms.join('\n') !== stored.join('\n');
  return (
    <>
      <label className="field">
        <span className="field-label">My own words, one per line (a customer, a project code name)</span>
        <textarea className="text-input" data-testid="guard-terms" rows={4} value={text} disabled={disabled} onChange={(event) => edited.set(event.target.value)} />
        <span className="field-hint">Taken literally, in any letter case; at most {maxGuardTerms}.</span>
      </label>
      {problem ? (
        <p className="form-error" role="alert">
          {problem}
        </p>
      ) : null}
      {edited.changedElsewhere ? (
        <p className="notice" role="status" data-testid="guard-terms-outdated">
          Your words changed elsewhere while you typed: {stored.length === 0 ? 'there are none now' : `they are now ${stored.map((term) => `“${term}”`).join(', ')}`}. Saving replaces them with yours.
        </p>
      ) : null}
      <button type="button" className="button" data-testid="guard-terms-save" disabled={disabled || !changed || problem !== null} onClick={() => void edited.whileSaving(() => onSave(terms))}>
        Save words
      </button>
    </>
  );
}
