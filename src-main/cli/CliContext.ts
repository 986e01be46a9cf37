import { AppError } from '../../src-shared/AppError.ts';
import type { Channel, ChannelInput, ChannelOutput, EventPayload } from '../../src-shared/contract.ts';
import { budgetWarning } from '../../src-shared/budgetWarning.ts';
import { unwrap } from '../../src-shared/envelope.ts';
import type { Core } from '../core/createCore.ts';
import type { ProviderDescriptor } from '../providers/descriptors/ProviderDescriptor.ts';
import type { ProviderRegistry } from '../providers/descriptors/ProviderRegistry.ts';
import { resolveDataDir } from '../paths/resolveDataDir.ts';
import type { CliIo } from './CliIo.ts';
import { CliOutput } from './CliOutput.ts';
import { loadCoreModules, loadedCoreModules } from './coreModules.ts';

/**
 * What a command gets: output, io, and the core opened on first use (so `--help` never touches
 * the database). Commands go through the same dispatcher and schemas as the UI.
 */
export class CliContext {
  readonly io: CliIo;
  readonly output: CliOutput;
  readonly #givenDescriptors: readonly ProviderDescriptor[] | undefined;
  #providerTypes: ProviderRegistry | undefined;
  #core: Core | undefined;

  constructor(io: CliIo, json: boolean, options: { providerDescriptors?: readonly ProviderDescriptor[] } = {}) {
    this.io = io;
    this.output = new CliOutput(io, json);
    this.#givenDescriptors = options.providerDescriptors;
  }

  /** The provider types this CLI knows (the shipped ones unless a caller, e.g. a test, adds some). */
  get providerTypes(): ProviderRegistry {
    return (this.#providerTypes ??= new (loadedCoreModules().ProviderRegistry)(this.#providerDescriptors()));
  }

  #providerDescriptors(): readonly ProviderDescriptor[] {
    return this.#givenDescriptors ?? loadedCoreModules().providerDescriptors;
  }

  /** The core, once its modules are loaded (loadCoreModules). */
  core(host: 'cli' | 'bridge' = 'cli'): Core {
    this.#core ??= loadedCoreModules().createCore({
      dataDir: resolveDataDir(this.io.env),
      env: this.io.env,
      host,
      providerDescriptors: this.#providerDescriptors(),
      watchExternalChanges: host === 'bridge',
      // The log has it (with its stack); the terminal only with SERVICE_CREATOR_DEBUG, through the CLI's own
      // terminal-safe stderr (it can quote untrusted text). The command's own error line says what failed.
      onInternalError: (channel, error) => {
        if (this.io.env.SERVICE_CREATOR_DEBUG) this.io.stderr.write(`[${channel}] ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
      },
    });
    // A budget nearing its limit is said on stderr (a `serve` passes it on to its pages as an event).
    if (host === 'cli') {
      this.#core.bus.subscribe((event, payload) => {
        if (event === 'budgets.warning') this.io.stderr.write(`Warning: ${budgetWarning(payload as EventPayload<'budgets.warning'>)}\n`);
      });
    }
    return this.#core;
  }

  /** The core, its modules loaded first: for a command that starts before they are (serve). */
  async openCore(host: 'cli' | 'bridge' = 'cli'): Promise<Core> {
    await loadCoreModules();
    return this.core(host);
  }

  async call<C extends Channel>(channel: C, ...input: undefined extends ChannelInput<C> ? [ChannelInput<C>?] : [ChannelInput<C>]): Promise<ChannelOutput<C>> {
    return unwrap(await this.core().dispatch(channel, input[0])) as ChannelOutput<C>;
  }

  /**
   * Stops generation runs still working in this process and lets them record where they stopped
   * (so they resume later, and no pending call meets a closed database), then closes the core.
   * Adapters are released in the background, as with `close`.
   */
  async dispose(): Promise<void> {
    const core = this.#core;
    if (core) {
      core.pipeline.stopAll();
      core.repairs.cancelAll();
      core.tests.cancelAll();
      await Promise.all([core.pipeline.settled(), core.repairs.settled(), core.tests.settled()]);
      // Log lines and spans of this command go out before it exits (bounded: a collector that is down costs 3 s at most).
      await core.observability.flush();
    }
    this.close();
  }

  close(): void {
    this.#core?.close();
    this.#core = undefined;
  }
}

/** A user error raised by the CLI itself (bad arguments the schemas do not see). */
export function usageError(message: string): AppError {
  return new AppError('INVALID_INPUT', message);
}
