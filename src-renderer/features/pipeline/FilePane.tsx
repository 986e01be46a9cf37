import type { RunView } from '../../../src-shared/pipeline/pipelineTypes.ts';
import { FileViewer } from './FileViewer.tsx';
import { LivePane } from './LivePane.tsx';
import { usePipelineStore } from './pipelineStore.ts';

/**
 * The right side of a run: the picked file (live while it is written, else its versions), or the
 * file the model is writing now when none is picked.
 */
export function FilePane({ run }: { run: RunView }) {
  const selectedPath = usePipelineStore((state) => state.selectedPath);
  const following = usePipelineStore((state) => state.following);
  const path = selectedPath ?? following;
  const live = usePipelineStore((state) => (path === null ? undefined : state.live[path]));
  const file = run.files.find((candidate) => candidate.path === path);

  if (path === null) {
    return (
      <p className="muted file-pane-hint" data-testid="file-pane-hint">
        {run.status === 'generating' ? 'The file being written shows here.' : 'Pick a file to see its code and how it changed.'}
      </p>
    );
  }
  if (live !== undefined || file?.status === 'generating') return <LivePane path={path} live={live} />;
  if (!file) {
    return (
      <p className="muted file-pane-hint" data-testid="file-pane-hint">
        {path} is not part of this run.
      </p>
    );
  }
  return <FileViewer key={file.path} run={run} file={file} />;
}
