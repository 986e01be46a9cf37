import * as Anthropic from '@anthropic-ai/sdk';
import * as OpenAi from 'openai';
import { ProviderError } from './ProviderError.ts';
import type { ProviderErrorKind } from './ProviderError.ts';
import type { HealthStatus } from './LlmProvider.ts';
import { adviceFor, certificateAdvice, certificateWords, connectionWords, contextLengthMessage, looksLikeHtml, providerText, statusWords } from './describeFailure.ts';

/**
 * Turns whatever an HTTP model SDK throws into a ProviderError the router can act on. Pure:
 * no I/O, no clock except the `now` passed to parseRetryAfter. Handles the openai and
 * @anthropic-ai/sdk error classes, ollama's ResponseError (not exported, so matched by name),
 * fetch/undici network errors and abort errors.
 */

/** Retry-After beyond this is clamped: a bogus header must not park the router for an hour. */
export const maxRetryAfterMs = 5 * 60_000;

/** The kind for an HTTP status (408/409/429/≥500 retryable; 400/401/403/404 not). */
export function kindForStatus(status: number): ProviderErrorKind {
  if (status === 401 || status === 402 || status === 403) return 'auth';
  if (status === 404) return 'not-found';
  if (status === 408) return 'request-timeout';
  if (status === 409) return 'conflict';
  if (status === 429) return 'rate-limited';
  if (status === 499) return 'connection'; // "client closed request" (nginx, Anthropic): the connection went
  if (status >= 500) return 'server';
  return 'bad-request'; // 400, 413, 422 and every other 4xx: the request itself is wrong
}

type HeaderSource = Headers | Record<string, string | string[] | undefined> | null | undefined;

function header(headers: HeaderSource, name: string): string | undefined {
  if (!headers) return undefined;
  if (typeof (headers as Headers).get === 'function') return (headers as Headers).get(name) ?? undefined;
  for (const [key, value] of Object.entries(headers as Record<string, string | string[] | undefined>)) {
    if (key.toLowerCase() === name) return Array.isArray(value) ? value[0] : value;
  }
  return undefined;
}

/**
 * How long the server asked us to wait, in ms: `retry-after-ms` (OpenAI, Anthropic), else
 * `retry-after` as seconds or an HTTP-date. Clamped to 0..maxRetryAfterMs; undefined when absent
 * or unreadable.
 */
export function parseRetryAfter(headers: HeaderSource, now: number = Date.now()): number | undefined {
  const clamp = (ms: number): number => Math.min(maxRetryAfterMs, Math.max(0, Math.round(ms)));
  const ms = header(headers, 'retry-after-ms')?.trim();
  if (ms && /^\d+(\.\d+)?$/.test(ms)) return clamp(Number(ms));
  const value = header(headers, 'retry-after')?.trim();
  if (!value) return undefined;
  if (/^\d+(\.\d+)?$/.test(value)) return clamp(Number(value) * 1000);
  if (!/^[a-z]{3}/i.test(value)) return undefined; // an HTTP-date starts with the day name
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : clamp(date - now);
}

const contextLengthPatterns = [
  /context[_ ]length[_ ]exceeded/i, // OpenAI, Groq, Mistral code
  /maximum context length/i, // OpenAI, vLLM: "This model's maximum context length is 8192 tokens"
  /prompt is too long/i, // Anthropic: "prompt is too long: 210000 tokens > 200000 maximum"
  /exceeds? context limit/i, // Anthropic: "input length and `max_tokens` exceed context limit"
  /exceed_context_size/i, // llama.cpp server error type
  /exceeds? the available context size/i, // llama.cpp server: "the request exceeds the available context size"
  /context (size|window) (has been |was )?exceeded/i, // llama.cpp (older), generic
  /exceeds? (the )?(model'?s? )?(max(imum)? )?context (length|window|size)/i, // Ollama: "input length exceeds maximum context length"
  /prompt too long/i, // Ollama runner: "prompt too long; exceeded max context length by 10 tokens"
  /is too long and exceeds limit/i, // vLLM: "Input prompt (5000 tokens) is too long and exceeds limit of 4096"
  /context length of only \d+/i, // LM Studio
];

/** Whether an error text says the prompt does not fit the model's context window. */
export function isContextLengthMessage(text: string | null | undefined): boolean {
  return !!text && contextLengthPatterns.some((pattern) => pattern.test(text));
}

/** Error `type`s of in-stream errors (Anthropic `event: error`, OpenAI `data: {error}`), which carry no status. */
function kindForErrorType(type: string | null | undefined): ProviderErrorKind | undefined {
  switch (type) {
    case 'invalid_request_error':
    case 'request_too_large':
      return 'bad-request';
    case 'authentication_error':
    case 'permission_error':
    case 'billing_error':
    case 'invalid_api_key':
      return 'auth';
    case 'not_found_error':
      return 'not-found';
    case 'rate_limit_error':
    case 'rate_limit_exceeded':
    case 'requests':
    case 'tokens':
      return 'rate-limited';
    case 'overloaded_error':
    case 'api_error':
    case 'timeout_error':
    case 'server_error':
      return 'server';
    default:
      return undefined;
  }
}

const connectionCodes = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'ECONNABORTED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EPIPE',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENETDOWN',
  'ETIMEDOUT', // TCP connect timeout from the OS, not our own timer
  'UND_ERR_SOCKET',
  'UND_ERR_CLOSED',
  'UND_ERR_CONNECT_TIMEOUT',
]);
/** undici's own safety timeouts (5 min by default): treated like our timeouts. */
const timeoutCodes = new Set(['UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT']);

/** The error and its causes, outermost first (bounded: cause chains can be cyclic). */
function causeChain(error: unknown): unknown[] {
  const chain: unknown[] = [];
  let current: unknown = error;
  while (current !== undefined && current !== null && chain.length < 8 && !chain.includes(current)) {
    chain.push(current);
    current = (current as { cause?: unknown }).cause;
  }
  return chain;
}

const field = (value: unknown, name: string): unknown =>
  typeof value === 'object' && value !== null ? (value as Record<string, unknown>)[name] : undefined;

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * The error for a call whose signal was aborted. A ProviderError reason (the router aborting
 * with its own timeout error) is returned as is; a TimeoutError reason (`AbortSignal.timeout`)
 * becomes 'timeout'; anything else is 'cancelled'.
 */
export function abortedError(providerId: string, signal: AbortSignal): ProviderError {
  const reason: unknown = signal.reason;
  if (reason instanceof ProviderError) return reason;
  if (field(reason, 'name') === 'TimeoutError') return new ProviderError(providerId, 'timeout', 'the request timed out', { cause: reason });
  return new ProviderError(providerId, 'cancelled', 'the request was cancelled', { cause: reason });
}

/**
 * The error for an HTTP error answer: its status, the server's message (checked for a
 * context-length complaint first) and Retry-After from its headers.
 */
export function errorForStatus(providerId: string, status: number, message: string, headers?: HeaderSource, cause?: unknown): ProviderError {
  const mayBeContext = status !== 401 && status !== 403 && status !== 404 && status !== 429;
  if (mayBeContext && isContextLengthMessage(message)) return new ProviderError(providerId, 'context-length', contextLengthMessage(message, status), { status, cause });
  const kind = kindForStatus(status);
  return new ProviderError(providerId, kind, statusMessage(kind, status, message), { status, retryAfterMs: parseRetryAfter(headers), cause });
}

/**
 * "401 Unauthorized: the key was rejected (Incorrect API key provided). Update the key in
 * Providers." The status, the server's own words (a web page from a proxy reduced to its text,
 * and said to be one) and what to do.
 */
function statusMessage(kind: ProviderErrorKind, status: number, serverText: string): string {
  const body = serverText.replace(new RegExp(`^${status}\\s*`), '');
  const quoted = providerText(body);
  const said = looksLikeHtml(body)
    ? `the server answered with a web page instead of JSON ("${quoted}"): a proxy or gateway in between may have failed`
    : quoted === ''
      ? 'the server gave no reason'
      : quoted;
  const what = kind === 'auth' ? `the key was rejected (${said})` : kind === 'not-found' ? `the model or address was not found (${said})` : said;
  return `${statusWords(status)}: ${what}. ${adviceFor(kind)}`;
}

function fromSdkApiError(providerId: string, error: OpenAi.APIError | Anthropic.APIError): ProviderError {
  const { status } = error;
  // Anthropic's SDK makes its message of the whole error body as JSON ('{"type":"error","error":{…}}');
  // the server's own sentence is its `apiMessage`. OpenAI's SDK already puts the sentence in `message`.
  const apiMessage = field(error, 'apiMessage');
  const message = typeof apiMessage === 'string' && apiMessage.trim() !== '' ? apiMessage : error.message;
  const cause = error;
  if (status === undefined) {
    // In-stream error event: no HTTP status, only the body's type/code.
    const body = error.error as { error?: { type?: string; message?: string }; type?: string; code?: unknown } | undefined;
    const code = field(error, 'code') ?? body?.code;
    const type = (error as { type?: string | null }).type ?? body?.error?.type ?? body?.type;
    if (code === 'context_length_exceeded' || isContextLengthMessage(message)) return new ProviderError(providerId, 'context-length', contextLengthMessage(message, undefined), { cause });
    const kind =
      (typeof code === 'number' ? kindForStatus(code) : undefined) ??
      kindForErrorType(typeof code === 'string' ? code : undefined) ??
      kindForErrorType(type) ??
      'server';
    return new ProviderError(providerId, kind, `the server reported an error in the middle of its answer: ${providerText(message)}. ${adviceFor(kind)}`, { cause });
  }
  const code = field(error, 'code');
  const type = field(field(error.error, 'error'), 'type') ?? field(error.error, 'type');
  if (status !== 401 && status !== 403 && status !== 404 && status !== 429 && (code === 'context_length_exceeded' || type === 'exceed_context_size_error')) {
    return new ProviderError(providerId, 'context-length', contextLengthMessage(message, status), { status, cause });
  }
  return errorForStatus(providerId, status, message, error.headers, cause);
}

/** Maps anything an SDK or fetch threw to a ProviderError. `signal` (when given) wins: an aborted call is 'cancelled'. */
export function toProviderError(providerId: string, error: unknown, signal?: AbortSignal): ProviderError {
  if (error instanceof ProviderError) return error;
  if (signal?.aborted) return abortedError(providerId, signal);
  // Our own fetch guard (checkedFetch) throws a ProviderError, which the SDK wraps as a connection error.
  const ours = causeChain(error).find((link): link is ProviderError => link instanceof ProviderError);
  if (ours) return ours;

  // Order matters: the SDKs' abort and timeout errors are subclasses of their APIError.
  if (error instanceof OpenAi.APIUserAbortError || error instanceof Anthropic.APIUserAbortError) {
    return new ProviderError(providerId, 'cancelled', 'the request was cancelled', { cause: error });
  }
  if (error instanceof OpenAi.APIConnectionTimeoutError || error instanceof Anthropic.APIConnectionTimeoutError) {
    return new ProviderError(providerId, 'timeout', `the SDK's safety timeout expired: ${error.message}`, { cause: error });
  }
  if (error instanceof OpenAi.APIConnectionError || error instanceof Anthropic.APIConnectionError) {
    return new ProviderError(providerId, 'connection', connectionMessage(error.cause ?? error), { cause: error });
  }
  if (error instanceof OpenAi.APIError || error instanceof Anthropic.APIError) return fromSdkApiError(providerId, error);

  // ollama's ResponseError (not exported): `status_code` and the server's `error` text.
  if (field(error, 'name') === 'ResponseError' && typeof field(error, 'status_code') === 'number') {
    return errorForStatus(providerId, field(error, 'status_code') as number, errorMessage(error), undefined, error);
  }

  const chain = causeChain(error);
  const names = chain.map((e) => field(e, 'name'));
  if (names.includes('AbortError')) return new ProviderError(providerId, 'cancelled', 'the request was cancelled', { cause: error });
  if (names.includes('TimeoutError')) return new ProviderError(providerId, 'timeout', 'the request timed out', { cause: error });
  const codes = chain.map((e) => field(e, 'code'));
  const described = chain.map(errorMessage).join(': ');
  if (codes.some((code) => typeof code === 'string' && timeoutCodes.has(code))) {
    return new ProviderError(providerId, 'timeout', `the HTTP client timed out: ${described}`, { cause: error });
  }
  if (codes.some((code) => typeof code === 'string' && connectionCodes.has(code))) {
    return new ProviderError(providerId, 'connection', connectionMessage(error), { cause: error });
  }
  // undici: "fetch failed" (could not connect) and "terminated" (the body broke off mid-stream).
  if (error instanceof TypeError && /fetch failed|terminated|network|socket/i.test(error.message)) {
    return new ProviderError(providerId, 'connection', connectionMessage(error), { cause: error });
  }
  if (error instanceof SyntaxError || (error instanceof Error && /malformed|invalid json|not valid json|could not parse/i.test(error.message))) {
    // Not the model's fault: the server (or a proxy) broke the wire format. Retryable as 'server'.
    return new ProviderError(providerId, 'server', `the server sent a malformed answer (${providerText(error.message)}): it may not be the API its type says, or a proxy changed the answer. ${adviceFor('server')}`, { cause: error });
  }
  return new ProviderError(providerId, 'server', `unexpected error: ${described}`, { cause: error });
}

/**
 * "cannot reach 127.0.0.1:8080: the connection was refused. Is the server running…?" The host
 * and port from the socket error, the errno code in words (the UI shows no errno codes).
 */
function connectionMessage(error: unknown): string {
  const chain = causeChain(error);
  const code = chain.map((link) => field(link, 'code')).find((value): value is string => typeof value === 'string' && (connectionCodes.has(value) || timeoutCodes.has(value)));
  const address = chain.map((link) => field(link, 'address') ?? field(link, 'hostname')).find((value): value is string => typeof value === 'string');
  const port = chain.map((link) => field(link, 'port')).find((value) => typeof value === 'number' || typeof value === 'string');
  const where = address ? `${address.includes(':') ? `[${address}]` : address}${port !== undefined ? `:${String(port)}` : ''}` : 'the server';
  // A certificate the TLS check refused: not "cannot reach" (the server is there), but what is wrong with it.
  const certificate = chain.map((link) => field(link, 'code')).find((value): value is string => typeof value === 'string' && certificateWords(value) !== undefined);
  if (certificate !== undefined) return `cannot connect securely to ${where}: ${certificateWords(certificate)}. ${certificateAdvice(certificate)}`;
  const brokeOff = chain.some((link) => /terminated|other side closed/i.test(errorMessage(link)));
  if (brokeOff && code === undefined) return `the connection to ${where} broke off in the middle of the answer. ${adviceFor('connection')}`;
  return `cannot reach ${where}: ${connectionWords(code)}. ${adviceFor('connection')}`;
}

/**
 * A failed health probe as the UI shows it: `auth` (key rejected), `unreachable` (nothing
 * answered, or not in time), `no-key`, or else the error's kind.
 */
export function healthFromError(error: ProviderError): HealthStatus {
  const detail = error.message;
  switch (error.kind) {
    case 'auth':
      return { ok: false, code: 'auth', detail };
    case 'connection':
    case 'timeout':
    case 'request-timeout':
      return { ok: false, code: 'unreachable', detail };
    case 'unavailable':
      return { ok: false, code: 'no-key', detail };
    default:
      return { ok: false, code: error.kind, detail };
  }
}
