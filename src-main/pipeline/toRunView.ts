import type { RunView } from '../../src-shared/pipeline/pipelineTypes.ts';
import type { PipelineRepository, StoredRun } from '../store/PipelineRepository.ts';
import { documentPaths, documents } from './writeDocs.ts';

/**
 * A stored run as the UI and CLI see it: each file with what its plan entry says (docs, not in
 * the plan, get their goal as purpose), progress over the planned files and the docs, findings.
 */
export function toRunView(runs: Pick<PipelineRepository, 'files' | 'findings'>, run: StoredRun): RunView {
  const files = runs.files(run.id);
  const planned = new Map(run.plan?.files.map((file) => [file.path, file]));
  const expected = new Set([...planned.keys(), ...documentPaths]);
  return {
    id: run.id,
    projectId: run.projectId,
    status: run.status,
    phase: run.phase,
    plan: run.plan,
    concurrency: run.concurrency,
    ...(run.error !== undefined ? { error: run.error } : {}),
    ...(run.checkNote !== undefined ? { checkNote: run.checkNote } : {}),
    files: files.map((file) => {
      const entry = planned.get(file.path);
      return {
        path: file.path,
        purpose: entry?.purpose ?? documents.find((document) => document.path === file.path)?.goal ?? '',
        language: entry?.language ?? 'markdown',
        kind: entry?.kind ?? 'doc',
        dependsOn: entry?.dependsOn ?? [],
        status: file.status,
        attempts: file.attempts,
        ...(file.providerId !== undefined ? { providerId: file.providerId } : {}),
        ...(file.model !== undefined ? { model: file.model } : {}),
        inputTokens: file.inputTokens,
        outputTokens: file.outputTokens,
        problems: file.problems,
        ...(file.error !== undefined ? { error: file.error } : {}),
      };
    }),
    progress: { done: files.filter((file) => file.status === 'done').length, total: run.plan ? expected.size : 0 },
    findings: runs.findings(run.id),
    createdAt: run.createdAt,
    updatedAt: run.updatedAt,
  };
}
