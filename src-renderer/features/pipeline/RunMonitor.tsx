import type { RunView } from '../../../src-shared/pipeline/pipelineTypes.ts';
import { RunTabs } from '../tests/RunTabs.tsx';
import { ExportSection } from './ExportSection.tsx';
import { FilePane } from './FilePane.tsx';
import { FileTree } from './FileTree.tsx';
import { FindingList } from './FindingList.tsx';
import { RunControls } from './RunControls.tsx';
import { RunProgress } from './RunProgress.tsx';

/** A run from its start on: progress and controls, its files (live while written), the cross-file findings, and export and tests when done. */
export function RunMonitor({ run }: { run: RunView }) {
  const files = (
    <>
      <div className="run-files">
        <FileTree files={run.files} />
        <div className="run-file-pane">
          <FilePane run={run} />
        </div>
      </div>
      <FindingList findings={run.findings} phase={run.phase} />
    </>
  );
  return (
    <section className="run-monitor" data-testid="run-monitor" data-run-id={run.id} data-status={run.status}>
      <div className="run-monitor-top">
        <RunProgress run={run} />
        <RunControls run={run} />
      </div>
      {run.status === 'done' ? <ExportSection /> : null}
      <RunTabs run={run} files={files} />
    </section>
  );
}
