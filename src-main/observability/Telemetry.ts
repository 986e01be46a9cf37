import type { Telemetry as TelemetrySettings } from '../../src-shared/domain/settings.ts';
import type { AppLog } from './AppLog.ts';
import type { TraceEvent } from './spanAttributes.ts';
import type { TraceEngine, TraceEngineOptions } from './TraceEngine.ts';

export interface TelemetryDeps {
  /** The setting as stored now (read on every event: turning it on or off takes effect at once). */
  settings: () => TelemetrySettings;
  serviceVersion: string;
  processKind: string;
  log: AppLog;
  /** Replaced in tests; default: TraceEngine's loader (a dynamic import: the SDK loads only when on). */
  load?: (options: TraceEngineOptions) => Promise<TraceEngine>;
}

/** Events waiting for the SDK to load, at most. */
const maxQueued = 10_000;

/**
 * Opt-in OpenTelemetry export. Off (the default): events are dropped here, nothing is sent and the
 * SDK is never imported. On: the SDK is imported on the first event, events that came meanwhile
 * are replayed in order, and spans go to the collector in batches; a changed address starts a new
 * exporter (the old one sends what it holds and stops); turning it off drops what is held and stops
 * (noticed at the next event, or at once through settingsChanged).
 */
export class Telemetry {
  readonly #deps: TelemetryDeps;
  #engine: TraceEngine | undefined;
  #loading: Promise<void> | undefined;
  /** Events waiting for the SDK, each with the address that was set when it happened. */
  readonly #queue: { event: TraceEvent; endpoint: string }[] = [];
  readonly #retiring = new Set<Promise<void>>();
  #warned = false;
  #closed = false;
  /** The settings read for a configuration generation (record). */
  #settingsAt: { generation: number; settings: TelemetrySettings } | undefined;

  constructor(deps: TelemetryDeps) {
    this.#deps = deps;
  }

  /** Whether the SDK was loaded in this process (never while telemetry stayed off). */
  get loaded(): boolean {
    return this.#engine !== undefined;
  }

  /**
   * `generation`: the configuration generation a model call read when it started; the settings
   * read for it are kept until it moves, so while telemetry is off a call costs no look at the
   * store. While it is on, the settings are read now (a call started before it was turned off
   * sends nothing); so they are without a generation.
   */
  record(event: TraceEvent, generation?: number): void {
    if (this.#closed) return;
    const kept = this.#settingsAt;
    let settings = kept !== undefined && generation !== undefined && kept.generation === generation ? kept.settings : undefined;
    // Kept "off" is trusted (the cheap, usual path); kept "on" is looked at again before sending: a
    // call that read it on may end after telemetry was turned off or sent elsewhere, and its span
    // must follow the setting as it is now (sending costs far more than the look).
    if (settings === undefined || (settings.enabled && settings.endpoint !== '')) {
      settings = this.#deps.settings();
      if (generation !== undefined) this.#settingsAt = { generation, settings };
    }
    const wanted = settings.enabled && settings.endpoint !== '' ? settings.endpoint : undefined;
    if (this.#engine && this.#engine.endpoint !== wanted) this.#retire(3_000, wanted === undefined);
    if (wanted === undefined) {
      this.#queue.length = 0;
      return;
    }
    if (this.#engine) {
      this.#engine.handle(event);
      return;
    }
    if (this.#queue.length < maxQueued) this.#queue.push({ event, endpoint: wanted });
    this.#loading ??= this.#load(wanted);
  }

  /**
   * The settings changed (here or in another process): turned off, what is held is dropped at
   * once, with no event needed to notice it (the batch would otherwise go out with its timer).
   */
  settingsChanged(): void {
    this.#settingsAt = undefined;
    if (this.#closed || (this.#engine === undefined && this.#queue.length === 0)) return;
    const settings = this.#deps.settings();
    if (settings.enabled && settings.endpoint !== '') return;
    this.#queue.length = 0;
    this.#retire(3_000, true);
  }

  /**
   * Sends what is pending, waiting at most `ms` in all (run end, process exit). `last`: the process
   * is about to end, so an export that fails is not tried again (a collector that is down costs no wait).
   */
  async flush(ms = 3_000, last = false): Promise<void> {
    // Deadlines on a monotonic clock: one set back meanwhile would make the wait as much longer.
    const deadline = performance.now() + ms;
    await this.#loaded(deadline);
    await Promise.all([this.#engine?.flush(Math.max(0, deadline - performance.now()), last), ...this.#retiring]);
  }

  /** Ends open runs, sends what is pending (bounded) and stops; later events are dropped. */
  async close(ms = 3_000): Promise<void> {
    const deadline = performance.now() + ms;
    await this.#loaded(deadline);
    this.#closed = true;
    this.#retire(Math.max(0, deadline - performance.now()));
    await Promise.all(this.#retiring);
  }

  /** Waits for the SDK to load, and to load again for an address set meanwhile (until `deadline`). */
  async #loaded(deadline: number): Promise<void> {
    while (this.#loading !== undefined && performance.now() < deadline) await this.#loading;
  }

  #retire(ms = 3_000, discard = false): void {
    const engine = this.#engine;
    this.#engine = undefined;
    if (!engine) return;
    const done = engine.shutdown(ms, discard).finally(() => this.#retiring.delete(done));
    this.#retiring.add(done);
  }

  async #load(endpoint: string): Promise<void> {
    let next: string | undefined;
    try {
      const load = this.#deps.load ?? (async (options: TraceEngineOptions) => (await import('./TraceEngine.ts')).loadTraceEngine(options));
      const engine = await load({
        endpoint,
        serviceVersion: this.#deps.serviceVersion,
        processKind: this.#deps.processKind,
        stillWanted: () => {
          // A batch goes out at most every 2 s: one look at the setting each (another process may have turned it off).
          try {
            const settings = this.#deps.settings();
            // Off drops; a new address does not (what happened while the old one was set goes there, as the exporter's retiring does).
            return settings.enabled && settings.endpoint !== '';
          } catch {
            return true; // the store cannot be read (the process is closing): as before this look
          }
        },
        onExportError: (error) => {
          if (this.#warned) return;
          this.#warned = true;
          this.#deps.log.warn('telemetry export failed; later failures are not logged', { endpoint, error: error?.message ?? 'unknown' });
        },
      });
      this.#engine = engine;
      this.#deps.log.info('telemetry on', { endpoint });
      const queued = this.#queue.splice(0);
      for (const item of queued) if (item.endpoint === endpoint) engine.handle(item.event);
      // The address changed while the SDK loaded: what happened since goes to the address set now,
      // through an exporter of its own (an address already replaced again gets nothing).
      next = queued.findLast((item) => item.endpoint !== endpoint)?.endpoint;
      if (next !== undefined && !this.#closed) this.#queue.push(...queued.filter((item) => item.endpoint === next));
      if (this.#closed || next !== undefined) this.#retire();
    } catch (error) {
      this.#queue.length = 0;
      this.#deps.log.error('telemetry could not start', { endpoint }, error);
    } finally {
      this.#loading = next !== undefined && !this.#closed && this.#queue.length > 0 ? this.#load(next) : undefined;
    }
  }
}
