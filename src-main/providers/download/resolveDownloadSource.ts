import { AppError } from '../../../src-shared/AppError.ts';

/** Where a model download comes from: the URL fetched and the file name it is saved under. */
export interface DownloadSource {
  /** What the user asked for, as given (an https URL or an `hf:` URI). */
  uri: string;
  url: string;
  fileName: string;
}

export interface ResolveOptions {
  /** Hugging Face's address; tests point it at a loopback server. */
  huggingFaceEndpoint?: string;
  signal?: AbortSignal;
  headers?: Record<string, string>;
  fetch?: typeof fetch;
}

const defaultEndpoint = 'https://huggingface.co/';
const safeName = /^[A-Za-z0-9][A-Za-z0-9._+-]{0,199}$/;

/**
 * The file name a download is saved under: the last part of its path, which must be a plain
 * `.gguf` name (no folders, no leading dot: the staging folder and hidden files are ours).
 */
export function modelFileName(name: string, uri: string): string {
  if (!safeName.test(name) || !name.toLowerCase().endsWith('.gguf')) {
    throw new AppError('INVALID_INPUT', `${uri.slice(0, 200)} does not name a .gguf file (got "${name.slice(0, 80)}"); give the address of one GGUF file`);
  }
  return name;
}

function lastPathPart(url: URL): string {
  const parts = url.pathname.split('/').filter((part) => part !== '');
  try {
    return decodeURIComponent(parts.at(-1) ?? '');
  } catch {
    return parts.at(-1) ?? '';
  }
}

function endpointOf(options: ResolveOptions): string {
  const endpoint = options.huggingFaceEndpoint ?? defaultEndpoint;
  return endpoint.endsWith('/') ? endpoint : `${endpoint}/`;
}

/**
 * Turns what the user typed into a URL and a file name, the way node-llama-cpp reads model
 * URIs: `https://host/path/file.gguf`; `hf:user/repo/path/file.gguf[#revision]` (Hugging Face's
 * resolve URL); `hf:user/repo:QUANT` (the file Hugging Face's manifest names for that
 * quantisation, asked with llama.cpp's user agent, which is what makes it answer with the file).
 * Split models (`-00001-of-0000N.gguf`) are refused: only single-file models are pulled.
 */
export async function resolveDownloadSource(uri: string, options: ResolveOptions = {}): Promise<DownloadSource> {
  if (/^https?:\/\//i.test(uri)) {
    const url = new URL(uri);
    return checkedSource({ uri, url: url.href, fileName: modelFileName(lastPathPart(url), uri) });
  }
  if (!uri.startsWith('hf:')) throw new AppError('INVALID_INPUT', `A model address starts with https://, http:// or hf: (got "${uri.slice(0, 80)}")`);
  const [user, repoAndTag, ...rest] = uri.slice(3).split('/');
  if (!user || !repoAndTag) throw new AppError('INVALID_INPUT', `${uri.slice(0, 200)} is not a Hugging Face model address: write hf:USER/REPO/FILE.gguf or hf:USER/REPO:QUANT`);
  const endpoint = endpointOf(options);
  if (rest.length === 0) {
    const [repo, tag] = repoAndTag.split(':');
    const file = await manifestFile(endpoint, user, repo ?? '', tag || 'latest', uri, options);
    return checkedSource({ uri, url: resolveUrl(endpoint, user, repo ?? '', 'main', file), fileName: modelFileName(file.split('/').at(-1) ?? '', uri) });
  }
  const path = rest.join('/');
  const hash = path.indexOf('#');
  const filePath = hash < 0 ? path : path.slice(0, hash);
  const revision = hash < 0 ? 'main' : path.slice(hash + 1) || 'main';
  return checkedSource({ uri, url: resolveUrl(endpoint, user, repoAndTag, revision, filePath), fileName: modelFileName(filePath.split('/').at(-1) ?? '', uri) });
}

function resolveUrl(endpoint: string, user: string, repo: string, revision: string, filePath: string): string {
  const file = filePath.split('/').map(encodeURIComponent).join('/');
  return `${endpoint}${encodeURIComponent(user)}/${encodeURIComponent(repo)}/resolve/${encodeURIComponent(revision)}/${file}?download=true`;
}

function checkedSource(source: DownloadSource): DownloadSource {
  if (/-\d{5}-of-\d{5}\.gguf$/i.test(source.fileName)) {
    throw new AppError('INVALID_INPUT', `${source.uri.slice(0, 200)} is a split model (${source.fileName}); pull a single-file quantisation, or download every part on a connected machine and import the first`);
  }
  return source;
}

async function manifestFile(endpoint: string, user: string, repo: string, tag: string, uri: string, options: ResolveOptions): Promise<string> {
  const url = `${endpoint}v2/${encodeURIComponent(user)}/${encodeURIComponent(repo)}/manifests/${encodeURIComponent(tag)}`;
  const response = await (options.fetch ?? fetch)(url, {
    headers: { ...options.headers, 'User-Agent': 'llama-cpp' },
    ...(options.signal ? { signal: options.signal } : {}),
  });
  if (response.status === 404 || response.status === 400) {
    throw new AppError('NOT_FOUND', `Hugging Face has no quantisation "${tag}" of ${user}/${repo} (${uri.slice(0, 200)})`);
  }
  if (!response.ok) throw Object.assign(new Error(`Hugging Face answered ${response.status} for ${uri.slice(0, 200)}`), { statusCode: response.status });
  const body = (await response.json().catch(() => undefined)) as { ggufFile?: { rfilename?: unknown } } | undefined;
  const file = body?.ggufFile?.rfilename;
  if (typeof file !== 'string' || file === '') throw new AppError('NOT_FOUND', `Hugging Face names no GGUF file for ${uri.slice(0, 200)}`);
  return file;
}
