import * as Anthropic from '@anthropic-ai/sdk';
import * as OpenAi from 'openai';
import { describe, expect, it } from 'vitest';
import {
  abortedError,
  errorForStatus,
  healthFromError,
  isContextLengthMessage,
  kindForStatus,
  maxRetryAfterMs,
  parseRetryAfter,
  toProviderError,
} from '../../../src-main/providers/classifyHttpError.ts';
import { ProviderError } from '../../../src-main/providers/ProviderError.ts';

const now = Date.parse('2025-06-01T12:00:00Z');

describe('kindForStatus', () => {
  it.each([
    [400, 'bad-request'],
    [401, 'auth'],
    [402, 'auth'],
    [403, 'auth'],
    [404, 'not-found'],
    [408, 'request-timeout'],
    [409, 'conflict'],
    [413, 'bad-request'],
    [418, 'bad-request'],
    [422, 'bad-request'],
    [429, 'rate-limited'],
    [499, 'connection'],
    [500, 'server'],
    [502, 'server'],
    [503, 'server'],
    [504, 'server'],
    [529, 'server'],
  ] as const)('%i → %s', (status, kind) => {
    expect(kindForStatus(status)).toBe(kind);
  });
});

describe('parseRetryAfter', () => {
  it('reads seconds, fractions and HTTP-dates', () => {
    expect(parseRetryAfter(new Headers({ 'retry-after': '2' }), now)).toBe(2000);
    expect(parseRetryAfter(new Headers({ 'retry-after': '0.5' }), now)).toBe(500);
    expect(parseRetryAfter(new Headers({ 'retry-after': 'Sun, 01 Jun 2025 12:00:30 GMT' }), now)).toBe(30_000);
  });

  it('prefers retry-after-ms', () => {
    expect(parseRetryAfter(new Headers({ 'retry-after-ms': '1250', 'retry-after': '9' }), now)).toBe(1250);
  });

  it('clamps: a past date is 0, a huge value is the maximum', () => {
    expect(parseRetryAfter(new Headers({ 'retry-after': 'Sun, 01 Jun 2025 11:00:00 GMT' }), now)).toBe(0);
    expect(parseRetryAfter(new Headers({ 'retry-after': '86400' }), now)).toBe(maxRetryAfterMs);
    expect(maxRetryAfterMs).toBe(300_000);
  });

  it('is undefined when absent or unreadable', () => {
    expect(parseRetryAfter(new Headers(), now)).toBeUndefined();
    expect(parseRetryAfter(undefined, now)).toBeUndefined();
    expect(parseRetryAfter(new Headers({ 'retry-after': 'soon' }), now)).toBeUndefined();
    expect(parseRetryAfter(new Headers({ 'retry-after': '-3' }), now)).toBeUndefined();
  });

  it('accepts a plain header object (Node style), case-insensitively, arrays included', () => {
    expect(parseRetryAfter({ 'Retry-After': '3' }, now)).toBe(3000);
    expect(parseRetryAfter({ 'retry-after': ['4', '5'] }, now)).toBe(4000);
  });
});

describe('isContextLengthMessage', () => {
  it.each([
    ["This model's maximum context length is 8192 tokens. However, your messages resulted in 9100 tokens.", 'OpenAI / vLLM'],
    ['context_length_exceeded', 'OpenAI code'],
    ['prompt is too long: 210000 tokens > 200000 maximum', 'Anthropic'],
    ['input length and `max_tokens` exceed context limit: 197000 + 8192 > 200000', 'Anthropic'],
    ['the request exceeds the available context size, try increasing it', 'llama.cpp server'],
    ['Context size has been exceeded.', 'llama.cpp (older)'],
    ['prompt too long; exceeded max context length by 120 tokens', 'Ollama runner'],
    ['input length exceeds maximum context length', 'Ollama'],
    ['Input prompt (5000 tokens) is too long and exceeds limit of 4096', 'vLLM'],
    ['Trying to keep the first 5000 tokens when context the overflows. However, the model is loaded with context length of only 4096 tokens', 'LM Studio'],
  ])('%s (%s)', (text) => {
    expect(isContextLengthMessage(text)).toBe(true);
  });

  it.each(['Rate limit reached for requests', 'Invalid API key', 'model "x" not found, try pulling it first', 'Overloaded', '', undefined])('not: %s', (text) => {
    expect(isContextLengthMessage(text)).toBe(false);
  });
});

describe('toProviderError: openai SDK errors', () => {
  const headers = (values: Record<string, string> = {}): Headers => new Headers(values);

  it('RateLimitError with Retry-After → rate-limited with status and retryAfterMs', () => {
    const sdk = OpenAi.APIError.generate(429, { error: { message: 'Rate limit reached', code: 'rate_limit_exceeded' } }, undefined, headers({ 'retry-after': '3' }));
    expect(sdk).toBeInstanceOf(OpenAi.RateLimitError);
    expect(toProviderError('p', sdk)).toMatchObject({ kind: 'rate-limited', status: 429, retryAfterMs: 3000, retryable: true, providerId: 'p' });
  });

  it('context_length_exceeded code → context-length', () => {
    const sdk = OpenAi.APIError.generate(400, { error: { message: 'too long', code: 'context_length_exceeded' } }, undefined, headers());
    expect(toProviderError('p', sdk)).toMatchObject({ kind: 'context-length', status: 400, retryable: false });
  });

  it('401 → auth, 500 → server, 404 → not-found', () => {
    expect(toProviderError('p', OpenAi.APIError.generate(401, { error: { message: 'bad key' } }, undefined, headers())).kind).toBe('auth');
    expect(toProviderError('p', OpenAi.APIError.generate(500, { error: { message: 'oops' } }, undefined, headers())).kind).toBe('server');
    expect(toProviderError('p', OpenAi.APIError.generate(404, { error: { message: 'The model does not exist' } }, undefined, headers())).kind).toBe('not-found');
  });

  it('connection, timeout and abort errors', () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { code: 'ECONNREFUSED' });
    expect(toProviderError('p', new OpenAi.APIConnectionError({ cause: refused }))).toMatchObject({ kind: 'connection' });
    expect(toProviderError('p', new OpenAi.APIConnectionError({ cause: refused })).message).toContain('the connection was refused');
    expect(toProviderError('p', new OpenAi.APIConnectionError({ cause: refused })).message).not.toContain('ECONNREFUSED');
    expect(toProviderError('p', new OpenAi.APIConnectionTimeoutError()).kind).toBe('timeout');
    expect(toProviderError('p', new OpenAi.APIUserAbortError()).kind).toBe('cancelled');
  });

  it('an in-stream error (no status) is classified by its code/type', () => {
    expect(toProviderError('p', new OpenAi.APIError(undefined, { message: 'boom', type: 'server_error' }, undefined, undefined)).kind).toBe('server');
    expect(toProviderError('p', new OpenAi.APIError(undefined, { message: 'slow down', code: 'rate_limit_exceeded' }, undefined, undefined)).kind).toBe('rate-limited');
    expect(toProviderError('p', new OpenAi.APIError(undefined, { message: 'bad', code: 400 }, undefined, undefined)).kind).toBe('bad-request');
  });
});

describe('toProviderError: anthropic SDK errors', () => {
  it('429 → rate-limited with retry-after-ms; 529 overloaded → server', () => {
    const limited = Anthropic.APIError.generate(429, { type: 'error', error: { type: 'rate_limit_error', message: 'slow' } }, undefined, new Headers({ 'retry-after-ms': '700' }));
    expect(toProviderError('a', limited)).toMatchObject({ kind: 'rate-limited', status: 429, retryAfterMs: 700 });
    const overloaded = Anthropic.APIError.generate(529, { type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } }, undefined, new Headers());
    expect(overloaded).toBeInstanceOf(Anthropic.OverloadedError);
    expect(toProviderError('a', overloaded)).toMatchObject({ kind: 'server', status: 529 });
  });

  it('"prompt is too long" → context-length', () => {
    const sdk = Anthropic.APIError.generate(400, { type: 'error', error: { type: 'invalid_request_error', message: 'prompt is too long: 210000 tokens > 200000 maximum' } }, undefined, new Headers());
    expect(toProviderError('a', sdk)).toMatchObject({ kind: 'context-length', status: 400 });
  });

  it('an in-stream `event: error` is classified by error.type', () => {
    const overloaded = new Anthropic.APIError(undefined, { type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } }, undefined, undefined, 'overloaded_error');
    expect(toProviderError('a', overloaded).kind).toBe('server');
    const auth = new Anthropic.APIError(undefined, { type: 'error', error: { type: 'authentication_error', message: 'x' } }, undefined, undefined, 'authentication_error');
    expect(toProviderError('a', auth).kind).toBe('auth');
  });

  it('connection, timeout and abort errors', () => {
    expect(toProviderError('a', new Anthropic.APIConnectionError({ message: 'Connection error.' })).kind).toBe('connection');
    expect(toProviderError('a', new Anthropic.APIConnectionTimeoutError()).kind).toBe('timeout');
    expect(toProviderError('a', new Anthropic.APIUserAbortError()).kind).toBe('cancelled');
  });
});

describe('toProviderError: ollama, fetch and Node errors', () => {
  class ResponseError extends Error {
    readonly error: string;
    readonly status_code: number;
    constructor(error: string, status: number) {
      super(error);
      this.name = 'ResponseError';
      this.error = error;
      this.status_code = status;
    }
  }

  it("ollama's ResponseError by status, with context-length detection", () => {
    expect(toProviderError('o', new ResponseError('model "x" not found, try pulling it first', 404))).toMatchObject({ kind: 'not-found', status: 404 });
    expect(toProviderError('o', new ResponseError('prompt too long; exceeded max context length by 12 tokens', 400)).kind).toBe('context-length');
    expect(toProviderError('o', new ResponseError('server busy', 503)).kind).toBe('server');
  });

  it('undici: fetch failed (refused, DNS) and terminated (socket closed mid-stream) → connection', () => {
    const refused = new TypeError('fetch failed', { cause: Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }) });
    expect(toProviderError('o', refused).kind).toBe('connection');
    const dns = new TypeError('fetch failed', { cause: Object.assign(new Error('getaddrinfo ENOTFOUND x.invalid'), { code: 'ENOTFOUND' }) });
    expect(toProviderError('o', dns).kind).toBe('connection');
    const terminated = new TypeError('terminated', { cause: Object.assign(new Error('other side closed'), { code: 'UND_ERR_SOCKET' }) });
    expect(toProviderError('o', terminated).kind).toBe('connection');
    expect(toProviderError('o', Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' })).kind).toBe('connection');
  });

  it('a certificate the TLS check refused → connection, saying what is wrong with it (not "cannot reach"), without its code', () => {
    const refused = (code: string) => toProviderError('o', new TypeError('fetch failed', { cause: Object.assign(new Error(`${code.toLowerCase()}; try running Node.js with --use-system-ca`), { code }) }));
    const selfSigned = refused('DEPTH_ZERO_SELF_SIGNED_CERT');
    expect(selfSigned.kind).toBe('connection');
    expect(selfSigned.message).toBe(
      'o: cannot connect securely to the server: its certificate is self-signed, and this computer does not trust it. If the server is yours (or your organisation’s), add its certificate or the authority that signed it to those this computer trusts; otherwise check its address in Providers.',
    );
    expect(refused('UNABLE_TO_GET_ISSUER_CERT_LOCALLY').message).toContain('its certificate is signed by an authority this computer does not trust. If the server is yours');
    expect(refused('CERT_HAS_EXPIRED').message).toContain('its certificate has expired. The certificate has to be fixed on the server');
    expect(refused('ERR_TLS_CERT_ALTNAME_INVALID').message).toContain('its certificate is made out for another host name.');
    for (const code of ['SELF_SIGNED_CERT_IN_CHAIN', 'CERT_HAS_EXPIRED', 'ERR_TLS_CERT_ALTNAME_INVALID']) expect(refused(code).message).not.toMatch(/CERT|--use-system-ca/);
  });

  it("undici's own header/body timeouts → timeout", () => {
    const error = new TypeError('fetch failed', { cause: Object.assign(new Error('Headers Timeout Error'), { code: 'UND_ERR_HEADERS_TIMEOUT' }) });
    expect(toProviderError('o', error).kind).toBe('timeout');
  });

  it('AbortError → cancelled, TimeoutError → timeout', () => {
    expect(toProviderError('o', new DOMException('This operation was aborted', 'AbortError')).kind).toBe('cancelled');
    expect(toProviderError('o', new DOMException('The operation timed out.', 'TimeoutError')).kind).toBe('timeout');
  });

  it('a SyntaxError (malformed body) → server; anything unknown → server', () => {
    expect(toProviderError('o', new SyntaxError('Unexpected token < in JSON')).kind).toBe('server');
    expect(toProviderError('o', 'weird').kind).toBe('server');
  });

  it('a ProviderError passes through unchanged', () => {
    const original = new ProviderError('o', 'context-length', 'too long');
    expect(toProviderError('o', original)).toBe(original);
  });
});

describe('aborted signals', () => {
  it('an aborted signal wins over the error that the abort caused', () => {
    const controller = new AbortController();
    controller.abort();
    expect(toProviderError('p', new TypeError('terminated'), controller.signal).kind).toBe('cancelled');
  });

  it('abortedError: a ProviderError reason as is, a TimeoutError reason → timeout, else cancelled', () => {
    const reason = new ProviderError('p', 'timeout', 'no first token in 30 s');
    const byRouter = new AbortController();
    byRouter.abort(reason);
    expect(abortedError('p', byRouter.signal)).toBe(reason);

    const timedOut = new AbortController();
    timedOut.abort(new DOMException('timed out', 'TimeoutError'));
    expect(abortedError('p', timedOut.signal)).toMatchObject({ kind: 'timeout', retryable: true });

    const user = new AbortController();
    user.abort();
    expect(abortedError('p', user.signal)).toMatchObject({ kind: 'cancelled', code: 'CANCELLED', retryable: false });
  });
});

describe('errorForStatus and healthFromError', () => {
  it('errorForStatus reads context-length, kind and Retry-After', () => {
    expect(errorForStatus('p', 503, 'busy', { 'retry-after': '1' })).toMatchObject({ kind: 'server', status: 503, retryAfterMs: 1000 });
    expect(errorForStatus('p', 400, 'prompt is too long: 5 > 4')).toMatchObject({ kind: 'context-length' });
    // A 429 that mentions context (token-per-minute limits do) stays a rate limit.
    expect(errorForStatus('p', 429, 'Request too large: maximum context length tokens per min')).toMatchObject({ kind: 'rate-limited' });
  });

  it.each([
    ['auth', 'auth'],
    ['connection', 'unreachable'],
    ['timeout', 'unreachable'],
    ['unavailable', 'no-key'],
    ['server', 'server'],
    ['not-found', 'not-found'],
  ] as const)('%s → health code %s', (kind, code) => {
    expect(healthFromError(new ProviderError('p', kind, 'detail'))).toEqual({ ok: false, code, detail: 'p: detail' });
  });
});
