import type { PipelineService } from '../pipeline/PipelineService.ts';
import { requireFullPath } from '../paths/requireFullPath.ts';
import { defaultExportFolder, prepareDefaultExportParent } from '../export/defaultExportFolder.ts';
import type { Plan } from '../../src-shared/pipeline/plan.ts';
import type { Handlers } from './Handlers.ts';

type PipelineChannels = Extract<keyof Handlers, `pipeline.${string}`>;

/** The generation channels, over the PipelineService. */
export function createPipelineHandlers(pipeline: PipelineService): Pick<Handlers, PipelineChannels> {
  return {
    'pipeline.plan': ({ projectId, spec, concurrency, fresh }) => pipeline.plan(projectId, { ...(spec ? { spec } : {}), ...(concurrency !== undefined ? { concurrency } : {}), ...(fresh ? { fresh } : {}) }),
    // The service validates the plan itself, so a bad edit gets the plan checks' own messages.
    'pipeline.updatePlan': ({ runId, plan }) => pipeline.updatePlan(runId, plan as Plan),
    'pipeline.start': ({ runId, concurrency }) => pipeline.start(runId, concurrency !== undefined ? { concurrency } : {}),
    'pipeline.wait': ({ runId }) => pipeline.wait(runId),
    'pipeline.pause': ({ runId }) => pipeline.pause(runId),
    'pipeline.resume': ({ runId, concurrency }) => pipeline.resume(runId, concurrency !== undefined ? { concurrency } : {}),
    'pipeline.cancel': ({ runId }) => pipeline.cancel(runId),
    'pipeline.get': ({ runId }) => pipeline.get(runId),
    'pipeline.list': ({ projectId }) => pipeline.list(projectId),
    'pipeline.fileVersions': ({ runId, path }) => pipeline.versions(runId, path),
    // A relative folder would land in the core's working folder, which the user never sees.
    'pipeline.export': async ({ runId, outDir, zip, force, gitInit }) => {
      const target = requireFullPath(outDir, zip ? 'file' : 'folder');
      await prepareDefaultExportParent(target);
      return pipeline.export(runId, { outDir: target, ...(zip !== undefined ? { zip } : {}), ...(force !== undefined ? { force } : {}), ...(gitInit !== undefined ? { gitInit } : {}) });
    },
    'pipeline.exportFolder': ({ projectName }) => ({ path: defaultExportFolder(projectName) }),
    // The desktop app answers these two itself (electron/desktopExportChannels.ts); a browser has
    // no picker for the core's machine and no file manager to show it in.
    'pipeline.pickExportFolder': () => ({ available: false, path: null }),
    'pipeline.openExportFolder': () => ({ available: false }),
  };
}
