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
  const type = response.headers.get('content-type') ?? '';
  const streamed = /event-stream|ndjson/i.test(type);
  if (streamed && response.ok) return boundedStream(providerId, response, response.body, limits);
  const reader = response.body.getReader();
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
  // The Response constructor takes 200–599 only; a server may answer 600 or 999 (fetch passes them on), still not ok.
  const { status } = response;
  const bounded = new Response(body, { status: status >= 200 && status <= 599 ? status : 500, statusText: response.statusText, headers: response.headers });
  if (bounded.status !== status) Object.defineProperties(bounded, { status: { value: status }, ok: { value: false } });
  return bounded;
}

type ReadResult = Awaited<ReturnType<ReadableStreamDefaultReader<Uint8Array>['read']>>;

/**
 * A streamed answer (every model call): the same response and the same body, each chunk measured
 * as it is read. Its readers (`getReader`, async iteration: how the SDKs read a stream) hand out
 * the server's chunks through a check; piping it (pipeThrough, pipeTo, tee) goes through a pulled
 * stream over the same check. A line past the bound fails the read with a `server` ProviderError
 * in words and closes the connection. A stream of its own in between, with a new Response around
 * it, cost each model call about 20 µs (of a loopback answer's 450); this costs a `then` a chunk.
 */
function boundedStream(providerId: string, response: Response, body: ReadableStream<Uint8Array>, limits: typeof bodyLimits): Response {
  let sinceLineEnd = 0;
  const check = (inner: ReadableStreamDefaultReader<Uint8Array>, result: ReadResult): ReadResult => {
    if (result.done) return result;
    sinceLineEnd = bytesAfterLastLineEnd(result.value, sinceLineEnd);
    if (sinceLineEnd <= limits.lineBytes) return result;
    const error = new ProviderError(
      providerId,
      'server',
      `the server sent a line of more than ${mib(limits.lineBytes)} without an end, and reading stopped there: it may not be the API its type says, or a proxy changed the answer. ${adviceFor('server')}`,
      { status: response.status },
    );
    inner.cancel(error).catch(() => undefined);
    throw error;
  };
  const getReader = (): ReadableStreamDefaultReader<Uint8Array> => {
    const inner = ReadableStream.prototype.getReader.call(body) as ReadableStreamDefaultReader<Uint8Array>;
    const reader: Pick<ReadableStreamDefaultReader<Uint8Array>, 'read' | 'cancel' | 'releaseLock' | 'closed'> = {
      read: () => inner.read().then((result) => check(inner, result)),
      cancel: (reason?: unknown) => inner.cancel(reason),
      releaseLock: () => inner.releaseLock(),
      get closed() {
        return inner.closed;
      },
    };
    return reader as ReadableStreamDefaultReader<Uint8Array>;
  };
  const iterate = (): AsyncIterableIterator<Uint8Array> => {
    const reader = getReader();
    const iterator: AsyncIterableIterator<Uint8Array> = {
      next: () => reader.read().then((result) => (result.done ? (reader.releaseLock(), { done: true as const, value: undefined }) : result)),
      return: async (value?: unknown) => {
        await reader.cancel();
        reader.releaseLock();
        return { done: true as const, value: value as undefined };
      },
      [Symbol.asyncIterator]: () => iterator,
    };
    return iterator;
  };
  /** The same chunks as a stream of its own, for whoever pipes the body. */
  const pulled = (): ReadableStream<Uint8Array> => {
    const reader = getReader();
    return new ReadableStream<Uint8Array>({
      pull: (controller) =>
        reader.read().then(
          (result) => (result.done ? controller.close() : controller.enqueue(result.value)),
          (error: unknown) => controller.error(error),
        ),
      cancel: (reason) => reader.cancel(reason),
    }, { highWaterMark: 0 });
  };
  Object.defineProperties(body, {
    getReader: { value: getReader },
    [Symbol.asyncIterator]: { value: iterate },
    values: { value: iterate },
    pipeThrough: { value: (...args: Parameters<ReadableStream<Uint8Array>['pipeThrough']>) => pulled().pipeThrough(...args) },
    pipeTo: { value: (...args: Parameters<ReadableStream<Uint8Array>['pipeTo']>) => pulled().pipeTo(...args) },
    tee: { value: () => pulled().tee() },
  });
  return response;
}

/** Bytes after the chunk's last line end (LF or CR), counting on from `before` when it has none. */
function bytesAfterLastLineEnd(chunk: Uint8Array, before: number): number {
  const last = Math.max(chunk.lastIndexOf(0x0a), chunk.lastIndexOf(0x0d));
  return last < 0 ? before + chunk.byteLength : chunk.byteLength - 1 - last;
}
