import { useId, useRef, useState, type KeyboardEvent, type ReactNode, type SubmitEvent } from 'react';
import type { ProviderStatus } from '../../../src-shared/domain/providerStatus.ts';
import type { ErrorPayload } from '../../../src-shared/envelope.ts';
import { FormError } from '../../ui/FormError.tsx';
import { ProviderKeyFields } from './ProviderKeyFields.tsx';
import { changedElsewhereSentence, configFromDraft, draftFromConfig, emptyDraft, isProviderDraft, maxTimeoutSeconds, rebaseProviderDraft, sameDraft, timeoutProblem, type ProviderDraft } from './providerDraft.ts';
import { DraftRestoredNote } from '../../ui/DraftRestoredNote.tsx';
import { dropDraft } from '../../ui/draftStorage.ts';
import { useDraft } from '../../ui/useDraft.ts';
import { isLoopbackUrl } from '../../../src-shared/domain/loopbackUrl.ts';
import { formField, locationFor, takesApiKey, typeInfo } from './providerTypeFields.ts';
import { useProvidersStore } from './providersStore.ts';
import { StateBadge } from './StateBadge.tsx';
import { WholeNumberInput } from './WholeNumberInput.tsx';

export interface ProviderFormProps {
  /** The provider to edit; left out for the add form. */
  initial?: ProviderStatus;
  /** The provider being edited was removed elsewhere meanwhile: saving adds it again with what is typed. */
  removed?: boolean;
  onClose: () => void;
}

/**
 * Add or edit one provider. The id is checked by the core and its message shown here. An API key
 * typed into the add form goes to the core once with `providers.add` and the field is cleared;
 * after an add the form stays open on the new provider to show the health check's result.
 */
export function ProviderForm({ initial, removed = false, onClose }: ProviderFormProps) {
  const types = useProvidersStore((state) => state.types);
  // What is typed is kept until saved or the form is closed with Cancel (never the key, which is
  // not in the draft): a reload or restart brings it back with a quiet note.
  const draftKey = `app:provider-form:${initial?.config.id ?? 'new'}`;
  // Per field, the stored value the draft's edit was made against (rebaseProviderDraft moves it as the stored provider changes).
  const [start, setStart] = useState<ProviderDraft>(() => (initial ? draftFromConfig(initial.config) : { ...emptyDraft, type: types[0]?.type ?? '' }));
  const kept = useDraft<ProviderDraft>(draftKey, start, isProviderDraft, (value) => sameDraft(value, start));
  const draft = kept.value;
  // The types arrive with the list; a form opened before them takes the first once they are there.
  const type = draft.type === '' ? (types[0]?.type ?? '') : draft.type;
  const info = typeInfo(types, type);
  const field = (id: Parameters<typeof formField>[1]) => formField(info, id);
  const [editingId, setEditingId] = useState<string | null>(initial?.config.id ?? null);
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [keyError, setKeyError] = useState<ErrorPayload | null>(null);
  const [saved, setSaved] = useState(false);
  const [keyTyped, setKeyTyped] = useState(false);
  // Uncontrolled on purpose: a controlled input would mirror the key into the DOM `value` attribute.
  const keyInput = useRef<HTMLInputElement>(null);
  const add = useProvidersStore((state) => state.add);
  const update = useProvidersStore((state) => state.update);
  const setKey = useProvidersStore((state) => state.setKey);
  const status = useProvidersStore((state) => (editingId === null ? undefined : state.providers.find((p) => p.config.id === editingId)));
  const busy = useProvidersStore((state) => (editingId === null ? false : state.busy[editingId] === true));
  const errorId = useId();
  const titleId = useId();
  const ids = { type: useId(), id: useId(), label: useId(), baseUrl: useId(), models: useId(), rpm: useId(), tpm: useId(), burst: useId(), firstToken: useId(), total: useId(), env: useId() };
  const editing = editingId !== null;
  // Changed elsewhere while edited (the CLI, another window; or saved here): fields not edited show what is stored, edits stay.
  const storedConfig = editing ? status?.config : undefined;
  const [seenConfig, setSeenConfig] = useState(storedConfig);
  const stored = storedConfig === undefined ? undefined : draftFromConfig(storedConfig);
  if (storedConfig !== seenConfig) {
    setSeenConfig(storedConfig);
    // The add form's provider once added: what it was saved as is where later changes start from.
    if (stored !== undefined && seenConfig === undefined && initial === undefined) setStart(stored);
    else if (stored !== undefined) {
      const rebased = rebaseProviderDraft(draft, start, stored);
      if (!sameDraft(rebased.base, start)) setStart(rebased.base);
      if (!sameDraft(rebased.draft, draft)) kept.set(rebased.draft);
    }
  }
  const changedElsewhere = stored === undefined || saving ? [] : rebaseProviderDraft(draft, start, stored).changedElsewhere;

  const change = (patch: Partial<ProviderDraft>) => {
    kept.set({ ...draft, ...patch });
    setError(null);
    setSaved(false);
  };

  const takeKey = (): string => {
    const input = keyInput.current;
    const key = input?.value.trim() ?? '';
    if (input) input.value = '';
    setKeyTyped(false);
    return key;
  };

  const submit = async (event: SubmitEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (saving) return;
    const problem = timeoutProblem(draft);
    if (problem !== undefined) {
      setError(problem);
      return;
    }
    setSaving(true);
    setError(null);
    setKeyError(null);
    setSaved(false);
    const config = configFromDraft({ ...draft, type }, info);
    const apiKey = takesApiKey(info) ? takeKey() : '';
    if (editingId === null || removed) {
      const result = await add(editingId === null ? config : { ...config, id: editingId }, apiKey === '' ? undefined : apiKey);
      if (result.ok) {
        dropDraft(draftKey);
        setEditingId(result.value.config.id);
        setSaved(true);
      } else if (result.error.code === 'KEYCHAIN_UNAVAILABLE') {
        // The server stores the key first: when the keychain refuses it, nothing was saved.
        setKeyError(result.error);
      } else {
        setError(result.error.message);
      }
    } else {
      const result = await update({ ...config, id: editingId });
      if (result.ok) dropDraft(draftKey);
      if (!result.ok) {
        setError(result.error.message);
      } else if (apiKey !== '') {
        const keyResult = await setKey(editingId, apiKey);
        if (keyResult.ok) setSaved(true);
        else if (keyResult.error.code === 'KEYCHAIN_UNAVAILABLE') setKeyError(keyResult.error);
        else setError(keyResult.error.message);
      } else {
        setSaved(true);
      }
    }
    setSaving(false);
  };
  const closeAndForget = () => {
    kept.discard();
    onClose();
  };

  const closeOnEscape = (event: KeyboardEvent<HTMLFormElement>) => {
    if (event.key !== 'Escape') return;
    event.preventDefault();
    event.stopPropagation();
    closeAndForget();
  };

  const showKey = takesApiKey(info);
  const baseUrlField = field('baseUrl');
  const localField = field('local');
  const modelsField = field('models');
  const keyEnvField = field('apiKeyEnv');
  const working = saving || busy;

  return (
    <form
      className="provider-form"
      data-testid="provider-form"
      data-mode={editing ? 'edit' : 'add'}
      aria-labelledby={titleId}
      aria-busy={working}
      onSubmit={(event) => void submit(event)}
      onKeyDown={closeOnEscape}
    >
      <h4 className="provider-form-title" id={titleId}>
        {editing ? `Edit ${status?.config.label ?? editingId}` : 'Add a provider'}
      </h4>
      {kept.restored ? <DraftRestoredNote onDiscard={kept.discard} /> : null}
      <div className="provider-form-grid">
        <Field label="Type" htmlFor={ids.type} hint={editing ? 'To use another type, add a new provider.' : undefined}>
          <select
            id={ids.type}
            className="select"
            data-testid="provider-type"
            value={type}
            disabled={editing}
            onChange={(event) => {
              const chosen = typeInfo(types, event.target.value)?.type;
              if (chosen) change({ type: chosen });
            }}
          >
            {types.map((option) => (
              <option key={option.type} value={option.type}>
                {option.label}
              </option>
            ))}
          </select>
        </Field>
        <Field label="Id" htmlFor={ids.id} hint={editing ? 'The id cannot change.' : 'Lowercase letters, digits and dashes, e.g. my-ollama.'}>
          <input
            id={ids.id}
            className="text-input"
            data-testid="provider-id"
            value={draft.id}
            readOnly={editing}
            placeholder="e.g. my-ollama"
            autoComplete="off"
            spellCheck={false}
            aria-describedby={error === null ? undefined : errorId}
            onChange={(event) => {
              change({ id: event.target.value });
            }}
          />
        </Field>
        <Field label="Label" htmlFor={ids.label} hint="How the provider is shown; the id when left empty.">
          <input
            id={ids.label}
            className="text-input"
            data-testid="provider-label"
            value={draft.label}
            placeholder="e.g. Ollama on this machine"
            autoComplete="off"
            onChange={(event) => {
              change({ label: event.target.value });
            }}
          />
        </Field>
        {baseUrlField ? (
          <Field label={baseUrlField.label} htmlFor={ids.baseUrl} hint={baseUrlField.help}>
            <input
              id={ids.baseUrl}
              className="text-input"
              data-testid="provider-base-url"
              type="url"
              value={draft.baseUrl}
              placeholder={baseUrlField.placeholder}
              autoComplete="off"
              spellCheck={false}
              onChange={(event) => {
                change({ baseUrl: event.target.value });
              }}
            />
          </Field>
        ) : null}
        {localField ? (
          <label className="checkbox-field">
            <input
              type="checkbox"
              data-testid="provider-local"
              checked={locationFor(info, draft.local, draft.baseUrl) === 'local'}
              onChange={(event) => {
                change({ local: event.target.checked });
              }}
            />
            <span>
              {localField.label}
              <span className="field-hint checkbox-hint" data-testid="provider-local-hint">
                {draft.local === undefined && isLoopbackUrl(draft.baseUrl) ? 'This address is on this machine, so the server counts as local; untick only for a tunnel to another machine. ' : ''}
                {localField.help}
              </span>
            </span>
          </label>
        ) : null}
        <Field label={modelsField?.label ?? 'Models'} htmlFor={ids.models} hint={modelsField?.help ?? 'One per line or separated by commas; the first is the default.'}>
          <textarea
            id={ids.models}
            className="text-input text-area"
            data-testid="provider-models"
            value={draft.models}
            rows={3}
            placeholder={modelsField?.placeholder ?? 'model name'}
            spellCheck={false}
            onChange={(event) => {
              change({ models: event.target.value });
            }}
          />
        </Field>
        <div className="provider-form-limits">
          <Field label="Requests per minute" htmlFor={ids.rpm} hint="Optional.">
            <WholeNumberInput id={ids.rpm} value={draft.requestsPerMinute} onChange={(text) => change({ requestsPerMinute: text })} />
          </Field>
          <Field label="Tokens per minute" htmlFor={ids.tpm} hint="Optional.">
            <WholeNumberInput id={ids.tpm} value={draft.tokensPerMinute} onChange={(text) => change({ tokensPerMinute: text })} />
          </Field>
          <Field label="Requests started per second" htmlFor={ids.burst} hint="Optional: the most sent at once.">
            <WholeNumberInput id={ids.burst} value={draft.burst} testId="provider-burst" onChange={(text) => change({ burst: text })} />
          </Field>
        </div>
        <div className="provider-form-limits">
          <Field label="Wait for the first word (seconds)" htmlFor={ids.firstToken} hint="Optional; 120 when empty. A provider that sends nothing for this long is left for the next one.">
            <WholeNumberInput id={ids.firstToken} value={draft.firstTokenTimeoutSeconds} testId="provider-first-token-timeout" max={maxTimeoutSeconds} onChange={(text) => change({ firstTokenTimeoutSeconds: text })} />
          </Field>
          <Field label="Longest answer (seconds)" htmlFor={ids.total} hint="Optional; 600 when empty.">
            <WholeNumberInput id={ids.total} value={draft.totalTimeoutSeconds} testId="provider-total-timeout" max={maxTimeoutSeconds} onChange={(text) => change({ totalTimeoutSeconds: text })} />
          </Field>
        </div>
        {showKey ? (
          <ProviderKeyFields
            status={editing ? status : undefined}
            info={info}
            keyInput={keyInput}
            keyTyped={keyTyped}
            disabled={working}
            onKeyTyped={(typed) => {
              setKeyTyped(typed);
              setKeyError(null);
            }}
            onKeyResult={(result) => {
              setKeyError(null);
              setError(null);
              if (result === null) return;
              if (result.code === 'KEYCHAIN_UNAVAILABLE') setKeyError(result);
              else setError(result.message);
            }}
            takeKey={takeKey}
            checkConfig={configFromDraft({ ...draft, type, id: editingId ?? (draft.id.trim() || 'unsaved') }, info)}
          />
        ) : null}
        {keyEnvField ? (
          <Field label={keyEnvField.label} htmlFor={ids.env} hint={keyEnvField.help}>
            <input
              id={ids.env}
              className="text-input"
              value={draft.apiKeyEnv}
              placeholder={keyEnvField.placeholder}
              autoComplete="off"
              spellCheck={false}
              onChange={(event) => {
                change({ apiKeyEnv: event.target.value });
              }}
            />
          </Field>
        ) : null}
      </div>
      {keyError === null ? null : (
        <div className="notice notice-error provider-key-error" role="alert" data-testid="provider-key-error" data-code={keyError.code}>
          <span>
            <strong>{editing ? 'The API key was not stored.' : 'The provider was not saved.'}</strong> {keyError.message}
          </span>
        </div>
      )}
      {removed ? (
        <p className="notice" role="status" data-testid="provider-removed">
          This provider was removed elsewhere while you edited it. Saving adds it again with what you typed; Cancel lets it go.
        </p>
      ) : null}
      {changedElsewhere.length > 0 && stored !== undefined ? (
        <p className="notice" role="status" data-testid="provider-outdated">
          {changedElsewhereSentence(changedElsewhere, stored)}
        </p>
      ) : null}
      <FormError id={errorId} message={error} />
      {editing && status !== undefined && (saved || keyError !== null) ? (
        <p className="provider-form-result" role="status" data-testid="provider-form-status">
          {keyError === null ? 'Saved. ' : 'The provider was saved without its key. '}
          <StateBadge state={status.state} /> {status.detail}
        </p>
      ) : null}
      <div className="provider-form-actions">
        <button type="submit" className="button button-primary" data-testid="provider-save" disabled={working}>
          {saving ? <span className="spinner" aria-hidden="true" /> : null}
          {saving ? 'Saving and checking…' : removed ? 'Add it again' : editing ? 'Save' : 'Add provider'}
        </button>
        <button type="button" className="button" data-testid="provider-form-close" onClick={closeAndForget}>
          {editing && !initial ? 'Done' : 'Cancel'}
        </button>
      </div>
    </form>
  );
}

interface FieldProps {
  label: string;
  htmlFor: string;
  hint?: ReactNode;
  children: ReactNode;
}

function Field({ label, htmlFor, hint, children }: FieldProps) {
  return (
    <div className="field">
      <label className="field-label" htmlFor={htmlFor}>
        {label}
      </label>
      {children}
      {hint === undefined ? null : <div className="field-hint">{hint}</div>}
    </div>
  );
}
