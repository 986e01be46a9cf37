import { useMemo } from 'react';
import type { RunFileView } from '../../../src-shared/pipeline/pipelineTypes.ts';
import { buildFileTree, type TreeNode } from './buildFileTree.ts';
import { usePipelineStore } from './pipelineStore.ts';
import { StatusBadge } from './StatusBadge.tsx';
import { fileStatusLabels } from './statusLabels.ts';

/** The run's files by folder, each with its status, model calls and open problems; picking one shows it. */
export function FileTree({ files }: { files: readonly RunFileView[] }) {
  const tree = useMemo(() => buildFileTree(files), [files]);
  return (
    <nav className="file-tree" aria-label="Files" data-testid="file-tree">
      <TreeLevel nodes={tree} />
    </nav>
  );
}

function TreeLevel({ nodes }: { nodes: readonly TreeNode[] }) {
  return (
    <ul className="file-tree-level">
      {nodes.map((node) =>
        node.type === 'folder' ? (
          <li key={`folder:${node.path}`} className="file-tree-folder" data-testid="file-tree-folder">
            <span className="file-tree-folder-name">{node.name}/</span>
            <TreeLevel nodes={node.children} />
          </li>
        ) : (
          <li key={`file:${node.file.path}`}>
            <FileEntry name={node.name} file={node.file} />
          </li>
        ),
      )}
    </ul>
  );
}

function FileEntry({ name, file }: { name: string; file: RunFileView }) {
  const selected = usePipelineStore((state) => state.selectedPath === file.path);
  const selectFile = usePipelineStore((state) => state.selectFile);
  const problems = file.problems.length;
  const described = [file.path, fileStatusLabels[file.status], file.attempts > 1 ? `${file.attempts} model calls` : '', problems > 0 ? `${problems} open problems` : ''];
  return (
    <button
      type="button"
      className="file-tree-file"
      data-testid="run-file"
      data-path={file.path}
      data-status={file.status}
      aria-current={selected ? 'true' : undefined}
      aria-label={described.filter(Boolean).join(', ')}
      title={file.error ?? file.purpose}
      onClick={() => {
        selectFile(selected ? null : file.path);
      }}
    >
      <StatusBadge status={file.status} label={fileStatusLabels[file.status]} />
      <span className="file-tree-name">{name}</span>
      <span className="file-tree-meta muted">
        {file.attempts > 1 ? <span data-testid="run-file-attempts">{file.attempts} calls</span> : null}
        {problems > 0 ? (
          <span className="file-tree-problems" data-testid="run-file-problems">
            {problems} {problems === 1 ? 'problem' : 'problems'}
          </span>
        ) : null}
      </span>
    </button>
  );
}
