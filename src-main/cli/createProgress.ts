import { createRequire } from 'node:module';
import type * as CliProgress from 'cli-progress';
import type { CliIo } from './CliIo.ts';
import type { CliOutput } from './CliOutput.ts';
import { safeTerminalText } from './safeTerminalText.ts';
import { rawStreams } from './terminalSafeIo.ts';
import { describeTransfer } from '../../src-shared/domain/describeTransfer.ts';

/** The bar library, loaded when a bar is drawn (a terminal, not --json or a pipe), not when the CLI starts. */
function cliProgress(): typeof CliProgress {
  return createRequire(import.meta.url)('cli-progress') as typeof CliProgress;
}

export interface Progress {
  tick(label: string): void;
  done(): void;
}

/**
 * Progress of long work: a bar on an interactive terminal, `progress` JSON lines with `--json`,
 * nothing when output is piped (logs stay clean). The bar draws with its own escape sequences on
 * the raw stream, so the task and labels (names, URIs) are escaped here.
 */
export function createProgress(output: CliOutput, io: CliIo, task: string, total: number): Progress {
  let current = 0;
  if (output.json) {
    return {
      tick(label) {
        current += 1;
        output.event('progress', { task, current, total, label });
      },
      done() {},
    };
  }
  if (!output.interactive) return { tick() {}, done() {} };
  const { SingleBar, Presets } = cliProgress();
  const bar = new SingleBar(
    { format: `${safeTerminalText(task)} [{bar}] {value}/{total} {label}`, stream: rawStreams(io).stderr, clearOnComplete: true, hideCursor: true },
    Presets.shades_classic,
  );
  bar.start(total, 0, { label: '' });
  return {
    tick(label) {
      // The bar writes raw: the label (a project's name) is escaped as the task is.
      bar.increment(1, { label: safeTerminalText(label) });
    },
    done() {
      bar.stop();
    },
  };
}

export interface ByteProgress {
  /** `rate`: speed and time left when the caller measures them (model downloads). */
  update(done: number, total: number | null, rate?: { bytesPerSecond?: number | undefined; secondsLeft?: number | null | undefined }): void;
  done(): void;
}

/** How long a `--json` progress line held back (its whole percent went out already) waits at most. */
export const heldLineMs = 500;

/** Byte progress (downloads): a bar with MiB on a terminal, `progress` JSON lines with `--json`. */
export function createByteProgress(output: CliOutput, io: CliIo, task: string): ByteProgress {
  if (output.json) {
    // One line per whole percent; a line held back by that goes out within `heldLineMs`, so a
    // transfer that stalls (or is paused) still shows every byte it got.
    let last = -1;
    let held: Record<string, unknown> | undefined;
    let timer: NodeJS.Timeout | undefined;
    const send = (line: Record<string, unknown>) => {
      clearTimeout(timer);
      timer = undefined;
      held = undefined;
      output.event('progress', line);
    };
    return {
      update(done, total, rate) {
        const line = { task, downloadedBytes: done, totalBytes: total, ...(rate?.bytesPerSecond ? { bytesPerSecond: Math.round(rate.bytesPerSecond), secondsLeft: rate.secondsLeft ?? null } : {}) };
        const percent = total ? Math.floor((done / total) * 100) : -1;
        if (percent !== last || percent === -1) {
          last = percent;
          send(line);
          return;
        }
        held = line;
        timer ??= setTimeout(() => held && send(held), heldLineMs);
        timer.unref();
      },
      done() {
        if (held) send(held);
      },
    };
  }
  if (!output.interactive) return { update() {}, done() {} };
  const mib = (bytes: number) => (bytes / 1024 ** 2).toFixed(1);
  const { SingleBar, Presets } = cliProgress();
  const bar = new SingleBar(
    { format: `${safeTerminalText(task)} [{bar}] {percentage}% {doneMiB}/{totalMiB} MiB{rate}`, stream: rawStreams(io).stderr, clearOnComplete: true, hideCursor: true },
    Presets.shades_classic,
  );
  let started = false;
  return {
    update(done, total, rate) {
      const size = total ?? Math.max(done, 1);
      const speed = describeTransfer(rate?.bytesPerSecond, rate?.secondsLeft);
      const values = { doneMiB: mib(done), totalMiB: total ? mib(total) : '?', rate: speed === '' ? '' : ` · ${speed}` };
      if (!started) {
        bar.start(size, done, values);
        started = true;
      }
      bar.setTotal(size);
      bar.update(done, values);
    },
    done() {
      if (started) bar.stop();
    },
  };
}
