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
  if (response.body === null) return response;
  const reader = response.body.getReader();
  const type = response.headers.get('content-type') ?? '';
  const streamed = /event-stream|ndjson/i.test(type);
  let seen = 0;
  let sinceLineEnd = 0;
  const refuse = (controller: ReadableStreamDefaultController<Uint8Array>): void => {
    const what = streamed ? `a line of more than ${mib(limits.lineBytes)} without an end` : `an answer of more than ${mib(limits.jsonBytes)}`;
    controller.error(
      new ProviderError(providerId, 'server', `the server sent ${what}, and reading stopped there: it may not be the API its type says, or a proxy changed the answer. ${adviceFor('server')}`, {
        status: response.status,
      }),
    );
    reader.cancel().catch(() => undefined);
  };
  // A pulled stream over the body's reader, not a TransformStream: half the CPU per streamed answer.
  const body = new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        const { done, value } = await reader.read();
        if (done) return controller.close();
        seen += value.byteLength;
        if (!response.ok) {
          const over = seen - limits.errorBytes;
          controller.enqueue(over > 0 ? value.subarray(0, Math.max(0, value.byteLength - over)) : value);
          if (over >= 0) {
            controller.close();
            reader.cancel().catch(() => undefined);
          }
          return;
        }
        if (streamed) sinceLineEnd = bytesAfterLastLineEnd(value, sinceLineEnd);
        if (streamed ? sinceLineEnd > limits.lineBytes : seen > limits.jsonBytes) return refuse(controller);
        controller.enqueue(value);
      },
      cancel(reason) {
        return reader.cancel(reason);
      },
    },
    { highWaterMark: 0 },
  );
  return new Response(body, { status: response.status, statusText: response.statusText, headers: response.headers });
}

/** Bytes after the chunk's last line end (LF or CR), counting on from `before` when it has none. */
function bytesAfterLastLineEnd(chunk: Uint8Array, before: number): number {
  const last = Math.max(chunk.lastIndexOf(0x0a), chunk.lastIndexOf(0x0d));
  return last < 0 ? before + chunk.byteLength : chunk.byteLength - 1 - last;
}
