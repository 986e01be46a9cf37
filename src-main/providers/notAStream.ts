import { kindForStatus, isContextLengthMessage } from './classifyHttpError.ts';
import { adviceFor, contextLengthMessage, providerText, statusWords } from './describeFailure.ts';
import { ProviderError } from './ProviderError.ts';
import type { ProviderErrorKind } from './ProviderError.ts';
import { readBoundedText } from './readBoundedText.ts';

/** Enough of a JSON answer to read its error; a whole answer past it is still named for what it is. */
const maxReadBytes = 256 * 1024;

/** Whether a request asked for a streamed answer (`"stream": true` in its JSON body, as every chat request here does). */
export function askedForStream(init: RequestInit | undefined): boolean {
  return typeof init?.body === 'string' && /"stream"\s*:\s*true/.test(init.body);
}

const field = (value: unknown, name: string): unknown => (typeof value === 'object' && value !== null ? (value as Record<string, unknown>)[name] : undefined);

/**
 * The failure for a successful answer that is one JSON document where a stream was asked for:
 * a server or proxy that answers errors with 200 (`{"error": …}`), or one that does not stream
 * and sends the whole answer at once. The SDKs read either as a stream with no event, which was
 * said as a connection "cut off" (and retried, and counted against the target's breaker).
 */
export async function notAStream(providerId: string, response: Response): Promise<ProviderError> {
  const { text, whole } = await readBoundedText(response, maxReadBytes).catch(() => ({ text: '', whole: false }));
  let body: unknown;
  try {
    body = whole ? JSON.parse(text) : undefined;
  } catch {
    body = undefined;
  }
  const error = field(body, 'error');
  const said = typeof error === 'string' ? error : field(error, 'message');
  const status = statusWords(response.status);
  if (error !== undefined && error !== null) {
    const words = typeof said === 'string' && said.trim() !== '' ? said : JSON.stringify(error);
    if (isContextLengthMessage(words)) return new ProviderError(providerId, 'context-length', contextLengthMessage(words, undefined), { status: response.status });
    const code = field(error, 'code') ?? field(error, 'status');
    const kind: ProviderErrorKind = typeof code === 'number' && code >= 400 && code < 600 ? kindForStatus(code) : 'server';
    return new ProviderError(providerId, kind, `${status}, but with an error instead of the streamed answer: ${providerText(words)}. ${adviceFor(kind)}`, { status: response.status });
  }
  return new ProviderError(
    providerId,
    'bad-request',
    `${status}, but with JSON instead of the streamed answer that was asked for ("${providerText(text, 120)}"): the server, or a proxy in between, does not stream. ${adviceFor('bad-request')}`,
    { status: response.status },
  );
}
