import { createServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

/**
 * The protocol-independent half of the fake model servers (fakeOpenAiServer, fakeAnthropicServer,
 * fakeOllamaServer): a real HTTP server on 127.0.0.1, a queue of scripted steps consumed one per
 * chat request, request recording, and the faults (status, hang, reset, malformed, truncation)
 * a router has to survive. Each protocol file supplies only its wire format (`Wire`).
 */

export interface UsageSpec {
  inputTokens: number;
  outputTokens: number;
}

/** Fields every step accepts. */
export interface StepCommon {
  /** Wait this long before answering at all (no headers yet). */
  delayMs?: number;
}

/** A streamed answer in the provider's exact wire format: tokens, then finish and usage events. */
export interface ReplyStep extends StepCommon {
  /** Text, or an object streamed as its JSON text (as structured output arrives). */
  reply: string | { json: unknown };
  /** How many token frames the text is split into (default: up to 4). */
  chunks?: number;
  chunkDelayMs?: number;
  /** Default: input = words in the request's messages, output = number of chunks. */
  usage?: UsageSpec;
  /** `refusal`: the provider's own refusal or content filter (OpenAI content_filter, Anthropic refusal). */
  finish?: 'stop' | 'length' | 'refusal';
  /** The finish value sent on the wire as it is, instead of `finish`'s (a server's own word, e.g. OpenRouter's "error", vLLM's "abort"; Anthropic's stop_reason, e.g. "pause_turn"). */
  wireFinish?: string;
  /**
   * The model's own refusal in the protocol's refusal field (OpenAI's structured outputs: `delta.refusal`
   * text, no content, finish_reason "stop"), for a wire that has one (`refusalToken`).
   */
  refusalField?: true;
}

/** An HTTP error answer; `body` defaults to the provider's own error JSON for that status. */
export interface StatusStep extends StepCommon {
  status: number;
  headers?: Record<string, string>;
  body?: unknown;
}

/** Never answers (for timeouts); with `afterHeaders`, sends 200 headers and then nothing. */
export interface HangStep extends StepCommon {
  hang: true;
  afterHeaders?: boolean;
}

/** Destroys the socket before any token: before the headers, or just after them. */
export interface ResetBeforeFirstTokenStep extends StepCommon {
  resetBeforeFirstToken: true;
  afterHeaders?: boolean;
}

/** Streams `resetAfterTokens` token frames, then destroys the socket. */
export interface ResetAfterTokensStep extends StepCommon {
  resetAfterTokens: number;
  reply?: string;
  chunkDelayMs?: number;
}

/** Streams `afterTokens` token frames (default 0), then a frame that is not valid JSON, then ends. */
export interface MalformedStep extends StepCommon {
  malformed: true;
  afterTokens?: number;
}

/** Streams `endAfterTokens` token frames, then ends the response cleanly without any finish event. */
export interface TruncatedStep extends StepCommon {
  endAfterTokens: number;
  reply?: string;
}

/** Streams `afterTokens` token frames (default 0), then the provider's in-stream error event. */
export interface StreamErrorStep extends StepCommon {
  streamError: { message: string; type?: string; code?: string | number };
  afterTokens?: number;
}

/** Only waits `delayMs`, then answers as usual (the default step for chat, the normal answer elsewhere). */
export interface DelayStep {
  delayMs: number;
}

export type FakeStep =
  | DelayStep
  | ReplyStep
  | StatusStep
  | HangStep
  | ResetBeforeFirstTokenStep
  | ResetAfterTokensStep
  | MalformedStep
  | TruncatedStep
  | StreamErrorStep;

/**
 * How a request ended as the server saw it: `completed` (the server finished the response),
 * `client-closed` (the client closed the connection first: an abort), `reset` (the server
 * destroyed the socket on purpose), `pending` (still open).
 */
export type RequestOutcome = 'pending' | 'completed' | 'client-closed' | 'reset';

export interface RecordedRequest {
  method: string;
  /** Path without the query string. */
  path: string;
  query: Record<string, string>;
  /** Lower-case header names, e.g. `authorization`, `x-api-key`. */
  headers: Record<string, string>;
  /** The key the client sent: `x-api-key`, else the `Authorization: Bearer` token; undefined when none. */
  apiKey: string | undefined;
  /** The parsed JSON body, or undefined when there was none or it was not JSON. */
  json: unknown;
  outcome: RequestOutcome;
  /** When the request arrived (Date.now()). */
  receivedAt: number;
}

/** What one protocol puts on the wire. `request` is the chat request's JSON body. */
export interface Wire {
  contentType: string;
  start(request: unknown, usage: UsageSpec): string[];
  token(request: unknown, text: string, index: number): string;
  /** A piece of the model's refusal in the protocol's own refusal field, where it has one. */
  refusalToken?(request: unknown, text: string): string;
  end(request: unknown, finish: 'stop' | 'length' | 'refusal', usage: UsageSpec, wireFinish?: string): string[];
  malformed(): string;
  streamError(request: unknown, error: StreamErrorStep['streamError']): string[];
  errorBody(status: number, message: string): unknown;
}

export interface FakeContext {
  req: IncomingMessage;
  res: ServerResponse;
  recorded: RecordedRequest;
}

export interface FakeServerOptions {
  /** Steps consumed one per chat request; when empty, `defaultStep`. */
  script?: FakeStep[];
  defaultStep?: FakeStep;
  /**
   * Chooses the step from the chat request's JSON body (for requests that run in parallel, where
   * the order of a script means nothing); undefined falls back to the script.
   */
  respond?: (request: unknown) => FakeStep | undefined;
  /**
   * Steps for other endpoints, keyed `"METHOD /path"` (e.g. `"GET /v1/models"`), consumed one
   * per request to that route: status, hang and resetBeforeFirstToken replace its answer;
   * `delayMs` (alone or on any step) delays it; streaming kinds do not apply there.
   */
  routeScript?: Record<string, FakeStep[]>;
  /** Listen on this address of this machine instead of 127.0.0.1 (a server "on another machine": this one's LAN address). */
  host?: string;
  /** Listen on this port of 127.0.0.1 (a server's usual port, e.g. LM Studio's 1234); default: any free one. */
  port?: number;
}

export interface ProtocolDefinition {
  wire: Wire;
  isChat(method: string, path: string): boolean;
  /** Answers a non-chat request; returns false for "no such route" (the base sends a 404). */
  handleOther(context: FakeContext): boolean | Promise<boolean>;
  /** The URL to give the provider, from the server's origin. */
  baseUrl(origin: string): string;
}

export interface FakeServer {
  /** The base URL to configure the provider with. */
  url: string;
  /** Scheme, host and port only. */
  origin: string;
  requests: RecordedRequest[];
  /** Requests received, optionally only those to `path` (without query). */
  count(path?: string): number;
  /** Appends steps to the chat script. */
  enqueue(...steps: FakeStep[]): void;
  /** Resolves when request `index` is no longer pending. */
  settled(index: number): Promise<RequestOutcome>;
  /** Stops listening and destroys every open socket. */
  close(): Promise<void>;
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Splits `text` into `count` nearly equal non-empty pieces (fewer when the text is shorter). */
export function splitText(text: string, count: number): string[] {
  const n = Math.max(1, Math.min(count, text.length));
  const size = Math.ceil(text.length / n);
  const pieces: string[] = [];
  for (let i = 0; i < text.length; i += size) pieces.push(text.slice(i, i + size));
  return pieces.length > 0 ? pieces : [''];
}

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), ...headers });
  res.end(text);
}

function wordsIn(request: unknown): number {
  const messages = (request as { messages?: unknown } | undefined)?.messages;
  const text = JSON.stringify(messages ?? '');
  return Math.max(1, text.split(/\s+/).length);
}

const defaultPartial = 'This answer is going to be cut off part way through its sentence.';

type CommonStep = StatusStep | HangStep | ResetBeforeFirstTokenStep;

function isCommonStep(step: FakeStep): step is CommonStep {
  return 'status' in step || 'hang' in step || 'resetBeforeFirstToken' in step;
}

/** Plays the steps that are the same for every endpoint: status, hang, reset before the first token. */
async function playCommon(step: CommonStep, context: FakeContext, wire: Wire, markReset: () => void): Promise<void> {
  const { res } = context;
  if (res.destroyed) return;
  if ('status' in step) {
    const message = `fake ${step.status} error`;
    sendJson(res, step.status, step.body ?? wire.errorBody(step.status, message), step.headers);
    return;
  }
  if ('hang' in step) {
    if (step.afterHeaders) {
      res.writeHead(200, { 'content-type': wire.contentType });
      res.flushHeaders();
    }
    return; // never answers; close() or the client ends it
  }
  if (step.afterHeaders) {
    res.writeHead(200, { 'content-type': wire.contentType });
    res.flushHeaders();
    await sleep(20);
  }
  markReset();
  res.socket?.destroy();
}

async function writeFrames(res: ServerResponse, frames: string[], delayMs: number): Promise<boolean> {
  for (const frame of frames) {
    if (res.destroyed) return false;
    res.write(frame);
    if (delayMs > 0) await sleep(delayMs);
  }
  return !res.destroyed;
}

const isDelayOnly = (step: FakeStep): step is DelayStep =>
  !['reply', 'status', 'hang', 'resetBeforeFirstToken', 'resetAfterTokens', 'malformed', 'endAfterTokens', 'streamError'].some((key) => key in step);

async function playChat(scripted: FakeStep, fallback: FakeStep, context: FakeContext, wire: Wire, markReset: () => void): Promise<void> {
  const { res, recorded } = context;
  if (scripted.delayMs !== undefined) await sleep(scripted.delayMs);
  if (isDelayOnly(scripted) && fallback.delayMs !== undefined) await sleep(fallback.delayMs);
  const step = isDelayOnly(scripted) ? fallback : scripted;
  if (isDelayOnly(step)) throw new Error('the default step must answer, not only wait');
  if (isCommonStep(step)) return playCommon(step, context, wire, markReset);
  if (res.destroyed) return;
  const request = recorded.json;
  const defaultUsage: UsageSpec = { inputTokens: wordsIn(request), outputTokens: 1 };
  res.writeHead(200, { 'content-type': wire.contentType, 'cache-control': 'no-cache' });
  res.flushHeaders();
  const tokenFrames = (text: string, chunks: number, take?: number): string[] =>
    splitText(text, chunks)
      .slice(0, take)
      .map((piece, index) => wire.token(request, piece, index));

  if ('resetAfterTokens' in step) {
    const text = step.reply ?? defaultPartial;
    const frames = tokenFrames(text, Math.max(step.resetAfterTokens + 2, 4), step.resetAfterTokens);
    if (!(await writeFrames(res, [...wire.start(request, defaultUsage), ...frames], step.chunkDelayMs ?? 0))) return;
    await sleep(20); // let the client read the tokens before the socket goes
    markReset();
    res.socket?.destroy();
    return;
  }
  if ('malformed' in step) {
    const frames = tokenFrames(defaultPartial, Math.max((step.afterTokens ?? 0) + 2, 4), step.afterTokens ?? 0);
    if (await writeFrames(res, [...wire.start(request, defaultUsage), ...frames, wire.malformed()], 0)) res.end();
    return;
  }
  if ('endAfterTokens' in step) {
    const text = step.reply ?? defaultPartial;
    const frames = tokenFrames(text, Math.max(step.endAfterTokens + 2, 4), step.endAfterTokens);
    if (await writeFrames(res, [...wire.start(request, defaultUsage), ...frames], 0)) res.end();
    return;
  }
  if ('streamError' in step) {
    const frames = tokenFrames(defaultPartial, Math.max((step.afterTokens ?? 0) + 2, 4), step.afterTokens ?? 0);
    if (await writeFrames(res, [...wire.start(request, defaultUsage), ...frames, ...wire.streamError(request, step.streamError)], 0)) res.end();
    return;
  }
  const text = typeof step.reply === 'string' ? step.reply : JSON.stringify(step.reply.json);
  const refusal = step.refusalField && wire.refusalToken ? wire.refusalToken.bind(wire) : undefined;
  const frames = refusal ? splitText(text, step.chunks ?? 4).map((piece) => refusal(request, piece)) : tokenFrames(text, step.chunks ?? 4);
  const usage = step.usage ?? { inputTokens: defaultUsage.inputTokens, outputTokens: frames.length };
  if (!(await writeFrames(res, [...wire.start(request, usage), ...frames], step.chunkDelayMs ?? 0))) return;
  if (await writeFrames(res, wire.end(request, step.finish ?? 'stop', usage, step.wireFinish), 0)) res.end();
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const parts: Buffer[] = [];
    req.on('data', (part: Buffer) => parts.push(part));
    req.on('end', () => resolve(Buffer.concat(parts).toString('utf8')));
    req.on('close', () => resolve(Buffer.concat(parts).toString('utf8'))); // client gone mid-body
    req.on('error', reject);
  });
}

export async function startFakeServer(protocol: ProtocolDefinition, options: FakeServerOptions): Promise<FakeServer> {
  const script = [...(options.script ?? [])];
  const defaultStep: FakeStep = options.defaultStep ?? { reply: 'Hello from the fake server.' };
  const routeScript = new Map(Object.entries(options.routeScript ?? {}).map(([key, steps]) => [key, [...steps]]));
  const requests: RecordedRequest[] = [];
  const waiters = new Map<number, ((outcome: RequestOutcome) => void)[]>();
  const sockets = new Set<Socket>();
  let closing = false;

  const settle = (index: number, outcome: RequestOutcome): void => {
    const recorded = requests[index];
    if (!recorded || recorded.outcome !== 'pending') return;
    recorded.outcome = outcome;
    for (const resolve of waiters.get(index) ?? []) resolve(outcome);
    waiters.delete(index);
  };

  const server = createServer((req, res) => {
    void (async () => {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      const raw = await readBody(req).catch(() => '');
      let json: unknown;
      try {
        json = raw === '' ? undefined : JSON.parse(raw);
      } catch {
        json = undefined;
      }
      const headers: Record<string, string> = {};
      for (const [name, value] of Object.entries(req.headers)) {
        if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(', ') : value;
      }
      const recorded: RecordedRequest = {
        method: req.method ?? 'GET',
        path: url.pathname,
        query: Object.fromEntries(url.searchParams),
        headers,
        apiKey: headers['x-api-key'] ?? /^Bearer\s+(.+)$/i.exec(headers.authorization ?? '')?.[1],
        json,
        outcome: 'pending',
        receivedAt: Date.now(),
      };
      const index = requests.push(recorded) - 1;
      let resetOnPurpose = false;
      const markReset = (): void => {
        resetOnPurpose = true;
      };
      res.on('close', () => {
        settle(index, res.writableFinished ? 'completed' : resetOnPurpose || closing ? 'reset' : 'client-closed');
      });
      const context: FakeContext = { req, res, recorded };
      if (protocol.isChat(recorded.method, recorded.path)) {
        await playChat(options.respond?.(recorded.json) ?? script.shift() ?? defaultStep, defaultStep, context, protocol.wire, markReset);
        return;
      }
      const routeStep = routeScript.get(`${recorded.method} ${recorded.path}`)?.shift();
      if (routeStep?.delayMs !== undefined) await sleep(routeStep.delayMs);
      if (routeStep && isCommonStep(routeStep)) return playCommon(routeStep, context, protocol.wire, markReset);
      if (!(await protocol.handleOther(context))) {
        sendJson(res, 404, protocol.wire.errorBody(404, `no route ${recorded.method} ${recorded.path}`));
      }
    })().catch((error: unknown) => {
      if (!res.headersSent) sendJson(res, 500, { error: `fake server bug: ${String(error)}` });
      else res.destroy();
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) =>
      reject(error.code === 'EADDRINUSE' && options.port ? new Error(`Port ${options.port} on 127.0.0.1 is taken by another program: stop it (or wait for it to end) and run this test again`, { cause: error }) : error),
    );
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const origin = `http://${options.host ?? '127.0.0.1'}:${port}`;

  return {
    url: protocol.baseUrl(origin),
    origin,
    requests,
    count: (path) => (path === undefined ? requests.length : requests.filter((r) => r.path === path).length),
    enqueue: (...steps) => {
      script.push(...steps);
    },
    settled: (index) => {
      const recorded = requests[index];
      if (recorded && recorded.outcome !== 'pending') return Promise.resolve(recorded.outcome);
      return new Promise((resolve) => waiters.set(index, [...(waiters.get(index) ?? []), resolve]));
    },
    close: () =>
      new Promise<void>((resolve) => {
        closing = true;
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
