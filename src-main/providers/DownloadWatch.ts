import { ProviderError } from './ProviderError.ts';

export interface DownloadTimeouts {
  /** No answer (the file's size and name) within this: the host is unreachable. Default 30 s. */
  connectMs?: number;
  /** No new bytes for this long once downloading: the transfer has stalled. Default 60 s. */
  idleMs?: number;
}

const defaultConnectMs = 30_000;
const defaultIdleMs = 60_000;

/** The host a download contacts, for messages: Hugging Face for `hf:` URIs. */
export function downloadHost(uri: string): string {
  if (uri.startsWith('hf:')) return 'huggingface.co';
  try {
    return new URL(uri).host;
  } catch {
    return uri.slice(0, 80);
  }
}

const networkProblems: Record<string, string> = {
  ECONNREFUSED: 'nothing answers at that address (connection refused)',
  ENOTFOUND: 'the host name does not resolve (no network, or no DNS)',
  EAI_AGAIN: 'the host name does not resolve (no network, or no DNS)',
  ENETUNREACH: 'no route to the network (offline?)',
  EHOSTUNREACH: 'no route to the host (offline?)',
  ECONNRESET: 'the connection was reset',
  ETIMEDOUT: 'the connection timed out',
  UND_ERR_SOCKET: 'the connection closed unexpectedly',
  UND_ERR_CONNECT_TIMEOUT: 'the connection timed out',
};

/** The system error code of a failed request: on the error itself (node:http) or nested in `cause`, at times in an AggregateError (fetch). */
export function networkErrorCode(error: unknown): string | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 5 && current !== null && typeof current === 'object'; depth += 1) {
    const { code, cause, errors } = current as { code?: unknown; cause?: unknown; errors?: unknown };
    if (typeof code === 'string' && code in networkProblems) return code;
    current = cause ?? (Array.isArray(errors) ? (errors as unknown[])[0] : undefined);
  }
  return undefined;
}

function networkProblem(error: unknown): string {
  const code = networkErrorCode(error);
  return code === undefined ? 'network error' : (networkProblems[code] ?? 'network error');
}

/**
 * Bounds the waits of a model download: a host that accepts the connection and never answers,
 * or an address nothing answers, must not keep a download "running" at 0 bytes forever, nor a
 * transfer that stalls after the headers. `connect` stops waiting for the answer after
 * `connectMs` or on abort (the request it abandons is released through `onAbandoned`); `idle`
 * calls back after `idleMs` without new bytes. Failures are ProviderError 'connection' in words
 * that say what to do without a connection (`offline` for a request that could not connect).
 */
export class DownloadWatch {
  readonly #uri: string;
  readonly #providerId: string;
  readonly #connectMs: number;
  readonly #idleMs: number;

  constructor(uri: string, providerId: string, timeouts: DownloadTimeouts = {}) {
    this.#uri = uri;
    this.#providerId = providerId;
    this.#connectMs = timeouts.connectMs ?? defaultConnectMs;
    this.#idleMs = timeouts.idleMs ?? defaultIdleMs;
  }

  unreachable(why: 'connect' | 'idle', downloadedBytes = 0): ProviderError {
    const host = downloadHost(this.#uri);
    const what =
      why === 'connect'
        ? `no answer within ${this.#connectMs / 1000} s`
        : `no data for ${this.#idleMs / 1000} s (stopped at ${(downloadedBytes / 1024 ** 2).toFixed(1)} MiB; the partial file is kept: resume the download to fetch the rest)`;
    return new ProviderError(
      this.#providerId,
      'connection',
      `cannot reach ${host}: ${what}. Check the network connection, or download the file on a connected machine and import it (Models → Import; on the command line: service-creator models import FILE)`,
    );
  }

  /**
   * A request that failed before any answer (connection refused, no DNS, no route): the offline
   * message, naming the host the address points at, with the system's reason in words.
   */
  offline(cause: unknown): ProviderError {
    const host = downloadHost(this.#uri);
    return new ProviderError(
      this.#providerId,
      'connection',
      `cannot reach ${host}: download the file on a connected machine and import it (Models → Import; on the command line: service-creator models import FILE). The connection failed: ${networkProblem(cause)}`,
      { cause },
    );
  }

  /** `started`, unless it takes longer than the connect timeout (rejects in words) or `signal` aborts (rejects with its reason). */
  async connect<T>(started: Promise<T>, signal: AbortSignal | undefined, onAbandoned: (value: T) => void): Promise<T> {
    let timer: NodeJS.Timeout | undefined;
    let onAbort: (() => void) | undefined;
    let abandoned = false;
    // Settles later, after we stopped waiting: its result is released, its failure ignored.
    started.then((value) => abandoned && onAbandoned(value), () => undefined);
    try {
      return await Promise.race([
        started,
        new Promise<never>((_resolve, reject) => {
          timer = setTimeout(() => reject(this.unreachable('connect')), this.#connectMs);
          onAbort = () => reject(signal?.reason instanceof Error ? signal.reason : new Error('cancelled'));
          if (signal?.aborted) onAbort();
          signal?.addEventListener('abort', onAbort, { once: true });
        }),
      ]);
    } catch (error) {
      abandoned = true;
      throw error;
    } finally {
      clearTimeout(timer);
      if (onAbort) signal?.removeEventListener('abort', onAbort);
    }
  }

  /** Calls `onStall` once when `saw` has not reported more bytes for the idle timeout; `stop` ends the watch. */
  idle(onStall: (downloadedBytes: number) => void): { saw(downloadedBytes: number): void; stop(): void } {
    let last = 0;
    let timer: NodeJS.Timeout | undefined;
    const arm = () => {
      clearTimeout(timer);
      timer = setTimeout(() => onStall(last), this.#idleMs);
    };
    arm();
    return {
      saw(downloadedBytes) {
        if (timer === undefined || downloadedBytes <= last) return;
        last = downloadedBytes;
        arm();
      },
      stop() {
        clearTimeout(timer);
        timer = undefined;
      },
    };
  }
}
