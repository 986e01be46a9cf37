import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Database } from 'better-sqlite3';
import type { AppInfo } from '../../src-shared/domain/appInfo.ts';
import { loadPricing } from '../providers/loadPricing.ts';
import { ModelService } from '../providers/ModelService.ts';
import { modelUses } from '../providers/download/modelUses.ts';
import { OllamaService } from '../providers/OllamaService.ts';
import { ProviderService } from '../providers/ProviderService.ts';
import { ModelGateway, type ModelGatewayDeps } from '../gateway/ModelGateway.ts';
import { providerDescriptors } from '../providers/descriptors/providerDescriptors.ts';
import type { ProviderDescriptor } from '../providers/descriptors/ProviderDescriptor.ts';
import { ProviderRegistry } from '../providers/descriptors/ProviderRegistry.ts';
import { RoutingRepository } from '../store/RoutingRepository.ts';
import { ProviderRepository } from '../store/ProviderRepository.ts';
import { createKeychainSecretStore } from '../secrets/createKeychainSecretStore.ts';
import type { SecretStore } from '../secrets/SecretStore.ts';
import { SettingsRepository } from '../store/SettingsRepository.ts';
import { InterviewRepository } from '../store/InterviewRepository.ts';
import { ProjectRepository } from '../store/ProjectRepository.ts';
import { InterviewService } from '../interview/InterviewService.ts';
import type { PipelineLimits, Validators } from '../pipeline/PipelineContext.ts';
import { PipelineService } from '../pipeline/PipelineService.ts';
import { pipelineValidators } from '../pipeline/validate/pipelineValidators.ts';
import { holdProjectChecker } from '../pipeline/typecheck/projectChecker.ts';
import { setNodeScriptLauncher, type NodeScriptLauncher } from '../pipeline/typecheck/NodeScriptLauncher.ts';
import { PipelineRepository } from '../store/PipelineRepository.ts';
import { SandboxRepository } from '../store/SandboxRepository.ts';
import { claimOwner, ownerAlive } from './processOwner.ts';
import { createDockerRunner } from '../sandbox/createDockerRunner.ts';
import { RepairService } from '../pipeline/repair/RepairService.ts';
import { ModelCatalogService } from '../providers/catalog/ModelCatalogService.ts';
import { HeaderFitScorer } from '../providers/catalog/HeaderFitScorer.ts';
import { loadModelCatalog } from '../providers/catalog/loadModelCatalog.ts';
import { SetupService } from '../setup/SetupService.ts';
import { SetupRepository } from '../store/SetupRepository.ts';
import { detectLocalServers } from '../providers/setup/detectLocalServers.ts';
import { detectHardware } from '../providers/hardware/detectHardware.ts';
import { TestRunService, type SandboxRunner } from '../sandbox/TestRunService.ts';
import { openDatabase } from '../store/openDatabase.ts';
import { protectedFolders } from '../paths/protectedFolders.ts';
import { keepPrivate } from '../paths/keepPrivate.ts';
import { describeNetworkUse } from './describeNetworkUse.ts';
import { latestSchemaVersion } from '../store/migrations/index.ts';
import { appName, appVersion } from './appVersion.ts';
import { keepPromptHistory } from '../prompts/loadPrompt.ts';
import { effectiveTelemetry } from '../../src-shared/domain/telemetrySends.ts';
import { createDispatch, type Dispatch } from './createDispatch.ts';
import { databaseFailure } from '../store/databaseFailure.ts';
import { databaseFileName } from '../paths/databaseFileName.ts';
import { createHandlers } from './createHandlers.ts';
import { EventBus } from '../events/EventBus.ts';
import { watchExternalChanges } from './watchExternalChanges.ts';
import { type RouterOptions } from '../router/routerTypes.ts';
import { createObservability, type Observability } from '../observability/createObservability.ts';

export { databaseFileName };

export interface CoreOptions {
  dataDir: string;
  host: AppInfo['host'];
  now?: () => Date;
  /** Announce changes other processes make to the database (long-lived faces: Electron, serve). */
  watchExternalChanges?: boolean;
  onInternalError?: (channel: string, error: unknown) => void;
  /** The OS keychain by default; tests pass another store. */
  secrets?: SecretStore;
  env?: Readonly<Record<string, string | undefined>>;
  /** Shipped files (prompts, pricing); the repository's resources/ by default. */
  resourcesDir?: string;
  /** Extra folders searched for GGUF models besides `<dataDir>/models`. */
  extraModelDirs?: string[];
  createProvider?: ModelGatewayDeps['createProvider'];
  /** The provider types; default: the shipped ones (providerDescriptors.ts). Tests add a type here. */
  providerDescriptors?: readonly ProviderDescriptor[];
  routerOptions?: Partial<RouterOptions>;
  /** The checks run on generated files; tests may pass simpler ones. */
  validators?: Validators;
  pipelineLimits?: Partial<PipelineLimits>;
  /** The sandbox; default: the Docker engine named by the environment. */
  sandboxRunner?: SandboxRunner;
  /** How the type checker's Node scripts start; the desktop app passes its utility-process launcher. */
  launchNodeScript?: NodeScriptLauncher;
}

export interface Core {
  dispatch: Dispatch;
  bus: EventBus;
  db: Database;
  providers: ProviderService;
  /** The one way to call a model. */
  gateway: ModelGateway;
  models: ModelService;
  /** Ollama's models: status, list, pull with progress, delete. */
  ollama: OllamaService;
  interview: InterviewService;
  pipeline: PipelineService;
  tests: TestRunService;
  repairs: RepairService;
  /** Logs (<data>/logs), provider health, opt-in traces. */
  observability: Observability;
  /** Closes the database; adapters (a loaded llama.cpp model) are released in the background. */
  close(): void;
  /** Releases adapters, then closes the database. */
  dispose(): Promise<void>;
}

export const defaultResourcesDir = fileURLToPath(new URL('../../resources/', import.meta.url));
export const repositoryModelsDir = fileURLToPath(new URL('../../models/', import.meta.url));

/** Builds the core every face shares: store, handlers, the dispatcher and the event bus. */
export function createCore(options: CoreOptions): Core {
  const databasePath = join(options.dataDir, databaseFileName);
  const db = openDatabase(databasePath);
  const bus = new EventBus();
  const owner = claimOwner();
  const env = options.env ?? process.env;
  const settings = new SettingsRepository(db);
  const modelsDir = join(options.dataDir, 'models');
  keepPrivate(modelsDir); // as the data folder (openDatabase): one an older version made 0755 is tightened
  const modelDirs = [modelsDir, ...(options.extraModelDirs ?? [repositoryModelsDir])];
  const secrets = options.secrets ?? createKeychainSecretStore();
  const privacyMode = () => settings.get().privacyMode;
  const registry = new ProviderRegistry(options.providerDescriptors ?? providerDescriptors);
  const storedProviders = new ProviderRepository(db);
  const storedRouting = new RoutingRepository(db);
  // What every call asks: the projects kept local (the repository is built below, with `now`).
  const localOnlyIds = (): ReadonlySet<string> => projectRepository.localOnlyIds();
  const gateway = new ModelGateway({
    db,
    providers: () => storedProviders.list().providers,
    routing: () => storedRouting.get(),
    strategies: () => storedRouting.strategies(),
    privacyMode,
    privacyGuard: () => settings.get().privacyGuard,
    localOnlyProjects: () => localOnlyIds(),
    auditHeadFile: join(options.dataDir, 'audit-head.json'),
    // Rows written ahead of a request are this core's; another's are taken as left behind once it is gone.
    owner: { owner: owner.token, ownerAlive },
    configFromStore: true,
    registry,
    secrets,
    env,
    modelDirs,
    pricing: loadPricing(join(options.resourcesDir ?? defaultResourcesDir, 'pricing.json')),
    onStatusChange: (id) => bus.emit('providers.changed', { id }),
    responseCache: () => settings.get().responseCache,
    onBudgetWarning: (status) => bus.emit('budgets.warning', status),
    onAttempt: (record, call) => observability.attempt(record, call),
    ...(options.createProvider ? { createProvider: options.createProvider } : {}),
    ...(options.routerOptions ? { routerOptions: options.routerOptions } : {}),
  });
  const providers = new ProviderService({ db, bus, secrets, privacyMode, registry, gateway, env });
  const models = new ModelService({
    bus,
    modelsDir,
    modelDirs,
    onListed: (list) => gateway.setLocalModelIds(list.map((m) => m.id)),
    modelUses: (id) => modelUses(storedRouting.get(), storedProviders.list().providers, id),
    catalogPath: join(options.resourcesDir ?? defaultResourcesDir, 'models', 'catalog.json'),
  });
  const ollama = new OllamaService({ bus, providers: () => storedProviders.list().providers });
  const appInfo = (): AppInfo => ({
    name: appName,
    version: appVersion,
    host: options.host,
    platform: process.platform,
    dataDir: options.dataDir,
    databasePath,
    schemaVersion: latestSchemaVersion,
    networkUse: describeNetworkUse(providers.stored().providers, settings.get().privacyMode, (config) => registry.host(config), settings.get().telemetry),
  });
  const now = options.now ?? (() => new Date());
  const projectRepository = new ProjectRepository(db, { now });
  const promptsDir = join(options.resourcesDir ?? defaultResourcesDir, 'prompts');
  // Each template text a call used is kept in the data folder, named by version and content hash (prompt ids in provenance name them).
  // One that cannot be kept is told in the log (never the CLI's output: it is no part of the answer).
  keepPromptHistory(join(options.dataDir, 'prompt-history'), (message, error) => observability.log.warn(message, { error }));
  const interview = new InterviewService({
    interviews: new InterviewRepository(db, now),
    projects: projectRepository,
    bus,
    chat: (request) => gateway.chat(request),
    promptsDir,
    now,
  });
  const pipelineRuns = new PipelineRepository(db, now);
  const validators = options.validators ?? pipelineValidators;
  // The project check's pyright server and TypeScript thread (started on first need) end with the last core.
  if (options.launchNodeScript) setNodeScriptLauncher(options.launchNodeScript);
  const releaseProjectChecker = holdProjectChecker();
  const pipeline = new PipelineService({
    runs: pipelineRuns,
    specOf: (projectId) => interview.spec(projectId),
    projectExists: (projectId) => void projectRepository.get(projectId),
    chat: (request) => gateway.chat(request),
    contextWindow: (task, projectId) => gateway.contextWindow(task, undefined, projectId),
    promptBudget: (task, projectId) => gateway.promptBudget(task, undefined, projectId),
    promptsDir,
    validators,
    bus,
    generator: { name: appName, version: appVersion },
    cloudRequestsOf: (runId) => {
      gateway.attempts.flush();
      return gateway.audit.forRun(runId);
    },
    owner: owner.token,
    ownerAlive,
    ...(options.pipelineLimits ? { limits: options.pipelineLimits } : {}),
    now,
    protectedFolders: protectedFolders({ dataDir: options.dataDir, modelDirs, env }),
  });
  pipeline.recoverInterrupted();
  const sandbox = new SandboxRepository(db, now);
  const tests = new TestRunService({ runs: pipelineRuns, sandbox, runner: options.sandboxRunner ?? createDockerRunner(env), bus, owner: owner.token, ownerAlive });
  tests.recoverInterrupted();
  const observability = createObservability({ dataDir: options.dataDir, host: options.host, db, bus, runs: pipelineRuns, sandbox, telemetry: () => {
      const current = settings.get();
      return effectiveTelemetry(current.telemetry, current.privacyMode);
    }, breakerStates: () => gateway.breakerStates(), flushAttempts: () => gateway.attempts.flush(), serviceVersion: appVersion });
  const repairs = new RepairService({
    runs: pipelineRuns,
    sandbox,
    tests,
    chat: (request) => gateway.chat(request),
    contextWindow: (task, projectId) => gateway.contextWindow(task, undefined, projectId),
    promptBudget: (task, projectId) => gateway.promptBudget(task, undefined, projectId),
    validators,
    promptsDir,
    bus,
    owner: owner.token,
  });
  const setup = new SetupService({
    record: new SetupRepository(db),
    privacyMode,
    plan: (tasks) => gateway.plan(tasks),
    chat: (request) => gateway.chat(request),
    providers,
    localModels: () => models.list(),
    hardware: () => detectHardware({ env }),
    servers: () => detectLocalServers(),
    // The catalogue ships with the app (resources/models/catalog.json); models.catalog says when it cannot be read.
    catalogue: () => true,
    offerFirstRun: env.SERVICE_CREATOR_FIRST_RUN !== 'off',
    now,
  });
  const catalogPath = join(options.resourcesDir ?? defaultResourcesDir, 'models', 'catalog.json');
  let catalogFile: ReturnType<typeof loadModelCatalog> | undefined;
  const catalogue = new ModelCatalogService({
    catalog: () => (catalogFile ??= loadModelCatalog(catalogPath)),
    hardware: () => detectHardware({ env }),
    // HF_ENDPOINT (a mirror, or a test's loopback server) is honoured as node-llama-cpp's downloader honours it.
    scorer: new HeaderFitScorer(env.HF_ENDPOINT ? { huggingFaceEndpoint: env.HF_ENDPOINT } : {}),
  });
  const handlers = createHandlers({ db, bus, appInfo, services: { providers, gateway, models, ollama, interview, pipeline, tests, repairs, setup, catalogue, observability }, ...(options.now ? { now: options.now } : {}) });
  const reportInternalError = options.onInternalError ?? ((channel: string, error: unknown) => console.error(`[${channel}]`, error));
  const dispatch = createDispatch(handlers, {
    explain: (error) => databaseFailure(error, databasePath),
    onInternalError: (channel, error) => {
      observability.internalError(channel, error);
      reportInternalError(channel, error);
    },
  });
  const stopWatching = options.watchExternalChanges ? watchExternalChanges(db, bus, undefined, { spendMoved: () => gateway.controls.warnNearlySpent() }) : () => undefined;
  let closed = false;
  const close = () => {
    if (closed) return;
    closed = true;
    stopWatching();
    models.cancelAll();
    ollama.cancelAll();
    interview.cancelAll();
    pipeline.stopAll();
    repairs.cancelAll();
    tests.cancelAll();
    owner.release();
    releaseProjectChecker();
    observability.close();
    providers.close();
    void gateway.close();
    db.close();
  };
  return {
    dispatch,
    bus,
    db,
    providers,
    gateway,
    models,
    ollama,
    interview,
    pipeline,
    tests,
    repairs,
    observability,
    close,
    async dispose() {
      models.cancelAll();
      interview.cancelAll();
      pipeline.stopAll();
      // Stopped runs record where they stopped before the database closes.
      repairs.cancelAll();
      tests.cancelAll();
      await Promise.all([pipeline.settled(), repairs.settled(), tests.settled()]);
      await observability.flush();
      providers.close();
      await gateway.close();
      close();
    },
  };
}
