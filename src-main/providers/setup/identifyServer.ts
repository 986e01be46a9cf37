import type { DetectedServer, ServerKind } from '../../../src-shared/domain/setup.ts';
import { listedContextLength } from '../serverContextLength.ts';
import { loopbackGet, type LoopbackAnswer, type LoopbackHost } from './loopbackGet.ts';

/** Bounds of one probe request: a model list of a few hundred entries is well under 1 MB. */
export const probeLimits = { timeoutMs: 1_500, maxBytes: 1_000_000 };

const maxModels = 200;

export type Identified = { outcome: 'found'; server: DetectedServer } | { outcome: 'closed' | 'not-a-model-server' };

const names: Record<ServerKind, string> = {
  ollama: 'Ollama',
  'lm-studio': 'LM Studio',
  'llama-server': 'llama.cpp server (llama-server)',
  vllm: 'vLLM',
  'openai-compatible': 'an OpenAI-compatible server',
};

/**
 * Asks one loopback port what it is, by the endpoints each server has of its own (all asked at
 * once, each bounded): Ollama's `/api/version` (models from `/api/tags`), llama-server's `/props`,
 * LM Studio's `/api/v0/models` (entries with a `type` and a load `state`), vLLM's `/version` next
 * to an OpenAI model list; any other server with an OpenAI `/v1/models` list is "an
 * OpenAI-compatible server". Nothing answering is `closed`; an answer that is none of these is
 * `not-a-model-server`. Text from the server (model ids, version) is bounded and scrubbed.
 */
export async function identifyServer(host: LoopbackHost, port: number, signal?: AbortSignal): Promise<Identified> {
  const get = (path: string) => loopbackGet(host, port, path, { ...probeLimits, ...(signal ? { signal } : {}) });
  const [apiVersion, tags, v1Models, v0Models, props, version] = await Promise.all([
    get('/api/version'),
    get('/api/tags'),
    get('/v1/models'),
    get('/api/v0/models'),
    get('/props'),
    get('/version'),
  ]);
  if ([apiVersion, tags, v1Models, v0Models, props, version].every((answer) => answer === undefined)) return { outcome: 'closed' };
  const origin = `http://${host === '::1' ? '[::1]' : host}:${port}`;
  const found = (kind: ServerKind, models: DetectedServer['models'], evidence: string, serverVersion?: string): Identified => ({
    outcome: 'found',
    server: {
      kind,
      name: names[kind],
      host,
      port,
      baseUrl: kind === 'ollama' ? origin : `${origin}/v1`,
      providerType: kind === 'ollama' ? 'ollama' : 'openai',
      ...(serverVersion ? { version: serverVersion } : {}),
      models,
      evidence,
    },
  });

  const ollamaVersion = textField(jsonOf(apiVersion), 'version');
  if (ollamaVersion !== undefined) {
    const listed = arrayField(jsonOf(tags), 'models');
    return found('ollama', modelsOf(listed ?? [], (entry) => textField(entry, 'name') ?? textField(entry, 'model')), `/api/version answered ${ollamaVersion}`, ollamaVersion);
  }
  const openAiList = arrayField(jsonOf(v1Models), 'data');
  const propsBody = jsonOf(props);
  if (isObject(propsBody) && (isObject(propsBody.default_generation_settings) || typeof propsBody.model_path === 'string')) {
    const nCtx = isObject(propsBody.default_generation_settings) ? propsBody.default_generation_settings.n_ctx : undefined;
    const window = typeof nCtx === 'number' && Number.isInteger(nCtx) && nCtx > 0 ? nCtx : undefined;
    const models = modelsOf(openAiList ?? [], (entry) => textField(entry, 'id'), () => window);
    return found('llama-server', models, '/props answered with llama.cpp server settings', textField(propsBody, 'build_info'));
  }
  const lmStudio = arrayField(jsonOf(v0Models), 'data');
  if (lmStudio && lmStudio.length > 0 && lmStudio.every((entry) => textField(entry, 'type') !== undefined && textField(entry, 'state') !== undefined)) {
    // Embedding models cannot chat: only language (and vision-language) models are offered.
    const chat = lmStudio.filter((entry) => ['llm', 'vlm'].includes(textField(entry, 'type') ?? ''));
    return found('lm-studio', modelsOf(chat, (entry) => textField(entry, 'id')), '/api/v0/models answered with LM Studio model entries');
  }
  if (openAiList) {
    const vllmVersion = textField(jsonOf(version), 'version');
    const ownedByVllm = openAiList.some((entry) => textField(entry, 'owned_by') === 'vllm');
    if (vllmVersion !== undefined || ownedByVllm) {
      return found('vllm', modelsOf(openAiList, (entry) => textField(entry, 'id')), vllmVersion !== undefined ? `/version answered ${vllmVersion} next to /v1/models` : '/v1/models lists models owned by vllm', vllmVersion);
    }
    return found('openai-compatible', modelsOf(openAiList, (entry) => textField(entry, 'id')), '/v1/models answered with an OpenAI model list');
  }
  return { outcome: 'not-a-model-server' };
}

function jsonOf(answer: LoopbackAnswer | undefined): unknown {
  return answer && answer.status >= 200 && answer.status < 300 ? answer.json : undefined;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function arrayField(value: unknown, field: string): unknown[] | undefined {
  if (!isObject(value)) return undefined;
  const list = value[field];
  return Array.isArray(list) ? list : undefined;
}

/** A short printable string field: control characters dropped, at most 200 characters, else undefined. */
function textField(value: unknown, field: string): string | undefined {
  if (!isObject(value)) return undefined;
  const raw = value[field];
  if (typeof raw !== 'string') return undefined;
  const clean = raw.replace(/[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2066-\u2069]/g, '').trim();
  return clean === '' || clean.length > 200 ? undefined : clean;
}

function modelsOf(entries: unknown[], idOf: (entry: unknown) => string | undefined, windowOf?: (entry: unknown) => number | undefined): DetectedServer['models'] {
  const models: DetectedServer['models'] = [];
  const seen = new Set<string>();
  for (const entry of entries) {
    if (models.length >= maxModels) break;
    const id = idOf(entry);
    if (id === undefined || seen.has(id)) continue;
    seen.add(id);
    const window = listedContextLength(entry).enforced ?? windowOf?.(entry);
    models.push({ id, ...(window !== undefined ? { contextLength: window } : {}) });
  }
  return models;
}
