import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { localhostLookup } from '../paths/localhostLookup.ts';

export interface PostSpansOptions {
  /** The whole export (every try, each from connecting to the answer's status) ends within this. */
  timeoutMs: number;
  /** Aborted: the try under way is dropped at once and no other is made (telemetry stopping). */
  signal: AbortSignal;
  /** Asked before each try again: false when the process is about to end (nothing waits for a collector that is down). */
  mayRetry: () => boolean;
  userAgent: string;
}

export type PostSpansOutcome = { ok: true } | { ok: false; error: Error };

/** Answers worth another try (the OTLP specification's list); any other is final. */
const retryableStatuses = new Set([429, 502, 503, 504]);
const firstRetryMs = 500;
const longestRetryMs = 5_000;

/**
 * One OTLP/HTTP JSON export to the collector at `url`: tried again while it is refused, down or
 * busy, all within `timeoutMs`. The answer's status is all it reads (no body: a collector that
 * answers gigabytes, or a byte at a time, costs nothing); a redirect is a failure, never followed
 * (traces go to the address the user named, nowhere else). Its socket and timers never keep the
 * process alive: an export given up on (the CLI's command is over, its bounded flush waited)
 * does not hold the process open, and `signal` ends it at once. Never rejects. Errors are in words
 * of our own: nothing the collector said is passed on.
 */
export async function postSpans(url: string, body: Uint8Array, options: PostSpansOptions): Promise<PostSpansOutcome> {
  // A monotonic clock: one set back during the export would stretch its time by as much.
  const deadline = performance.now() + options.timeoutMs;
  let wait = firstRetryMs;
  for (;;) {
    const tried = await postOnce(new URL(url), body, options, deadline - performance.now());
    if (tried.outcome.ok || !tried.retry || options.signal.aborted || !options.mayRetry()) return tried.outcome;
    const pause = Math.min(Math.max(tried.retryAfterMs ?? 0, wait), longestRetryMs);
    if (performance.now() + pause >= deadline) return tried.outcome;
    await sleep(pause, options.signal);
    // Stopped while waiting: the failure that made it wait is the one to tell.
    if (options.signal.aborted) return tried.outcome;
    wait *= 2;
  }
}

interface Tried {
  outcome: PostSpansOutcome;
  retry: boolean;
  retryAfterMs?: number;
}

function postOnce(url: URL, body: Uint8Array, options: PostSpansOptions, ms: number): Promise<Tried> {
  const stopped: Tried = { outcome: { ok: false, error: new Error('telemetry stopped before the collector answered') }, retry: false };
  if (options.signal.aborted) return Promise.resolve(stopped);
  return new Promise((resolve) => {
    const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
    const request = send(url, {
      method: 'POST',
      agent: false,
      lookup: localhostLookup,
      headers: { 'content-type': 'application/json', 'content-length': body.byteLength, 'user-agent': options.userAgent },
    });
    let settled = false;
    const finish = (tried: Tried) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      options.signal.removeEventListener('abort', onAbort);
      request.destroy();
      resolve(tried);
    };
    const onAbort = () => finish(stopped);
    const timer = setTimeout(() => finish({ outcome: { ok: false, error: new Error(`the collector did not answer within ${Math.round(options.timeoutMs / 1000)} s`) }, retry: false }), Math.max(0, ms));
    timer.unref();
    options.signal.addEventListener('abort', onAbort, { once: true });
    request.on('socket', (socket) => socket.unref());
    request.on('error', (error: NodeJS.ErrnoException) =>
      finish({ outcome: { ok: false, error: new Error(`the collector could not be reached${error.code === undefined ? '' : ` (${error.code})`}`) }, retry: true }),
    );
    request.on('response', (response) => {
      const status = response.statusCode ?? 0;
      if (status >= 200 && status < 300) return finish({ outcome: { ok: true }, retry: false });
      const retryAfter = Number(response.headers['retry-after']);
      finish({
        outcome: { ok: false, error: new Error(status >= 300 && status < 400 ? `the collector answered with a redirect (${status}), which is not followed` : `the collector answered ${status}`) },
        retry: retryableStatuses.has(status),
        ...(Number.isFinite(retryAfter) && retryAfter >= 0 ? { retryAfterMs: retryAfter * 1000 } : {}),
      });
    });
    request.end(body);
  });
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    timer.unref();
    signal.addEventListener('abort', done, { once: true });
  });
}
