import { adviceFor, looksLikeHtml, providerText, statusWords } from './describeFailure.ts';
import { boundedBody } from './boundedBody.ts';
import { providerFetch } from './providerFetch.ts';
import { askedForStream, notAStream } from './notAStream.ts';
import { ProviderError } from './ProviderError.ts';

type HttpFetch = (input: string | URL | Request, init?: RequestInit) => Promise<Response>;

/** Bytes of an unexpected body read to say what it was. */
const peekBytes = 2048;

/**
 * A fetch for the SDK adapters that refuses a successful answer which is not an API answer: a
 * web page (a proxy's login or error page, a wrong address) or plain text. The SDKs would take
 * it for an empty stream ("cut off", reported as a connection problem) or an empty model list
 * ("healthy"); this says what came instead, as a `server` problem with the status and the start
 * of the body. JSON and event streams pass, their bodies bounded (boundedBody).
 */
export function checkedFetch(providerId: string, base: HttpFetch = providerFetch, options: { streamsEvents?: boolean } = {}): HttpFetch {
  /** Whether its SDK reads a streamed answer as server-sent events (OpenAI, Anthropic; not Ollama's NDJSON). */
  const streamsEvents = options.streamsEvents ?? true;
  return async (input, init) => {
    // A redirect is never followed: a 307 or 308 would send the prompt (and the key) on to
    // wherever the server names, another host included, unseen by the privacy mode and the audit.
    const response = await base(input, { ...init, redirect: 'manual' });
    if (response.status >= 300 && response.status < 400) {
      await response.body?.cancel().catch(() => undefined);
      const location = response.headers.get('location');
      const elsewhere = location === null ? undefined : redirectTarget(location, input);
      throw new ProviderError(
        providerId,
        'unavailable',
        `${statusWords(response.status)}: the server sends its requests on to ${elsewhere === undefined ? 'another address' : `"${providerText(elsewhere)}"`}, and nothing is sent there. If that is the right address, put it in Providers.`,
        { status: response.status },
      );
    }
    const type = response.headers.get('content-type') ?? '';
    // A JSON answer to a streamed request: an error sent with 200, or a server that does not stream (one that streams under a JSON label passes).
    if (streamsEvents && response.ok && response.body !== null && /json/i.test(type) && askedForStream(init) && !isEventStream(await peek(response.clone(), 8))) {
      throw await notAStream(providerId, response);
    }
    if (!response.ok || response.body === null || /json|event-stream/i.test(type)) return boundedBody(providerId, response);
    const start = await peek(response.clone());
    // Mislabelled, but what the SDK expects: labelled as what it is, or the SDK takes JSON for text (a model list of none).
    if (isEventStream(start)) return boundedBody(providerId, labelled(response, 'text/event-stream'));
    if (/^\s*[[{]/.test(start)) {
      if (streamsEvents && askedForStream(init)) throw await notAStream(providerId, response);
      return boundedBody(providerId, labelled(response, 'application/json'));
    }
    await response.body.cancel().catch(() => undefined);
    const what = looksLikeHtml(start) ? 'a web page' : start.trim() === '' ? 'an empty body' : 'plain text';
    throw new ProviderError(
      providerId,
      'server',
      `${statusWords(response.status)}, but with ${what} instead of an API answer${start.trim() === '' ? '' : ` ("${providerText(start)}")`}: the address may not be the API (check it in Providers), or a proxy answered in its place. ${adviceFor('server')}`,
      { status: response.status },
    );
  };
}

/** Where a redirect points, as an origin and path (no query: it may hold a token), resolved against the request's address. */
function redirectTarget(location: string, input: string | URL | Request): string | undefined {
  try {
    const base = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    const url = new URL(location, base);
    return `${url.origin}${url.pathname}`;
  } catch {
    return undefined;
  }
}

/** The response with another content type (its body untouched, not yet read). */
function labelled(response: Response, type: string): Response {
  const headers = new Headers(response.headers);
  headers.set('content-type', type);
  return new Response(response.body, { status: response.status, statusText: response.statusText, headers });
}

/** Whether a body starts as an event stream does (a field or a comment line). */
function isEventStream(start: string): boolean {
  return /^\s*(data:|event:|id:|retry:|:)/.test(start);
}

/** The start of a body: `peekBytes` of it, or (`enough`) as soon as that many characters other than leading whitespace came, so a stream is not held back. */
async function peek(response: Response, enough = peekBytes): Promise<string> {
  const reader = response.body?.getReader();
  if (!reader) return '';
  const decoder = new TextDecoder();
  let text = '';
  try {
    while (text.length < peekBytes && text.trimStart().length < enough) {
      const { done, value } = await reader.read();
      if (done) break;
      text += decoder.decode(value, { stream: true });
    }
  } finally {
    // Not awaited: cancelling one branch of a cloned body settles only once the other branch is
    // cancelled too, so awaiting it here hung every body longer than what was peeked.
    reader.cancel().catch(() => undefined);
  }
  return text;
}
