// Two real processes appending to one audit trail at once, each writing the head file after every
// row: the chain never forks (each append holds SQLite's write lock), the head file never moves
// back to a row before one already named there (a head moved back would let the rows after it be
// cut off unseen), it names the last row once both are done, and `service-creator audit verify`
// passes.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src-main/store/openDatabase.ts';
import { AuditRepository } from '../../src-main/store/AuditRepository.ts';
import { repoRoot, runBin } from '../support/cliProcess.ts';
import { createTempDir, removeTempDirs } from '../support/tempDir.ts';

afterAll(() => removeTempDirs());

const script = fileURLToPath(new URL('../support/auditAppender.ts', import.meta.url));
const rowsEach = 400;

function appender(dataDir: string, name: string) {
  const child = spawn(process.execPath, [script, dataDir, String(rowsEach), name], { cwd: repoRoot, stdio: ['pipe', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const lineOf = (type: string) =>
    new Promise<Record<string, unknown>>((resolve, reject) => {
      const check = () => {
        const line = stdout.split('\n').find((text) => text.includes(`"type":"${type}"`));
        if (line !== undefined) resolve(JSON.parse(line) as Record<string, unknown>);
      };
      child.stdout.on('data', (chunk: Buffer) => {
        stdout += chunk.toString();
        check();
      });
      child.on('close', () => reject(new Error(`exited before "${type}"; stderr: ${stderr}`)));
    });
  const ready = lineOf('ready');
  const done = lineOf('done');
  return { child, ready, done };
}

describe('the audit trail appended to by two processes at once', () => {
  it('keeps one chain, never moves the head file back, names the last row when both are done, and verifies', async () => {
    const dataDir = createTempDir('sc-int-audit-head-');
    // The folder's database made first, as the app does before any writer starts.
    openDatabase(join(dataDir, 'service-creator.db')).close();
    const writers = [appender(dataDir, 'a'), appender(dataDir, 'b')];
    await Promise.all(writers.map((writer) => writer.ready));
    for (const writer of writers) writer.child.stdin.write('go\n');
    const results = await Promise.all(writers.map((writer) => writer.done));
    expect(results.map((result) => result.movedBack)).toEqual([0, 0]);
    const head = JSON.parse(readFileSync(join(dataDir, 'audit-head.json'), 'utf8')) as { seq: number };
    expect(head.seq).toBe(2 * rowsEach);
    const db = openDatabase(join(dataDir, 'service-creator.db'));
    expect(new AuditRepository(db, join(dataDir, 'audit-head.json')).verify()).toEqual({ ok: true, rows: 2 * rowsEach });
    db.close();
    const verified = await runBin(['audit', 'verify'], { SERVICE_CREATOR_HOME: dataDir });
    expect(verified.stdout).toContain(`The audit trail is intact: ${2 * rowsEach} rows`);
    expect(verified.code).toBe(0);
  }, 60_000);
});
