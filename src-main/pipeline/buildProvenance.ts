import { createHash } from 'node:crypto';
import type { FileVersionView, FindingView } from '../../src-shared/pipeline/pipelineTypes.ts';
import type { StoredRun, StoredRunFile } from '../store/PipelineRepository.ts';
import type { AuditRowView } from '../../src-shared/domain/audit.ts';

export interface GeneratorInfo {
  name: string;
  version: string;
}

export const provenanceFormat = 1;

/**
 * What made an exported project, for a later audit: the generator, the spec, the plan and the
 * prompt version that made it, and for every file the provider, model, prompt version, model
 * calls, tokens, each version's reason and problems, its final validation and a SHA-256 of the
 * exported text, and the audit trail's rows of the run's requests that left the machine. Holds no
 * keys and no prompts (the spec is the user's own input).
 */
export function buildProvenance(input: {
  generator: GeneratorInfo;
  run: StoredRun;
  files: readonly StoredRunFile[];
  versions: (path: string) => FileVersionView[];
  findings: readonly FindingView[];
  exportedAt: Date;
  /** The audit trail's rows for this run's requests that left the machine, when the trail is at hand. */
  cloudRequests?: readonly AuditRowView[];
}) {
  const { run } = input;
  return {
    format: provenanceFormat,
    generator: input.generator,
    runId: run.id,
    createdAt: run.createdAt,
    exportedAt: input.exportedAt.toISOString(),
    spec: run.spec,
    plan: { promptVersion: run.planPromptVersion ?? null, files: run.plan?.files.length ?? 0, install: run.plan?.install ?? '', test: run.plan?.test ?? '' },
    files: input.files.map((file) => ({
      path: file.path,
      sha256: createHash('sha256')
        .update(file.content ?? '', 'utf8')
        .digest('hex'),
      providerId: file.providerId ?? null,
      model: file.model ?? null,
      promptVersion: file.promptVersion ?? null,
      attempts: file.attempts,
      tokens: { input: file.inputTokens, output: file.outputTokens },
      validation: { ok: file.problems.length === 0, problems: file.problems.map(({ rule, line, message }) => ({ rule, ...(line !== undefined ? { line } : {}), message })) },
      versions: input.versions(file.path).map((version) => ({
        reason: version.reason,
        providerId: version.providerId ?? null,
        model: version.model ?? null,
        problems: version.problems.length,
        at: version.createdAt,
      })),
    })),
    consistency: input.findings.map(({ round, source, path, line, message, status }) => ({ round, source, path, ...(line !== undefined ? { line } : {}), message, status })),
    // Every request of this run that left the machine, as the audit trail has it (host, bytes, the
    // prompt's hash, redactions, why that target; each row's hash and the one before it, so the
    // rows can be checked against the trail they came from). Empty: nothing of this run left.
    ...(input.cloudRequests ? { cloudRequests: input.cloudRequests } : {}),
  };
}
