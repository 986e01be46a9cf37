import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { parseJsonLines } from '../support/bufferIo.ts';
import { runBin, startBin } from '../support/cliProcess.ts';
import { startStallingServer, type StallingServer } from '../support/stallingServer.ts';
import { createTempDir, removeTempDirs } from '../support/tempDir.ts';
import { TmuxTerminal } from '../support/tmuxTerminal.ts';

/**
 * `chat` stopped by the user while its call waits on a server that never answers: Ctrl+C in a
 * real terminal (tmux, 40 columns) and SIGTERM with --json. It ends as a stopped command ends
 * (130, as a shell reports a command Ctrl+C ended, like every other command), with a sentence,
 * not as a user error (1) saying "Cancelled: interrupted".
 */
const terminals: TmuxTerminal[] = [];
let server: StallingServer | undefined;

afterEach(async () => {
  for (const terminal of terminals.splice(0)) await terminal.close();
  await server?.close();
  server = undefined;
});
afterAll(() => removeTempDirs());

async function stalledProvider(): Promise<NodeJS.ProcessEnv> {
  server = await startStallingServer('silent');
  const env = { SERVICE_CREATOR_HOME: createTempDir('sc-int-chat-stop-') };
  const added = await runBin(['providers', 'add', '--id', 'stuck', '--type', 'openai', '--base-url', `${new URL(server.url).origin}/v1`, '--model', 'm', '--local', '--json'], env);
  expect(added.code, added.stderr).toBe(0);
  return env;
}

/** Until the server has one connection more than `before`: chat's request is out. */
async function waitForConnection(before: number): Promise<void> {
  const deadline = Date.now() + 20_000;
  while ((server?.connections() ?? 0) <= before) {
    if (Date.now() > deadline) throw new Error('chat never reached the server');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('chat stopped while it waits', () => {
  it('Ctrl+C on a 40-column terminal: one sentence, no stack trace, exit 130', async () => {
    const env = await stalledProvider();
    const before = server?.connections() ?? 0;
    const terminal = await TmuxTerminal.start(['chat', '--prompt', 'hello'], env, { columns: 40, rows: 20 });
    terminals.push(terminal);
    await waitForConnection(before);
    await terminal.press('C-c');
    expect(await terminal.exited()).toBe(130);
    const screen = (await terminal.screen()).replace(/\n/g, '');
    expect(screen).toContain('Error: Stopped (Ctrl+C): the call was cancelled');
    expect(screen).not.toMatch(/\bat .+:\d+:\d+|Cancelled: interrupted/);
  });

  it('SIGTERM with --json: a CANCELLED error line and nothing else, exit 130', async () => {
    const env = await stalledProvider();
    const before = server?.connections() ?? 0;
    const running = startBin(['chat', '--prompt', 'hello', '--json'], env);
    await waitForConnection(before);
    running.child.kill('SIGTERM');
    const { code } = await running.exited;
    expect(code).toBe(130);
    expect(parseJsonLines(running.stdout())).toEqual([{ type: 'error', error: { code: 'CANCELLED', message: expect.stringMatching(/^Stopped: the call was cancelled/) } }]);
    expect(running.stderr()).toBe('');
  });
});
