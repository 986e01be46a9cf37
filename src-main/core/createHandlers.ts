import type { Database } from 'better-sqlite3';
import type { AppInfo } from '../../src-shared/domain/appInfo.ts';
import type { EventBus } from '../events/EventBus.ts';
import type { Handlers } from './Handlers.ts';
import { createInterviewHandlers } from './createInterviewHandlers.ts';
import { createPipelineHandlers } from './createPipelineHandlers.ts';
import { createSandboxHandlers } from './createSandboxHandlers.ts';
import { createCatalogHandlers } from './createCatalogHandlers.ts';
import type { ModelCatalogService } from '../providers/catalog/ModelCatalogService.ts';
import { createSetupHandlers } from './createSetupHandlers.ts';
import type { SetupService } from '../setup/SetupService.ts';
import type { RepairService } from '../pipeline/repair/RepairService.ts';
import type { TestRunService } from '../sandbox/TestRunService.ts';
import type { PipelineService } from '../pipeline/PipelineService.ts';
import { createProviderHandlers, type ProviderHandlerDeps } from './createProviderHandlers.ts';
import { createOllamaHandlers } from './createOllamaHandlers.ts';
import { createControlHandlers } from './createControlHandlers.ts';
import { announceConfigChanges } from './announceConfigChanges.ts';
import { createUsageHandlers } from './createUsageHandlers.ts';
import { createObservabilityHandlers } from './createObservabilityHandlers.ts';
import type { Observability } from '../observability/createObservability.ts';
import type { OllamaService } from '../providers/OllamaService.ts';
import type { InterviewService } from '../interview/InterviewService.ts';
import { ProjectRepository } from '../store/ProjectRepository.ts';
import { SettingsRepository } from '../store/SettingsRepository.ts';
import { holdsKey } from '../secrets/holdsKey.ts';
import { scrubKnownSecrets } from '../secrets/scrubSecrets.ts';
import { AppError } from '../../src-shared/AppError.ts';

export interface HandlerDeps {
  db: Database;
  bus: EventBus;
  appInfo: () => AppInfo;
  services: Omit<ProviderHandlerDeps, 'privacyMode'> & { ollama: OllamaService; interview: InterviewService; pipeline: PipelineService; tests: TestRunService; repairs: RepairService; catalogue: ModelCatalogService; setup: SetupService; observability: Observability };
  now?: () => Date;
}

export function createHandlers({ db, bus, appInfo, services, now }: HandlerDeps): Handlers {
  const projects = new ProjectRepository(db, now ? { now } : {});
  const settings = new SettingsRepository(db);
  const providerHandlers = createProviderHandlers({ ...services, privacyMode: () => settings.get().privacyMode });
  const controlHandlers = createControlHandlers({ gateway: services.gateway, providers: services.providers, projects, settings });
  const setupHandlers = createSetupHandlers(services.setup);

  return {
    ...providerHandlers,
    ...createOllamaHandlers(services.ollama),
    ...createInterviewHandlers(services.interview),
    ...createPipelineHandlers(services.pipeline),
    ...createSandboxHandlers(services.tests, services.repairs),
    ...createCatalogHandlers(services.catalogue),
    ...controlHandlers,
    ...setupHandlers,
    ...announceConfigChanges({ ...providerHandlers, ...controlHandlers, ...setupHandlers }, bus),
    ...createUsageHandlers(db, services.gateway.attempts),
    ...createObservabilityHandlers(services.observability),
    'app.info': () => appInfo(),
    'projects.list': () => projects.list(),
    'projects.get': ({ id }) => projects.get(id),
    'projects.create': async ({ name }) => {
      await services.providers.learnKeysInUse();
      refuseKeyInProjectName(name);
      const project = projects.create(name);
      bus.emit('projects.changed', { kind: 'created', id: project.id });
      return project;
    },
    'projects.rename': async ({ id, name }) => {
      await services.providers.learnKeysInUse();
      refuseKeyInProjectName(name);
      const project = projects.rename(id, name);
      bus.emit('projects.changed', { kind: 'renamed', id });
      return project;
    },
    'projects.setLocalOnly': ({ id, localOnly }) => {
      const project = projects.setLocalOnly(id, localOnly);
      bus.emit('projects.changed', { kind: 'updated', id });
      return project;
    },
    'projects.delete': ({ id }) => {
      projects.delete(id);
      bus.emit('projects.changed', { kind: 'deleted', id });
      return { id };
    },
    'audit.list': (input) => services.gateway.audit.list(input?.limit ?? 100),
    'audit.verify': () => services.gateway.audit.verify(),
    'settings.get': () => settings.get(),
    'settings.set': async (patch) => {
      if (patch.telemetry !== undefined || patch.privacyGuard !== undefined) await services.providers.learnKeysInUse();
      // A privacy term is stored and shown as written; the keys in use are taken out of every cloud prompt without one.
      if (patch.privacyGuard?.terms.some((term) => scrubKnownSecrets(term) !== term)) {
        throw new AppError('INVALID_INPUT', 'A term cannot hold one of your API keys (it would be stored and shown with it): the keys in use are always taken out of what is sent, without a term');
      }
      // A key in the collector's address (its path: the schema refuses one in the query or as a password) would be stored, listed and logged with it.
      if (patch.telemetry !== undefined && holdsKey(patch.telemetry.endpoint)) {
        throw new AppError('INVALID_INPUT', "The collector's address cannot hold a key (it would be stored and shown with it): use an address without one, such as a collector on this machine or your network that adds the key when it forwards");
      }
      const next = settings.set(patch);
      bus.emit('settings.changed', next);
      return next;
    },
  } satisfies Handlers;
}

/** A project's name is listed, logged, exported and sent with prompts: a key pasted into it (a key in use, a key-shaped `sk-…`) is refused, never repeated. */
function refuseKeyInProjectName(name: string): void {
  if (holdsKey(name)) throw new AppError('INVALID_INPUT', 'A project name cannot hold an API key: keys go in Providers, where the keychain keeps them');
}
