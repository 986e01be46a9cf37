// SQLite failing while the app runs, said in words with a code a face can branch on, through the
// real CLI and a real `serve`: the database kept locked by another process past the 5 s busy
// timeout (DB_BUSY, retryable), and a database whose pages are damaged past its first ones, found
// only when a command reads them (DB_CORRUPT). Before, both were "Internal error …: database is
// locked" / "database disk image is malformed", exit 2 and, in the GUI, "That is a bug".
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { databaseFileName } from '../../src-main/paths/databaseFileName.ts';
import { openDatabase } from '../../src-main/store/openDatabase.ts';
import { connectClient } from '../support/bridgeClient.ts';
import { parseJsonLines } from '../support/bufferIo.ts';
import { runBin, startBin, type RunningCli } from '../support/cliProcess.ts';
import { createTempDir, removeTempDirs } from '../support/tempDir.ts';

const running: RunningCli[] = [];
afterEach(() => {
  for (const cli of running.splice(0)) cli.child.kill('SIGKILL');
});
afterAll(() => removeTempDirs());

const errorOf = (stdout: string) => parseJsonLines(stdout).find((line) => line.type === 'error') as { error: { code: string; message: string } } | undefined;

describe('the database failing while a command runs', () => {
  it('kept locked by another process past the busy timeout: the CLI and a running serve say DB_BUSY in words, and work once it is free', async () => {
    const home = createTempDir('sc-int-db-busy-');
    const env = { SERVICE_CREATOR_HOME: home };
    const serve = startBin(['serve', '--json'], env);
    running.push(serve);
    const listening = await serve.waitForJson<{ url: string; port: number }>('listening');
    const client = await connectClient(listening.port, listening.url.split('#token=')[1] as string);
    expect(await client.invoke('budgets.list')).toMatchObject({ ok: true });

    const holder = openDatabase(join(home, databaseFileName));
    try {
      holder.exec('BEGIN IMMEDIATE');
      const [cli, bridged] = await Promise.all([
        runBin(['budget', 'set', '5', '--json'], env),
        // As invoke, with room for the 5 s the server waits for the lock.
        (async () => {
          client.send(JSON.stringify({ type: 'invoke', id: 'busy', channel: 'budgets.set', input: { scope: 'overall', scopeId: '', period: 'month', limitUsd: 5 } }));
          const frame = await client.next((candidate) => candidate.type === 'result' && candidate.id === 'busy', 20_000);
          return frame.type === 'result' ? frame.result : frame;
        })(),
      ]);
      expect(cli.code, cli.stderr).toBe(1);
      expect(errorOf(cli.stdout)?.error).toMatchObject({ code: 'DB_BUSY', message: expect.stringContaining(join(home, databaseFileName)) });
      expect(errorOf(cli.stdout)?.error.message).not.toMatch(/SQLITE|Internal error/);
      expect(bridged).toMatchObject({ ok: false, error: { code: 'DB_BUSY', retryable: true, message: expect.stringContaining('another Service Creator process') } });
      holder.exec('COMMIT');
    } finally {
      holder.close();
    }
    expect(await client.invoke('budgets.set', { scope: 'overall', scopeId: '', period: 'month', limitUsd: 5 }, 'free')).toMatchObject({ ok: true });
    expect((await runBin(['budget', 'show'], env)).stdout).toContain('$5.00');
    await client.close();
  }, 40_000);

  it('damaged past its first pages: commands that read them say DB_CORRUPT, exit 1, and leave the file as it was', async () => {
    const home = createTempDir('sc-int-db-damaged-');
    const env = { SERVICE_CREATOR_HOME: home };
    for (const id of ['a', 'b', 'c']) {
      const added = await runBin(['providers', 'add', '--id', id, '--type', 'openai', '--base-url', 'http://127.0.0.1:9/v1', '--model', 'm'], env);
      expect(added.code, added.stderr).toBe(0);
    }
    const path = join(home, databaseFileName);
    const bytes = readFileSync(path);
    // The schema's first pages stay readable (the database opens); the tables' pages after them do not.
    bytes.fill(0xa5, 4096 * 5, Math.min(bytes.length, 4096 * 15));
    writeFileSync(path, bytes);

    for (const args of [['providers', 'list'], ['budget', 'show'], ['chat', '--prompt', 'hello']]) {
      const run = await runBin([...args, '--json'], env);
      expect(run.code, `${args.join(' ')}: ${run.stdout}${run.stderr}`).toBe(1);
      expect(errorOf(run.stdout)?.error).toMatchObject({ code: 'DB_CORRUPT', message: expect.stringContaining(path) });
      expect(errorOf(run.stdout)?.error.message).not.toMatch(/SQLITE|Internal error/);
    }
    expect(readFileSync(path).equals(bytes)).toBe(true);
  }, 60_000);
});
