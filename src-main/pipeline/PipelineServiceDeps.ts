import type { AuditRowView } from '../../src-shared/domain/audit.ts';
import type { EventBus } from '../events/EventBus.ts';
import type { ProtectedFolder } from '../paths/protectedFolders.ts';
import type { SpecDraft } from '../../src-shared/domain/serviceSpec.ts';
import type { TaskKind } from '../../src-shared/domain/provider.ts';
import type { PipelineRepository } from '../store/PipelineRepository.ts';
import type { GeneratorInfo } from './buildProvenance.ts';
import type { PipelineLimits, Validators } from './PipelineContext.ts';
import type { RouteRequest, RouteResult, TargetTokens } from '../modelCall/modelCallTypes.ts';

/** What PipelineService is built with (createCore wires it). */
export interface PipelineServiceDeps {
  runs: PipelineRepository;
  /** The project's current spec (from the interview). */
  specOf: (projectId: string) => SpecDraft;
  /** Throws NOT_FOUND for an unknown project. */
  projectExists: (projectId: string) => void;
  chat: (request: RouteRequest) => Promise<RouteResult>;
  /** The window of the target a task goes to now (the gateway's; it may load the adapter first). */
  /** The window of the target a task of this project would go to now (a project kept local: a local target). */
  contextWindow: (task: TaskKind, projectId?: string) => Promise<number | undefined> | number | undefined;
  promptBudget?: (task: TaskKind, projectId?: string) => Promise<TargetTokens | undefined>; // that window with the target's token count
  promptsDir: string;
  validators: Validators;
  bus: EventBus;
  generator: GeneratorInfo;
  /** The audit trail's rows for the requests of one run that left the machine (exported with it). */
  cloudRequestsOf?: (runId: string) => readonly AuditRowView[];
  /** This core's owner token (processOwner.ts), stored with the runs it works on. */
  owner: string;
  /** Whether a run's owner may still be working on it (default: never, so everything is recovered). */
  ownerAlive?: (owner: string | undefined) => boolean;
  limits?: Partial<PipelineLimits>;
  now?: () => Date;
  /** Folders an export may not replace, hold or enter (this core's data and models folders among them). */
  protectedFolders?: readonly ProtectedFolder[];
}
