import { randomUUID } from 'node:crypto';
import { createServer, type Server, type Socket } from 'node:net';
import { join } from 'node:path';
import type { LaunchedScript, NodeScriptLauncher, NodeScriptOptions } from './NodeScriptLauncher.ts';
import { ProjectCheckFailed } from './ProjectCheckFailed.ts';

export interface ConnectedServer {
  script: LaunchedScript;
  /** The LSP stream, both ways. */
  socket: Socket;
}

/**
 * Where the server connects: a Unix socket inside the checker's private 0700 folder (no other
 * user can reach it), or on Windows a named pipe with an unguessable name. Short on purpose:
 * a Unix socket path may not pass about 104 bytes.
 */
export function languageServerPipe(privateDir: string): string {
  return process.platform === 'win32' ? `\\\\.\\pipe\\service-creator-lsp-${randomUUID()}` : join(privateDir, 'lsp.sock');
}

/**
 * Starts a language server script with `--pipe=<path>` and waits for it to connect to the pipe
 * this side listens on: the first connection is the server's, and the pipe stops listening at
 * once, so nothing else can join. Fails when the script exits or does not connect in time.
 */
export async function connectLanguageServer(
  launch: NodeScriptLauncher,
  script: string,
  options: NodeScriptOptions & { pipe: string; connectTimeoutMs: number },
): Promise<ConnectedServer> {
  const listener = createServer();
  await new Promise<void>((resolve, reject) => {
    listener.once('error', reject);
    listener.listen(options.pipe, () => {
      listener.off('error', reject);
      resolve();
    });
  });
  let launched: LaunchedScript | undefined;
  try {
    launched = launch(script, [`--pipe=${options.pipe}`], options);
    const started = launched;
    const socket = await new Promise<Socket>((resolve, reject) => {
      const timer = setTimeout(() => reject(new ProjectCheckFailed('crashed', `The type checker (pyright) did not connect within ${Math.round(options.connectTimeoutMs / 1000)} s.`)), options.connectTimeoutMs);
      started.onExit((why) => {
        clearTimeout(timer);
        reject(new ProjectCheckFailed('crashed', `The type checker (pyright) stopped before it connected: ${why}`));
      });
      listener.once('connection', (socket) => {
        clearTimeout(timer);
        resolve(socket);
      });
    });
    return { script: started, socket };
  } catch (error) {
    launched?.kill();
    throw error;
  } finally {
    closeListener(listener);
  }
}

function closeListener(listener: Server): void {
  // Stops accepting; the connection already made stays open.
  listener.close(() => undefined);
}
