import { spawn } from 'node:child_process';
import { randomFillSync } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { binPath, repoRoot, runBin } from '../support/cliProcess.ts';
import { startRangeFileServer, type RangeFileServer } from '../support/rangeFileServer.ts';
import { useTempDirs } from '../support/useTempDirs.ts';

const MiB = 1024 * 1024;

/**
 * `models pull` from the real CLI: Ctrl+C pauses (exit 130, the partial file kept, the resume
 * command printed), `models downloads` lists it, the same pull fetches only the rest, and
 * `models remove` deletes the model.
 */
describe('service-creator models pull / downloads / remove', () => {
  const tempDir = useTempDirs();
  let server: RangeFileServer;
  const size = 8 * MiB + 17;

  beforeAll(async () => {
    const body = randomFillSync(Buffer.alloc(size));
    body.write('GGUF', 0, 'latin1');
    server = await startRangeFileServer({ '/coder.gguf': { body } });
  });
  afterAll(() => server.close());

  it('pauses on Ctrl+C, lists the paused download, resumes it with the same pull and removes the model', async () => {
    const home = tempDir('sc-cli-pull-');
    const env: NodeJS.ProcessEnv = { ...process.env, SERVICE_CREATOR_HOME: home };
    delete env.SERVICE_CREATOR_DEBUG;
    const url = `${server.url}/coder.gguf`;
    server.stallNextAfter = 3 * MiB;
    const child = spawn(process.execPath, [binPath, 'models', 'pull', url, '--json'], { cwd: repoRoot, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
    await new Promise<void>((resolve, reject) => {
      child.stdout.on('data', (chunk: Buffer) => {
        stdout += chunk.toString();
        // Whole lines only: a chunk can end inside one (more likely on a busy machine).
        const lines = stdout.split('\n').slice(0, -1).filter((line) => line.startsWith('{'));
        const reached = lines.some((line) => ((JSON.parse(line) as { downloadedBytes?: number }).downloadedBytes ?? 0) >= 3 * MiB);
        if (reached) resolve();
      });
      child.on('close', () => reject(new Error(`pull ended before the stall: ${stdout}`)));
    });
    child.kill('SIGINT');
    expect(await exited).toBe(130);
    const paused = stdout
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as { type: string; message?: string })
      .find((line) => line.type === 'paused');
    expect(paused?.message).toBe(`Paused at 3.0 MiB of 8.0 MiB; the partial file is kept. Resume with: service-creator models pull ${url}`);

    const listed = await runBin(['models', 'downloads'], env);
    expect(listed.code).toBe(0);
    expect(listed.stdout).toMatch(/paused {2}coder\.gguf {2}3\.0 MiB of 8\.0 MiB/);

    server.resetCounters();
    const resumed = await runBin(['models', 'pull', url], env);
    expect(resumed.stderr).toBe('');
    expect(resumed.stdout.trim()).toBe('Downloaded coder.gguf (8.0 MiB), checked');
    expect(server.requests).toEqual([`bytes=${3 * MiB}-`]);
    expect(server.bytesServed()).toBe(size - 3 * MiB);

    const removed = await runBin(['models', 'remove', 'coder.gguf'], env);
    expect(removed.stdout.trim()).toBe('Removed coder.gguf');
    expect(existsSync(join(home, 'models', 'coder.gguf'))).toBe(false);
  });
});
