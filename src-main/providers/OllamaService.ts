import { randomUUID } from 'node:crypto';
import type { OllamaModel, OllamaPullProgress, OllamaStatus } from '../../src-shared/domain/ollama.ts';
import type { ProviderConfig } from '../../src-shared/domain/provider.ts';
import { AppError } from '../../src-shared/AppError.ts';
import { isLoopbackUrl } from '../../src-shared/domain/loopbackUrl.ts';
import type { HardwareInfo } from '../../src-shared/domain/hardware.ts';
import type { EventBus } from '../events/EventBus.ts';
import { estimateFitOffline } from './catalog/estimateFitOffline.ts';
import { OllamaApi, type OllamaListedModel } from './ollamaApi.ts';
import { OllamaError } from './OllamaError.ts';
import { ollamaDefaultBaseUrl } from './ollamaDefaultBaseUrl.ts';
import { PullTally } from './PullTally.ts';

type HttpFetch = (input: string | URL | Request, init?: RequestInit) => Promise<Response>;

export interface OllamaServiceDeps {
  bus: EventBus;
  /** The configured providers as stored now: an Ollama provider's address is the one managed. */
  providers: () => ProviderConfig[];
  fetch?: HttpFetch;
  /** How long a status or list question may take (Ollama answers these at once when it runs). */
  timeoutMs?: number;
  /** The least time between two progress events of one pull (the last one is always sent). */
  progressEveryMs?: number;
  /** This machine's GPU and memory, for the fit of models Ollama runs here (default: detectHardware). */
  hardware?: () => Promise<HardwareInfo>;
}

/** Said with every fit of an Ollama model: what the estimate rests on. */
const fitNote = 'Estimated from the size Ollama reports and the layer shape it gives (Ollama loads the model itself).';

interface RunningPull {
  name: string;
  controller: AbortController;
}

/**
 * Ollama's models, managed from the app: is it running (in words), what it has (size,
 * quantisation, context), pull with progress and cancel, delete. The server is the configured
 * Ollama provider's (the named one, else the first enabled), else Ollama's default address.
 * Model calls never come here: they go through the gateway and the Ollama adapter.
 */
export class OllamaService {
  readonly #deps: OllamaServiceDeps;
  readonly #pulls = new Map<string, RunningPull>();

  constructor(deps: OllamaServiceDeps) {
    this.#deps = deps;
  }

  /**
   * The catalogue's fit for each model with a shape, on this machine's hardware; none when Ollama
   * runs elsewhere (its host's memory is not this machine's) or the hardware cannot be read.
   */
  async #withFit(models: OllamaListedModel[], baseUrl: string): Promise<OllamaModel[]> {
    const strip = ({ shape: _shape, ...model }: OllamaListedModel): OllamaModel => model;
    if (!isLoopbackUrl(baseUrl) || !models.some((model) => model.shape)) return models.map(strip);
    let hardware: HardwareInfo;
    try {
      hardware = await (this.#deps.hardware ?? (async () => (await import('./hardware/detectHardware.ts')).detectHardware()))();
    } catch {
      return models.map(strip);
    }
    return models.map((model) => {
      if (!model.shape || model.sizeBytes <= 0) return strip(model);
      const contextLength = model.contextLength ?? 8_192;
      return { ...strip(model), fit: estimateFitOffline({ shape: model.shape, contextLength }, { sizeBytes: model.sizeBytes }, hardware, fitNote) };
    });
  }

  #target(providerId: string | undefined): { api: OllamaApi; providerId: string | null; baseUrl: string } {
    const ollamas = this.#deps.providers().filter((config) => config.type === 'ollama');
    const config = providerId === undefined ? (ollamas.find((c) => c.enabled) ?? ollamas[0]) : ollamas.find((c) => c.id === providerId);
    if (providerId !== undefined && !config) throw new AppError('NOT_FOUND', `No Ollama provider "${providerId}"`);
    const baseUrl = config?.baseUrl ?? ollamaDefaultBaseUrl;
    return { api: new OllamaApi(baseUrl, this.#deps.fetch), providerId: config?.id ?? null, baseUrl };
  }

  #timeout(): AbortSignal {
    return AbortSignal.timeout(this.#deps.timeoutMs ?? 5_000);
  }

  /** Whether Ollama answers, in one sentence; never throws for a server that is down. */
  async status(providerId?: string): Promise<OllamaStatus> {
    const { api, providerId: id } = this.#target(providerId);
    try {
      const version = await api.version(this.#timeout());
      return { running: true, host: api.host, version, providerId: id, message: `Ollama ${version} is running at ${api.host}` };
    } catch (error) {
      if (!(error instanceof OllamaError)) throw error;
      return { running: false, host: api.host, providerId: id, message: error.message };
    }
  }

  /** The status and, when it runs, the installed models. */
  async models(providerId?: string): Promise<{ status: OllamaStatus; models: OllamaModel[] }> {
    const status = await this.status(providerId);
    if (!status.running) return { status, models: [] };
    const { api, baseUrl } = this.#target(providerId);
    return { status, models: await this.#withFit(await api.models(this.#timeout()), baseUrl) };
  }

  async delete(name: string, providerId?: string): Promise<{ name: string }> {
    const { api } = this.#target(providerId);
    await api.delete(name, this.#timeout());
    this.#deps.bus.emit('providers.changed', { id: this.#target(providerId).providerId ?? 'ollama' });
    return { name };
  }

  /**
   * Starts a pull and returns at once: progress goes out as `ollama.pullProgress` events, the
   * last with state done, failed or cancelled; `done` settles with that last event.
   */
  pull(name: string, providerId?: string): { pullId: string; done: Promise<OllamaPullProgress> } {
    const { api, providerId: id } = this.#target(providerId);
    const pullId = randomUUID();
    const controller = new AbortController();
    this.#pulls.set(pullId, { name, controller });
    const tally = new PullTally();
    let lastSent = Number.NEGATIVE_INFINITY;
    const emit = (progress: OllamaPullProgress): OllamaPullProgress => {
      this.#deps.bus.emit('ollama.pullProgress', progress);
      return progress;
    };
    const event = (state: OllamaPullProgress['state'], message?: string): OllamaPullProgress => ({
      pullId,
      name,
      state,
      status: tally.status,
      completedBytes: tally.completed,
      totalBytes: tally.total,
      ...(message === undefined ? {} : { message }),
    });
    const done = api
      .pull(
        name,
        (line) => {
          const stepChanged = tally.add(line);
          // A monotonic clock: one set back would hold the progress until the next step.
          const now = performance.now();
          if (!stepChanged && now - lastSent < (this.#deps.progressEveryMs ?? 100)) return;
          lastSent = now;
          emit(event('running'));
        },
        controller.signal,
      )
      .then(
        () => {
          this.#deps.bus.emit('providers.changed', { id: id ?? 'ollama' });
          return emit(event('done'));
        },
        (error: unknown) => {
          if (error instanceof OllamaError && error.failure === 'cancelled') return emit(event('cancelled', `The pull of ${name} was cancelled`));
          return emit(event('failed', error instanceof Error ? error.message : String(error)));
        },
      )
      .finally(() => this.#pulls.delete(pullId));
    return { pullId, done };
  }

  /** Cancels a running pull (its connection is closed, so Ollama stops); false when there is none. */
  cancelPull(pullId: string): boolean {
    const pull = this.#pulls.get(pullId);
    if (!pull) return false;
    pull.controller.abort();
    return true;
  }

  /** Stops every pull (the app is closing). */
  cancelAll(): void {
    for (const pull of this.#pulls.values()) pull.controller.abort();
  }
}
