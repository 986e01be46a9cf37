import { sendJson, sleep, startFakeServer } from './fakeServerBase.ts';
import type { FakeServer, FakeServerOptions, ProtocolDefinition, Wire } from './fakeServerBase.ts';

/**
 * A fake Ollama server: `POST /api/chat` streams NDJSON (`application/x-ndjson`) message lines
 * and a final `done: true` line with `done_reason`, `prompt_eval_count` and `eval_count`;
 * `GET /api/tags`, `POST /api/show` (with `model_info['<arch>.context_length']`),
 * `GET /api/version`, `POST /api/pull` streaming progress lines (a pull that succeeds adds the
 * model to the list; the client closing the connection stops the stream, and the request is
 * recorded as `client-closed`), and `DELETE /api/delete` (removes it; 404 when absent). Errors
 * are `{error: "..."}`, in-stream ones as an NDJSON line, as Ollama sends them.
 */

export type { FakeServer, FakeStep, RecordedRequest } from './fakeServerBase.ts';

export interface FakeOllamaModel {
  name: string;
  size?: number;
  family?: string;
  quantization?: string;
  /** Reported by /api/show as `<family>.context_length`; omitted when undefined. */
  contextLength?: number;
  parameterSize?: string;
  /** Reported by /api/show as `<family>.block_count`, `.attention.head_count(_kv)`, `.embedding_length`. */
  shape?: { layers: number; heads: number; kvHeads: number; embeddingLength: number };
}

export interface FakePullOptions {
  /** Progress lines streamed in order; a final `{status: 'success'}` is added unless `error` is set. */
  steps?: Record<string, unknown>[];
  chunkDelayMs?: number;
  /** Sent as an in-stream `{error}` line after the steps instead of success. */
  error?: string;
}

export interface FakeOllamaOptions extends FakeServerOptions {
  models?: (string | FakeOllamaModel)[];
  pull?: FakePullOptions;
  version?: string;
}

export interface FakeOllamaServer extends FakeServer {
  /** The names the server lists now (pulls add, deletes remove). */
  modelNames(): string[];
  /** Pull progress lines written so far, over every pull (a cancelled pull stops adding). */
  pullLinesWritten(): number;
}

/**
 * Progress lines of a pull of one layer of `total` bytes in `count` steps, between Ollama's
 * manifest and verify lines (for pulls long enough to cancel part way).
 */
export function layerPullSteps(total: number, count: number, digest = 'sha256:bbbb'): Record<string, unknown>[] {
  const steps: Record<string, unknown>[] = [{ status: 'pulling manifest' }];
  for (let index = 0; index <= count; index += 1) steps.push({ status: `pulling ${digest.slice(7, 19)}`, digest, total, completed: Math.round((total * index) / count) });
  steps.push({ status: 'verifying sha256 digest' }, { status: 'writing manifest' });
  return steps;
}

const createdAt = '2025-01-01T00:00:00.000000Z';
const line = (data: unknown): string => `${JSON.stringify(data)}\n`;
const modelOf = (request: unknown): string => String((request as { model?: unknown } | undefined)?.model ?? 'fake-model');

export const ollamaWire: Wire = {
  contentType: 'application/x-ndjson',
  start: () => [],
  token: (request, text) => line({ model: modelOf(request), created_at: createdAt, message: { role: 'assistant', content: text }, done: false }),
  end: (request, finish, usage) => [
    line({
      model: modelOf(request),
      created_at: createdAt,
      message: { role: 'assistant', content: '' },
      done: true,
      done_reason: finish,
      total_duration: 1_000_000,
      load_duration: 100_000,
      prompt_eval_count: usage.inputTokens,
      prompt_eval_duration: 200_000,
      eval_count: usage.outputTokens,
      eval_duration: 700_000,
    }),
  ],
  malformed: () => '{"model":"fake","message":{"role":"assist\n',
  streamError: (_request, error) => [line({ error: error.message })],
  errorBody: (_status, message) => ({ error: message }),
};

const defaultPullSteps: Record<string, unknown>[] = [
  { status: 'pulling manifest' },
  { status: 'pulling sha256:aaaa', digest: 'sha256:aaaa', total: 1000, completed: 0 },
  { status: 'pulling sha256:aaaa', digest: 'sha256:aaaa', total: 1000, completed: 500 },
  { status: 'pulling sha256:aaaa', digest: 'sha256:aaaa', total: 1000, completed: 1000 },
  { status: 'verifying sha256 digest' },
  { status: 'writing manifest' },
];

export async function startFakeOllamaServer(options: FakeOllamaOptions = {}): Promise<FakeOllamaServer> {
  const models: FakeOllamaModel[] = (options.models ?? [{ name: 'llama3.2:latest', contextLength: 131_072 }, { name: 'qwen2.5-coder:7b' }]).map((model) =>
    typeof model === 'string' ? { name: model } : model,
  );
  let pullLines = 0;
  const protocol: ProtocolDefinition = {
    wire: ollamaWire,
    isChat: (method, path) => method === 'POST' && path === '/api/chat',
    handleOther: async ({ res, recorded }) => {
      const body = (recorded.json ?? {}) as { model?: string; name?: string };
      const route = `${recorded.method} ${recorded.path}`;
      if (route === 'GET /' || route === 'HEAD /') {
        res.writeHead(200, { 'content-type': 'text/plain; charset=utf-8' });
        res.end('Ollama is running');
        return true;
      }
      if (route === 'GET /api/version') {
        sendJson(res, 200, { version: options.version ?? '0.6.4' });
        return true;
      }
      if (route === 'GET /api/tags') {
        sendJson(res, 200, {
          models: models.map((model) => ({
            name: model.name,
            model: model.name,
            modified_at: createdAt,
            size: model.size ?? 2_019_393_189,
            digest: 'a80c4f17acd5',
            details: {
              parent_model: '',
              format: 'gguf',
              family: model.family ?? 'llama',
              families: [model.family ?? 'llama'],
              parameter_size: model.parameterSize ?? '3.2B',
              quantization_level: model.quantization ?? 'Q4_K_M',
            },
          })),
        });
        return true;
      }
      if (route === 'POST /api/show') {
        const model = models.find((m) => m.name === (body.model ?? body.name));
        if (!model) {
          sendJson(res, 404, { error: `model '${body.model ?? body.name}' not found` });
          return true;
        }
        const family = model.family ?? 'llama';
        sendJson(res, 200, {
          modelfile: '# fake',
          parameters: '',
          template: '{{ .Prompt }}',
          details: { format: 'gguf', family, parameter_size: '3.2B', quantization_level: model.quantization ?? 'Q4_K_M' },
          model_info: {
            'general.architecture': family,
            'general.parameter_count': 3_212_749_888,
            ...(model.contextLength === undefined ? {} : { [`${family}.context_length`]: model.contextLength }),
            ...(model.shape === undefined
              ? {}
              : {
                  [`${family}.block_count`]: model.shape.layers,
                  [`${family}.attention.head_count`]: model.shape.heads,
                  [`${family}.attention.head_count_kv`]: model.shape.kvHeads,
                  [`${family}.embedding_length`]: model.shape.embeddingLength,
                }),
          },
          capabilities: ['completion'],
          modified_at: createdAt,
        });
        return true;
      }
      if (route === 'POST /api/pull') {
        const pull = options.pull ?? {};
        res.writeHead(200, { 'content-type': 'application/x-ndjson' });
        res.flushHeaders();
        const lines = [...(pull.steps ?? defaultPullSteps), pull.error === undefined ? { status: 'success' } : { error: pull.error }];
        for (const entry of lines) {
          if (res.destroyed) return true; // the client closed the connection: Ollama stops the pull
          res.write(line(entry));
          pullLines += 1;
          await sleep(pull.chunkDelayMs ?? 0);
        }
        const name = body.model ?? body.name;
        if (pull.error === undefined && name !== undefined && !models.some((m) => m.name === name)) models.push({ name });
        res.end();
        return true;
      }
      if (route === 'DELETE /api/delete') {
        const index = models.findIndex((m) => m.name === (body.model ?? body.name));
        if (index < 0) {
          sendJson(res, 404, { error: `model '${body.model ?? body.name}' not found` });
          return true;
        }
        models.splice(index, 1);
        res.writeHead(200, { 'content-length': '0' });
        res.end();
        return true;
      }
      return false;
    },
    baseUrl: (origin) => origin,
  };
  const server = await startFakeServer(protocol, options);
  return { ...server, modelNames: () => models.map((model) => model.name), pullLinesWritten: () => pullLines };
}
