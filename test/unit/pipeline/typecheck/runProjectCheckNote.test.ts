// When the project-wide type check cannot run, the run says so (its findings are missing, not
// zero): the note is kept with the run, shown on its page, and goes when a later check runs.
import { createElement, type ComponentType } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { emptySpec } from '../../../../src-shared/domain/serviceSpec.ts';
import type { PipelineEvent, RunView } from '../../../../src-shared/pipeline/pipelineTypes.ts';
import type { PipelineContext } from '../../../../src-main/pipeline/PipelineContext.ts';
import { toRunView } from '../../../../src-main/pipeline/toRunView.ts';
import { ProjectCheckFailed } from '../../../../src-main/pipeline/typecheck/ProjectCheckFailed.ts';
import { runProjectCheck } from '../../../../src-main/pipeline/typecheck/runProjectCheck.ts';
import { openDatabase } from '../../../../src-main/store/openDatabase.ts';
import { PipelineRepository } from '../../../../src-main/store/PipelineRepository.ts';
import { ProjectRepository } from '../../../../src-main/store/ProjectRepository.ts';

// The page's component, loaded as the other renderer tests load theirs (no JSX in the node type check).
const runProgressModule = '../../../../src-renderer/features/pipeline/RunProgress.tsx';

describe('a type check that could not run', () => {
  it('is said with the run, on its page, and cleared by a later check that ran', async () => {
    const { RunProgress } = (await import(runProgressModule)) as { RunProgress: ComponentType<{ run: RunView }> };
    const db = openDatabase(':memory:');
    const runs = new PipelineRepository(db);
    const project = new ProjectRepository(db).create('Edge firewall');
    const run = runs.createRun(project.id, emptySpec(), 2);
    const events: PipelineEvent[] = [];
    let fail = true;
    const context = {
      runs,
      emit: (event: PipelineEvent) => events.push(event),
      validators: {
        checkProject: async () => {
          if (fail) throw new ProjectCheckFailed('unavailable', 'The Python type check could not be started in this app window; the project\'s own tests still run in the sandbox.');
          return [];
        },
      },
    } as unknown as PipelineContext;
    const signal = new AbortController().signal;

    expect(await runProjectCheck(context, [], [], signal, run.id)).toEqual([]);
    const view = toRunView(runs, runs.run(run.id));
    expect(view.checkNote).toBe("The type check could not run (not available here): The Python type check could not be started in this app window; the project's own tests still run in the sandbox.");
    expect(events).toEqual([{ runId: run.id, kind: 'changed' }]);
    const html = renderToStaticMarkup(createElement(RunProgress, { run: view }));
    expect(html).toContain('data-testid="run-check-note"');
    expect(html).toContain('The type check could not run (not available here)');

    fail = false;
    await runProjectCheck(context, [], [], signal, run.id);
    expect(toRunView(runs, runs.run(run.id)).checkNote).toBeUndefined();
    expect(renderToStaticMarkup(createElement(RunProgress, { run: toRunView(runs, runs.run(run.id)) }))).not.toContain('run-check-note');
  });
});
