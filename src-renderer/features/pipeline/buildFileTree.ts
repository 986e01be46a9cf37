import type { RunFileView } from '../../../src-shared/pipeline/pipelineTypes.ts';

export interface FolderNode {
  type: 'folder';
  name: string;
  /** The folder's path, for keys ("app/api"). */
  path: string;
  children: TreeNode[];
}

export interface FileNode {
  type: 'file';
  name: string;
  file: RunFileView;
}

export type TreeNode = FolderNode | FileNode;

/** The run's files as folders and files, folders first, each level sorted by name. */
export function buildFileTree(files: readonly RunFileView[]): TreeNode[] {
  const root: FolderNode = { type: 'folder', name: '', path: '', children: [] };
  for (const file of files) {
    const segments = file.path.split('/');
    const name = segments.pop() ?? file.path;
    let folder = root;
    for (const segment of segments) {
      const path = folder.path === '' ? segment : `${folder.path}/${segment}`;
      let next = folder.children.find((child): child is FolderNode => child.type === 'folder' && child.name === segment);
      if (!next) {
        next = { type: 'folder', name: segment, path, children: [] };
        folder.children.push(next);
      }
      folder = next;
    }
    folder.children.push({ type: 'file', name, file });
  }
  const sort = (nodes: TreeNode[]): TreeNode[] =>
    nodes
      .map((node) => (node.type === 'folder' ? { ...node, children: sort(node.children) } : node))
      .sort((a, b) => (a.type === b.type ? a.name.localeCompare(b.name) : a.type === 'folder' ? -1 : 1));
  return sort(root.children);
}
