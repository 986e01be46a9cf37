// The log folder and its files are the app's own: a link planted there (the folder linked to
// another one, a log file linked to a file elsewhere) never makes the log write outside the data
// folder, and a file that cannot be rotated stops growing instead of filling the disk.
import { existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, statSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { RotatingLogFile } from '../../../src-main/observability/RotatingLogFile.ts';
import { useTempDirs } from '../../support/useTempDirs.ts';

const tempDir = useTempDirs();

async function warningsOf(act: () => void): Promise<string[]> {
  const warnings: string[] = [];
  const onWarning = (warning: Error) => warnings.push(warning.message);
  process.on('warning', onWarning);
  try {
    act();
    await new Promise((resolve) => setImmediate(resolve));
  } finally {
    process.off('warning', onWarning);
  }
  return warnings;
}

const line = (index: number) => `${JSON.stringify({ n: index, pad: 'x'.repeat(80) })}\n`;

describe.skipIf(process.platform === 'win32')('RotatingLogFile and links', () => {
  it('writes nothing through a log folder that is a link to another folder, and says why once', async () => {
    const data = tempDir();
    const elsewhere = tempDir();
    symlinkSync(elsewhere, join(data, 'logs'));
    const warnings = await warningsOf(() => {
      const file = new RotatingLogFile({ dir: join(data, 'logs'), name: 'service-creator-cli' });
      file.write(line(1));
      file.write(line(2));
      file.close();
    });
    expect(readdirSync(elsewhere)).toEqual([]);
    expect(warnings).toEqual([`Logs are not written to ${join(data, 'logs')}: it is a link to another place, and logs are written only inside the data folder. Service Creator works on without them.`]);
  });

  it('never appends to the file a log file links to', async () => {
    const dir = tempDir();
    const victim = join(tempDir(), 'precious.txt');
    writeFileSync(victim, 'precious\n');
    symlinkSync(victim, join(dir, 'service-creator-cli.log'));
    const warnings = await warningsOf(() => {
      const file = new RotatingLogFile({ dir, name: 'service-creator-cli' });
      file.write(line(1));
      file.close();
    });
    expect(readFileSync(victim, 'utf8')).toBe('precious\n');
    expect(lstatSync(join(dir, 'service-creator-cli.log')).isSymbolicLink()).toBe(true);
    expect(warnings).toHaveLength(1);
  });
});

describe('RotatingLogFile that cannot rotate', () => {
  it('stops growing at twice its limit when the file cannot be moved aside (a folder where the rotated file goes)', () => {
    const dir = tempDir();
    mkdirSync(join(dir, 'stuck.1.log'));
    writeFileSync(join(dir, 'stuck.1.log', 'inside'), 'x');
    const file = new RotatingLogFile({ dir, name: 'stuck', maxBytes: 1_000, keep: 2 });
    for (let index = 0; index < 500; index += 1) file.write(line(index));
    file.close();
    expect(statSync(join(dir, 'stuck.log')).size).toBeLessThan(2_000 + line(0).length);
  });

  it('stops growing at twice its limit while a lock that cannot be removed blocks rotation', () => {
    const dir = tempDir();
    mkdirSync(join(dir, 'locked.log.lock'));
    const file = new RotatingLogFile({ dir, name: 'locked', maxBytes: 1_000, keep: 2 });
    for (let index = 0; index < 500; index += 1) file.write(line(index));
    file.close();
    expect(statSync(join(dir, 'locked.log')).size).toBeLessThan(2_000 + line(0).length);
  });
});

describe('RotatingLogFile when the clock was set back', () => {
  it('a lock left by a killed process before the clock was set back an hour is taken as stale: the log still rotates', () => {
    const dir = tempDir();
    const lock = join(dir, 'back.log.lock');
    writeFileSync(lock, '');
    const anHourAhead = new Date(Date.now() + 3_600_000);
    utimesSync(lock, anHourAhead, anHourAhead);
    const file = new RotatingLogFile({ dir, name: 'back', maxBytes: 1_000, keep: 2 });
    for (let index = 0; index < 100; index += 1) file.write(line(index));
    file.close();
    expect(existsSync(join(dir, 'back.1.log'))).toBe(true);
    // Every line kept: the newest in the rotated file or the current one.
    const kept = readdirSync(dir).filter((name) => name.endsWith('.log')).map((name) => readFileSync(join(dir, name), 'utf8')).join('');
    expect(kept).toContain('"n":99');
  });

  it.skipIf(process.platform === 'win32')('with a named pipe where its file should be, logs nothing and never waits for a reader, saying why in words', () => {
    const dir = tempDir();
    spawnSync('mkfifo', [join(dir, 'service-creator-cli.log')]);
    expect(lstatSync(join(dir, 'service-creator-cli.log')).isFIFO()).toBe(true);
    // In a process of its own: opening a pipe for writing waits for a reader, the whole thread with it.
    const module = pathToFileURL(join(import.meta.dirname, '../../../src-main/observability/RotatingLogFile.ts')).href;
    const script = `const { RotatingLogFile } = await import(${JSON.stringify(module)});
      const file = new RotatingLogFile({ dir: ${JSON.stringify(dir)}, name: 'service-creator-cli' });
      file.write('one\\n'); file.write('two\\n'); file.close(); console.log('done');`;
    const run = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8', timeout: 10_000 });
    expect(run.signal).toBeNull();
    expect(run.stdout.trim()).toBe('done');
    expect(run.stderr).toContain('Logs are not written to');
    expect(run.stderr).toContain('is not a file');
    expect(run.stderr).not.toMatch(/\bE[A-Z]{3,}\b/);
  });
});
