import type { FileLanguage } from '../../../src-shared/pipeline/plan.ts';

const byExtension: Readonly<Record<string, FileLanguage>> = {
  py: 'python',
  pyi: 'python',
  ts: 'typescript',
  tsx: 'typescript',
  mts: 'typescript',
  cts: 'typescript',
  js: 'javascript',
  jsx: 'javascript',
  mjs: 'javascript',
  cjs: 'javascript',
  json: 'json',
  jsonc: 'json',
  yml: 'yaml',
  yaml: 'yaml',
  toml: 'toml',
  sh: 'bash',
  bash: 'bash',
  md: 'markdown',
  markdown: 'markdown',
  ini: 'ini',
  cfg: 'ini',
  sql: 'sql',
};

/**
 * The language of a file from its name, for files a model produced without a plan entry (or
 * whose plan entry we do not trust). `Dockerfile`, `Dockerfile.dev` and `api.Dockerfile` are
 * Dockerfiles; unknown names are plain text, which gets no syntax check.
 */
export function languageOfPath(path: string): FileLanguage {
  const name = path.slice(path.lastIndexOf('/') + 1);
  const lower = name.toLowerCase();
  if (lower === 'dockerfile' || lower.startsWith('dockerfile.') || lower.endsWith('.dockerfile') || lower === 'containerfile') return 'dockerfile';
  const dot = lower.lastIndexOf('.');
  if (dot <= 0) return 'text';
  return byExtension[lower.slice(dot + 1)] ?? 'text';
}
