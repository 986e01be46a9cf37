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

/**
 * Bounds the waits of a model download that the downloader under it (ipull, through
 * node-llama-cpp) leaves unbounded: its first request has no timeout and no way to abort it, so
 * a host that accepts the connection and never answers, or an address nothing answers, kept a
 * download "running" at 0 bytes forever and its cancel did nothing; a transfer that stalls after
 * the headers waited as long. `connect` stops waiting for the first answer after `connectMs` or
 * on abort (the request it abandons is left to fail on its own); `idle` calls back after
 * `idleMs` without new bytes. Failures are ProviderError 'connection' in words that say what to
 * do without a connection.
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
        : `no data for ${this.#idleMs / 1000} s (stopped at ${(downloadedBytes / 1024 ** 2).toFixed(1)} MiB; starting the same download again resumes it)`;
    return new ProviderError(
      this.#providerId,
      'connection',
      `cannot reach ${host}: ${what}. Check the network connection, or download the file on a connected machine and import it (Models → Import; on the command line: service-creator models import FILE)`,
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
