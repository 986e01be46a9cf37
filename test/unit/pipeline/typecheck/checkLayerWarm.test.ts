import { describe, expect, it } from 'vitest';
import type { PipelineContext, SourceFile, Validators } from '../../../../src-main/pipeline/PipelineContext.ts';
import { checkLayer } from '../../../../src-main/pipeline/typecheck/checkLayer.ts';
import type { PlanFile } from '../../../../src-shared/pipeline/plan.ts';

/** A layer check's context whose checker is warm or not; it records the checks asked of it. */
function context(warm: boolean, asked: { runId?: string; pending: readonly string[] }[]): PipelineContext {
  const validators: Validators = {
    validateFile: () => Promise.resolve({ problems: [] }),
    checkConsistency: () => [],
    exportedSignatures: () => '',
    projectCheckWarm: () => warm,
    checkProject: (_files, options) => {
      asked.push({ pending: options.pending, ...(options.runId === undefined ? {} : { runId: options.runId }) });
      return Promise.resolve([]);
    },
  };
  return { validators, emit: () => undefined } as unknown as PipelineContext;
}

const files = new Map<string, SourceFile>([['app/models.py', { path: 'app/models.py', language: 'python', content: 'X = 1\n' }]]);
const plan: PlanFile[] = [
  { path: 'app/models.py', purpose: 'models', language: 'python', kind: 'source', dependsOn: [], exports: [] },
  { path: 'app/api.py', purpose: 'api', language: 'python', kind: 'source', dependsOn: ['app/models.py'], exports: [] },
];

describe('checkLayer and a cold checker', () => {
  it('does not hold the next layer back while the checker is cold, but hands it the files to analyse meanwhile', async () => {
    const asked: { runId?: string; pending: readonly string[] }[] = [];
    const cold = context(false, asked);
    // The background check never answers here: the layer must not wait for it.
    const check = cold.validators.checkProject?.bind(cold.validators);
    cold.validators.checkProject = (sources, options) => {
      void check?.(sources, options);
      return new Promise(() => undefined);
    };
    const result = await checkLayer(cold, { runId: 'r1', plan, files, layer: ['app/models.py'], signal: new AbortController().signal });
    expect(result).toEqual({ findings: 0, open: 0, skipped: true });
    expect(asked).toEqual([{ runId: 'r1', pending: ['app/api.py'] }]);
  });

  it('a background check that fails is not the layer\'s failure (the next check reports it)', async () => {
    const cold = context(false, []);
    cold.validators.checkProject = () => Promise.reject(new Error('pyright stopped'));
    const result = await checkLayer(cold, { runId: 'r1', plan, files, layer: ['app/models.py'], signal: new AbortController().signal });
    expect(result).toEqual({ findings: 0, open: 0, skipped: true });
  });

  it('checks the layer in the run\'s own workspace once the checker is warm', async () => {
    const asked: { runId?: string; pending: readonly string[] }[] = [];
    const result = await checkLayer(context(true, asked), { runId: 'r1', plan, files, layer: ['app/models.py'], signal: new AbortController().signal });
    expect(result).toEqual({ findings: 0, open: 0 });
    expect(asked).toEqual([{ runId: 'r1', pending: ['app/api.py'] }]);
  });
});
