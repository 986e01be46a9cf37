import { AppError } from '../../src-shared/AppError.ts';
import type { HardwareInfo } from '../../src-shared/domain/hardware.ts';
import { taskKinds, type RoutedTarget, type Routing, type Target, type TaskKind } from '../../src-shared/domain/provider.ts';
import type { PrivacyMode } from '../../src-shared/domain/settings.ts';
import type { SetupApplyResult, SetupChoice, SetupDetection, SetupStatus, TaskAnswer } from '../../src-shared/domain/setup.ts';
import type { ModelChat } from '../modelCall/modelCallTypes.ts';
import type { LocalServers } from '../providers/setup/detectLocalServers.ts';
import type { Candidate } from '../router/planTargets.ts';
import type { SetupRecord, SetupRepository } from '../store/SetupRepository.ts';
import { explainTask } from './explainTask.ts';
import { providerForChoice, type ProviderChanges } from './providerForChoice.ts';
import { testAnswer } from './testAnswer.ts';

export interface SetupServiceDeps {
  record: SetupRepository;
  privacyMode: () => PrivacyMode;
  /** The targets each task would be tried on now, in the order asked (the gateway's plan). */
  plan: (tasks: readonly TaskKind[]) => Promise<Candidate[][]>;
  chat: ModelChat;
  providers: ProviderChanges & { routing: { get(): Routing; set(routing: Routing): Routing } };
  /** GGUF models in the model folders (ids). */
  localModels: () => Promise<{ id: string }[]>;
  hardware: () => Promise<HardwareInfo>;
  servers: () => Promise<LocalServers>;
  /** Whether a catalogue of recommended models ships with this version. */
  catalogue: () => boolean;
  /** False: the first-run screen is never offered (SERVICE_CREATOR_FIRST_RUN=off: kiosks, scripted installs, UI tests of other pages). */
  offerFirstRun?: boolean;
  now?: () => Date;
}

/**
 * First-run setup, for the app's screen and `service-creator setup` alike: what this machine has
 * (hardware, model servers answering on loopback), whether the app can work now (a target that
 * would answer the interview), applying a choice (a provider, the chosen model first in every
 * task's routing, a one-line test answer through the gateway), and why each task goes where it goes.
 */
export class SetupService {
  readonly #deps: SetupServiceDeps;

  constructor(deps: SetupServiceDeps) {
    this.#deps = deps;
  }

  /**
   * Usable means the interview (the first thing every project needs) has a target the router
   * would try: configured, enabled, allowed by the privacy mode, with a key where one is needed
   * and a model named. Reachability is not asked here: a server that is down now still counts.
   */
  async status(): Promise<SetupStatus> {
    const planned = await this.#deps.plan(taskKinds);
    const plans = taskKinds.map((task, index) => ({ task, plan: planned[index] ?? [] }));
    const tasksServed = plans.filter(({ plan }) => plan.some((candidate) => !candidate.skip)).map(({ task }) => task);
    const interview = plans.find(({ task }) => task === 'interview')?.plan ?? [];
    const first = interview.find((candidate) => !candidate.skip);
    const usable = first !== undefined;
    const choice = this.#deps.record.get();
    const reason = first
      ? `${first.target.model} on ${first.target.providerId} answers the interview`
      : interview.length === 0
        ? 'No model is set up yet'
        : `Nothing can answer the interview: ${interview.map((candidate) => candidate.skip).join('; ')}`;
    return { usable, needed: !usable && choice?.state !== 'skipped' && this.#deps.offerFirstRun !== false, reason: reason.slice(0, 400), tasksServed, choice, privacyMode: this.#deps.privacyMode() };
  }

  /** Looks without changing anything: hardware, loopback servers, and where setup stands. */
  async detect(): Promise<SetupDetection> {
    const started = performance.now();
    const [hardware, servers, status] = await Promise.all([
      this.#deps.hardware().then(
        (info) => ({ info }),
        (error: unknown) => ({ problem: error instanceof Error ? error.message.slice(0, 300) : String(error).slice(0, 300) }),
      ),
      this.#deps.servers(),
      this.status(),
    ]);
    return {
      hardware: 'info' in hardware ? hardware.info : null,
      ...('problem' in hardware ? { hardwareProblem: hardware.problem } : {}),
      servers: servers.servers,
      probed: servers.probed,
      catalogue: this.#deps.catalogue(),
      cloudAllowed: this.#deps.privacyMode() !== 'local-only',
      status,
      tookMs: Math.round(performance.now() - started),
    };
  }

  /**
   * Puts the choice in place: its provider (added, or an existing one reused), the chosen model
   * first in every task's routing (what was there stays after it, as fallbacks), the choice
   * recorded, then a one-line answer from that model through the gateway.
   */
  async apply(choice: SetupChoice, signal?: AbortSignal): Promise<SetupApplyResult> {
    if (choice.kind === 'local-model' && !(await this.#deps.localModels()).some((model) => model.id === choice.modelId)) {
      throw new AppError('NOT_FOUND', `No model "${choice.modelId}" in the models folder: import the GGUF file first`);
    }
    const { config, model, added } = await providerForChoice(choice, this.#deps.providers, this.#deps.privacyMode());
    const target: Target = { providerId: config.id, model };
    this.#deps.providers.routing.set(routingWithFirst(this.#deps.providers.routing.get(), target));
    this.#deps.record.set({ state: 'done', providerId: config.id, model, at: this.#now() });
    const test = await testAnswer(this.#deps.chat, target, signal);
    return { providerId: config.id, model, added, test, status: await this.status() };
  }

  /** The user chose to set things up later: the first-run screen is not shown again. */
  async skip(): Promise<SetupStatus> {
    this.#deps.record.set({ state: 'skipped', at: this.#now() });
    return this.status();
  }

  /** Which model answers each task now and why, in words (the routing page shows it). */
  async explain(): Promise<TaskAnswer[]> {
    const record: SetupRecord | null = this.#deps.record.get();
    const routing = this.#deps.providers.routing.get();
    const planned = await this.#deps.plan(taskKinds);
    return taskKinds.map((task, index) => explainTask(task, planned[index] ?? [], routing, record));
  }

  #now(): string {
    return (this.#deps.now?.() ?? new Date()).toISOString();
  }
}

/** Every task's routing with `target` first and what it had after it (the target not twice, at most 20). */
export function routingWithFirst(routing: Routing, target: Target): Routing {
  const next: Routing = {};
  for (const task of taskKinds) {
    const rest = (routing[task] ?? []).filter((other: RoutedTarget) => other.providerId !== target.providerId || other.model !== target.model);
    next[task] = [{ ...target }, ...rest].slice(0, 20);
  }
  return next;
}
