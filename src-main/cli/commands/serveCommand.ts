import { fileURLToPath } from 'node:url';
import { Command, InvalidArgumentError } from 'commander';
import { z } from 'zod';
import { AppError } from '../../../src-shared/AppError.ts';
import { startBridgeServer } from '../../bridge/startBridgeServer.ts';
import type { CliContext } from '../CliContext.ts';
import type { Core } from '../../core/createCore.ts';
import { repositoryRootUrl } from '../../paths/repositoryRoot.ts';

export const defaultRendererDir = fileURLToPath(new URL('out/renderer/', repositoryRootUrl));

const portSchema = z
  .string()
  .regex(/^\d{1,5}$/)
  .transform(Number)
  .pipe(z.number().int().min(0).max(65535));

export function parsePort(value: string): number {
  const parsed = portSchema.safeParse(value.trim());
  if (!parsed.success) throw new InvalidArgumentError(`"${value}" is not a port (0-65535, 0 picks a free one).`);
  return parsed.data;
}

/** When no page has asked for anything this long after `listening`, the core opens anyway (its errors are said, interrupted runs recovered). */
const openCoreWithoutPageMs = 1000;

export function serveCommand(context: () => CliContext): Command {
  return new Command('serve')
    .description('serve the UI and the app API on 127.0.0.1, for a browser or a remote face')
    .option('-p, --port <port>', 'port on 127.0.0.1 (0 picks a free one)', parsePort, 0)
    .action(async (options: { port: number }) => {
      const ctx = context();
      // The core (database, services, the contract's schemas: most of a cold start) opens after
      // `listening`, once the page has its files (see BridgeOptions.core) or a second without a
      // page, so the page paints, and its scripts load, without waiting for it.
      let opening: Promise<Core> | undefined;
      let openingFailed!: (error: unknown) => void;
      const failure = new Promise<never>((_resolve, reject) => (openingFailed = reject));
      const openCore = () =>
        (opening ??= ctx.openCore('bridge').catch((error: unknown) => {
          openingFailed(error);
          throw error;
        }));
      const bridge = await startBridgeServer({ core: openCore, rendererDir: defaultRendererDir, port: options.port }).catch((error: unknown) => {
        if ((error as { code?: string }).code === 'EADDRINUSE') {
          throw new AppError('CONFLICT', `Port ${options.port} on 127.0.0.1 is already in use; choose another with --port or use 0.`);
        }
        throw error;
      });
      // Listen for Ctrl+C / SIGTERM before announcing the URL: a script may stop us right after it.
      const stopRequested = ctx.io.waitForStop();
      ctx.output.result(
        'listening',
        { url: bridge.url, port: bridge.port },
        `Service Creator is serving on ${bridge.url}\nOpen that address in a browser on this machine. Press Ctrl+C to stop.`,
      );
      const openAnyway = setTimeout(() => void openCore().catch(() => undefined), openCoreWithoutPageMs);
      try {
        // A core that cannot open (the database) ends the command with its error, the server closed first.
        await Promise.race([stopRequested, failure]);
      } catch (error) {
        clearTimeout(openAnyway);
        await bridge.close();
        throw error;
      }
      clearTimeout(openAnyway);
      // One still opening is let open, so that runCli's dispose closes it.
      await opening?.catch(() => undefined);
      await bridge.close();
      ctx.output.event('stopped', {});
    });
}
