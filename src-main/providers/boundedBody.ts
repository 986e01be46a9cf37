import { adviceFor } from './describeFailure.ts';
import { ProviderError } from './ProviderError.ts';

/**
 * How much of a model server's answer is held at once. The SDKs buffer an event-stream line
 * until its end and a JSON answer whole: a server (or a proxy, or a gzip bomb that inflates to
 * gigabytes) that sends a line without end would fill the memory. The limits apply to the
 * bytes as they arrive decoded (after gzip).
 */
export const bodyLimits = {
  /** One line of an event stream or NDJSON: a streamed event is a few KB; a whole answer in one event stays well under. */
  lineBytes: 16 * 1024 * 1024,
  /** A whole JSON answer (a model list of many thousands of models is a few MB). */
  jsonBytes: 64 * 1024 * 1024,
  /** An error answer: only its start is ever shown. */
  errorBytes: 64 * 1024,
};

const mib = (bytes: number): string => `${Math.round(bytes / (1024 * 1024))} MB`;

/**
 * The response with its body bounded: an error answer cut after `errorBytes` (what is kept is
 * still read and quoted), a stream (event stream or NDJSON) refused once a line runs past
 * `lineBytes` without ending, and any other answer refused past `jsonBytes`. A refusal is a
 * `server` ProviderError in words, thrown to whoever reads the body, and closes the connection.
 */
export function boundedBody(providerId: string, response: Response, limits: typeof bodyLimits = bodyLimits): Response {
  const body = response.body;
  if (body === null) return response;
  const type = response.headers.get('content-type') ?? '';
  const streamed = /event-stream|ndjson/i.test(type);
  let seen = 0;
  let sinceLineEnd = 0;
  const bound = new TransformStream<Uint8Array, Uint8Array>({
    transform(chunk, controller) {
      if (!response.ok) {
        const room = limits.errorBytes - seen;
        seen += chunk.byteLength;
        if (room > 0) controller.enqueue(chunk.byteLength > room ? chunk.subarray(0, room) : chunk);
        if (seen >= limits.errorBytes) controller.terminate();
        return;
      }
      if (streamed || seen + chunk.byteLength <= limits.jsonBytes) {
        if (streamed) sinceLineEnd = bytesAfterLastLineEnd(chunk, sinceLineEnd);
        if (sinceLineEnd <= limits.lineBytes) {
          seen += chunk.byteLength;
          controller.enqueue(chunk);
          return;
        }
      }
      const what = streamed ? `a line of more than ${mib(limits.lineBytes)} without an end` : `an answer of more than ${mib(limits.jsonBytes)}`;
      controller.error(
        new ProviderError(providerId, 'server', `the server sent ${what}, and reading stopped there: it may not be the API its type says, or a proxy changed the answer. ${adviceFor('server')}`, {
          status: response.status,
        }),
      );
    },
  });
  return new Response(body.pipeThrough(bound), { status: response.status, statusText: response.statusText, headers: response.headers });
}

/** Bytes after the chunk's last line end (LF or CR), counting on from `before` when it has none. */
function bytesAfterLastLineEnd(chunk: Uint8Array, before: number): number {
  const last = Math.max(chunk.lastIndexOf(0x0a), chunk.lastIndexOf(0x0d));
  return last < 0 ? before + chunk.byteLength : chunk.byteLength - 1 - last;
}
