import { useEffect, useState, type KeyboardEvent, type SubmitEvent } from 'react';
import type { ResponseCacheSettings } from '../../../src-shared/domain/settings.ts';
import { DraftRestoredNote } from '../../ui/DraftRestoredNote.tsx';
import { FormError } from '../../ui/FormError.tsx';
import { useDraft } from '../../ui/useDraft.ts';
import { WholeNumberField } from '../../ui/WholeNumberField.tsx';
import { connectionErrorCodes } from '../connection/connectionErrorCodes.ts';
import { useReloadOnEvent } from '../connection/useReloadOnEvent.ts';
import { formatDateTime } from '../projects/formatDateTime.ts';
import { useCacheStore } from './cacheStore.ts';
import { isLimitsDraft, keptSentence, limitsDraftOf, lookupsSentence, readLimits, removedSentence, savedLimitsSentence, sizeBounds, ttlBounds, type CacheLimitsDraft } from './responseCacheText.ts';
import { useSettingsStore } from './settingsStore.ts';
import { useSteadyKey } from './useSteadyKey.ts';

/**
 * The response cache: on or off (saved at once), how long answers are kept and how much room they
 * may take (saved with Save, kept as a draft meanwhile), what it holds and how often it answered,
 * and Clear with a question first.
 */
export function ResponseCacheSection() {
  const cache = useSettingsStore((state) => state.settings.responseCache);
  const status = useSettingsStore((state) => state.status);
  const update = useSettingsStore((state) => state.update);
  const [saveError, setSaveError] = useState<string | null>(null);
  const disabled = status !== 'ready';

  useEffect(() => {
    void useCacheStore.getState().load();
  }, []);

  const limitsKey = useSteadyKey(`${cache.ttlHours}/${cache.maxMegabytes}`);

  /** Saves and says whether the core took it. */
  const save = async (next: Partial<ResponseCacheSettings>): Promise<boolean> => {
    setSaveError(null);
    await update({ responseCache: { ...cache, ...next } });
    const error = useSettingsStore.getState().saveError;
    setSaveError(error);
    void useCacheStore.getState().load();
    return error === null;
  };

  return (
    <section className="panel" aria-labelledby="settings-cache-heading" data-testid="settings-cache">
      <h3 className="panel-title" id="settings-cache-heading">
        Response cache
      </h3>
      <label className="checkbox-field">
        <input type="checkbox" data-testid="cache-enabled" checked={cache.enabled} disabled={disabled} onChange={(event) => void save({ enabled: event.target.checked })} />
        Answer a request asked before from this machine
      </label>
      <p className="muted">
        When on, a request identical to one already answered (the same model, the same prompt and the same settings) gets the kept answer at once, from this machine and at no cost. Turn it
        off to always ask the model. A new generation run can also be planned afresh on a project&apos;s runs page, so that the model is asked again for all of it.
      </p>
      {/* Keyed by the stored limits: saved elsewhere (the CLI), the fields start from them afresh; not while saved here (useSteadyKey). */}
      <CacheLimits key={limitsKey.key} stored={cache} disabled={disabled} onSave={(limits) => limitsKey.whileSaving(() => save(limits))} />
      <FormError message={saveError} />
      <CacheStatsBlock />
    </section>
  );
}

function CacheLimits({ stored, disabled, onSave }: { stored: ResponseCacheSettings; disabled: boolean; onSave: (limits: Pick<ResponseCacheSettings, 'ttlHours' | 'maxMegabytes'>) => Promise<boolean> }) {
  const storedDraft = limitsDraftOf(stored);
  const same = (draft: CacheLimitsDraft) => draft.ttlHours.trim() === storedDraft.ttlHours && draft.maxMegabytes.trim() === storedDraft.maxMegabytes;
  const draft = useDraft('app:response-cache-limits', storedDraft, isLimitsDraft, same);
  const read = readLimits(draft.value);
  const submit = (event: SubmitEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (!read.ok || disabled || same(draft.value)) return;
    // Forgotten only once saved: a refused save leaves what was typed, to save again.
    void onSave(read.value).then((saved) => {
      if (saved) draft.discard();
    });
  };
  return (
    <form className="cache-limits" onSubmit={submit}>
      <div className="cache-limits-fields">
        <WholeNumberField
          label="Keep answers for (hours)"
          className="field"
          testId="cache-ttl-hours"
          bounds={ttlBounds}
          value={draft.value.ttlHours}
          onChange={(ttlHours) => draft.set({ ...draft.value, ttlHours })}
        />
        <WholeNumberField
          label="Room for answers (MB)"
          className="field"
          testId="cache-max-megabytes"
          bounds={sizeBounds}
          value={draft.value.maxMegabytes}
          onChange={(maxMegabytes) => draft.set({ ...draft.value, maxMegabytes })}
        />
        <button type="submit" className="button" data-testid="cache-limits-save" disabled={disabled || !read.ok || same(draft.value)}>
          Save limits
        </button>
      </div>
      <p className="field-hint">From 1 hour to 8760 (a year), and from 1 MB to 100000. Older answers expire after that many hours; past the room, the answers used least recently go first.</p>
      {/* Restored after a visit, or when the limits were saved elsewhere (the CLI) while typed: what is saved now is said beside them. */}
      {draft.restored ? <DraftRestoredNote onDiscard={draft.discard} saved={savedLimitsSentence(stored)} /> : null}
    </form>
  );
}

function CacheStatsBlock() {
  const stats = useCacheStore((state) => state.stats);
  const loadError = useCacheStore((state) => state.loadError);
  const clearing = useCacheStore((state) => state.clearing);
  const clear = useCacheStore((state) => state.clear);
  const [asking, setAsking] = useState(false);
  const [outcome, setOutcome] = useState<{ ok: boolean; text: string } | null>(null);
  // Answers kept, looked up or cleared meanwhile (this app, the CLI, another serve): the figures follow, at most every 2 s.
  useReloadOnEvent('cache.changed', () => void useCacheStore.getState().load(), 2000);

  const confirm = async () => {
    const result = await clear();
    setAsking(false);
    setOutcome(result.ok ? { ok: true, text: removedSentence(result.removed) } : { ok: false, text: result.error.message });
  };
  const cancelOnEscape = (event: KeyboardEvent<HTMLDivElement>) => {
    if (event.key !== 'Escape') return;
    event.preventDefault();
    event.stopPropagation();
    setAsking(false);
  };

  return (
    <div className="cache-stats" data-testid="cache-stats">
      <h4 className="cache-stats-title">What it holds</h4>
      {loadError !== null ? (
        <p className="form-error" role="alert">
          {connectionErrorCodes.has(loadError.code) ? 'Could not load the figures of the cache.' : loadError.message}
        </p>
      ) : stats === null ? (
        <p className="muted" role="status">
          Loading the figures…
        </p>
      ) : (
        <>
          <p data-testid="cache-kept">{keptSentence(stats)}</p>
          <p data-testid="cache-lookups">{lookupsSentence(stats, formatDateTime(stats.since))}</p>
        </>
      )}
      {asking ? (
        <div className="cache-clear-question" role="group" aria-label="Clear the cache" onKeyDown={cancelOnEscape}>
          <span>Remove every kept answer? The next identical request asks the model again, and a cloud model charges for it.</span>
          <span className="inline-row">
            <button type="button" className="button button-danger" data-testid="cache-clear-confirm" disabled={clearing} onClick={() => void confirm()}>
              Clear
            </button>
            <button type="button" className="button" autoFocus onClick={() => setAsking(false)}>
              Cancel
            </button>
          </span>
        </div>
      ) : (
        <span className="inline-row">
          <button
            type="button"
            className="button"
            data-testid="cache-clear"
            onClick={() => {
              setOutcome(null);
              setAsking(true);
            }}
          >
            Clear the cache
          </button>
          <button type="button" className="button button-quiet" data-testid="cache-stats-refresh" onClick={() => void useCacheStore.getState().load()}>
            Refresh the figures
          </button>
        </span>
      )}
      {outcome === null ? null : outcome.ok ? (
        <p className="field-hint" role="status" data-testid="cache-cleared">
          {outcome.text}
        </p>
      ) : (
        <FormError message={outcome.text} />
      )}
    </div>
  );
}
