import type { SandboxEvent } from '../../../src-shared/sandbox/sandboxTypes.ts';
import type { EventBus } from '../../events/EventBus.ts';
import type { CliIo } from '../CliIo.ts';
import type { CliOutput } from '../CliOutput.ts';

type LogStream = 'stdout' | 'stderr';

/**
 * A test run's output as it comes: raw text on stderr for people (stdout stays for the result),
 * `log` JSON lines with `--json`. The sandbox caps it (1 MiB by default) and says so in the text.
 */
export class TestLog {
  readonly #output: CliOutput;
  readonly #io: CliIo;
  #endsWithNewline = true;

  constructor(output: CliOutput, io: CliIo) {
    this.#output = output;
    this.#io = io;
  }

  write(stream: LogStream, text: string, testRunId?: string): void {
    if (text === '') return;
    if (this.#output.json) {
      this.#output.event('log', { ...(testRunId !== undefined ? { testRunId } : {}), stream, text });
      return;
    }
    this.#io.stderr.write(text);
    this.#endsWithNewline = text.endsWith('\n');
  }

  /** Ends a last line left open, so what follows starts on its own line. */
  end(): void {
    if (!this.#endsWithNewline) this.#io.stderr.write('\n');
    this.#endsWithNewline = true;
  }

  /**
   * Prints the core's `sandbox.event` log of one test run. Subscribe before the run starts (its
   * first output may come before `tests.run` answers): events come in before `attach` names the
   * run are held, then the ones of that run are printed.
   */
  follow(bus: EventBus): { attach(testRunId: string): void; stop(): void } {
    let testRunId: string | undefined;
    const held: Extract<SandboxEvent, { kind: 'log' }>[] = [];
    const unsubscribe = bus.subscribe((name, payload) => {
      if (name !== 'sandbox.event') return;
      const event = payload as SandboxEvent;
      if (event.kind !== 'log') return;
      if (testRunId === undefined) held.push(event);
      else if (event.testRunId === testRunId) this.write(event.stream, event.text, event.testRunId);
    });
    return {
      attach: (id) => {
        testRunId = id;
        for (const event of held.splice(0)) if (event.testRunId === id) this.write(event.stream, event.text, id);
      },
      stop: () => {
        unsubscribe();
        this.end();
      },
    };
  }
}
