import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseFileName } from '../../src-main/core/createCore.ts';
import { AttemptRepository } from '../../src-main/store/AttemptRepository.ts';
import { openDatabase } from '../../src-main/store/openDatabase.ts';
import { binPath, repoRoot, runBin } from '../support/cliProcess.ts';
import { createTempDir, removeTempDirs } from '../support/tempDir.ts';

/**
 * The CLI's output going nowhere, as a script author sends it: into `head -1`, which stops
 * reading after one line, and into a full disk (/dev/full). Each ends quietly: no Node stack
 * trace, no "Unhandled 'error' event", an exit code of its own.
 */
let home: string;

beforeAll(async () => {
  home = createTempDir('sc-int-closed-output-');
  const created = await runBin(['budget', 'show', '--json'], { SERVICE_CREATOR_HOME: home });
  expect(created.code, created.stderr).toBe(0);
  // Enough groups that the CSV and the table are far bigger than a pipe holds (64 KiB).
  const db = openDatabase(join(home, databaseFileName));
  const attempts = new AttemptRepository(db);
  const now = Date.now();
  for (let index = 0; index < 3000; index += 1) {
    attempts.insert({ requestId: `r${index}`, attemptNo: 1, task: 'code', providerId: 'box', model: `model-${index}-${'x'.repeat(40)}`, reason: 'first in order', outcome: 'ok', startedAt: new Date(now - index * 1000).toISOString(), inputTokens: 10, outputTokens: 5, latencyMs: 100 });
  }
  attempts.flush();
  db.close();
});

afterAll(() => {
  removeTempDirs();
});

/**
 * A bash pipeline with `SC` standing for the CLI; it sends the CLI's stderr to fd 3. The CLI's own
 * exit status (the pipeline's first) and stderr come back: what head does is not what we look at.
 */
function shell(pipeline: string): Promise<{ status: string; stderr: string }> {
  const env: NodeJS.ProcessEnv = { ...process.env, SERVICE_CREATOR_HOME: home, TZ: 'UTC', SC_NODE: process.execPath, SC_BIN: binPath };
  delete env.SERVICE_CREATOR_DEBUG;
  const dir = createTempDir('sc-int-closed-output-run-');
  const script = `exec 3>"${dir}/stderr"; ${pipeline.replaceAll('SC', '"$SC_NODE" "$SC_BIN"')}; echo "\${PIPESTATUS[0]}" > "${dir}/status"`;
  return new Promise((resolve, reject) => {
    execFile('bash', ['-c', script], { cwd: repoRoot, env }, (error) => {
      if (error) reject(error);
      else resolve({ status: readFileSync(join(dir, 'status'), 'utf8').trim(), stderr: readFileSync(join(dir, 'stderr'), 'utf8') });
    });
  });
}

describe('output that cannot be written', () => {
  it.each([
    ['usage --by model --csv', 'head -1'],
    ['usage --by model', 'head -1'],
    ['usage --by model --json', 'head -c 100'],
  ])('`%s | %s` ends quietly with 141 (as a SIGPIPE does), no stack trace', async (args, reader) => {
    const { status, stderr } = await shell(`SC ${args} 2>&3 | ${reader} > /dev/null`);
    expect(stderr).toBe('');
    expect(status).toBe('141');
  });

  it.runIf(existsSync('/dev/full'))('a full disk is one line on stderr and exit 1, not a stack trace', async () => {
    const { status, stderr } = await shell('SC pricing list 2>&3 > /dev/full');
    expect(stderr).toBe('Error: The output could not be written: there is no space left where it goes (free some, or send it elsewhere).\n');
    expect(status).toBe('1');
  });
});
