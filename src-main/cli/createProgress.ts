import { SingleBar, Presets } from 'cli-progress';
import type { CliIo } from './CliIo.ts';
import type { CliOutput } from './CliOutput.ts';

export interface Progress {
  tick(label: string): void;
  done(): void;
}

/**
 * Progress of long work: a bar on an interactive terminal, `progress` JSON lines with `--json`,
 * nothing when output is piped (logs stay clean).
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
  const bar = new SingleBar(
    { format: `${task} [{bar}] {value}/{total} {label}`, stream: io.stderr as NodeJS.WritableStream, clearOnComplete: true, hideCursor: true },
    Presets.shades_classic,
  );
  bar.start(total, 0, { label: '' });
  return {
    tick(label) {
      bar.increment(1, { label });
    },
    done() {
      bar.stop();
    },
  };
}
