import { randomBytes } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { AppLog } from '../../../src-main/observability/AppLog.ts';
import { RotatingLogFile } from '../../../src-main/observability/RotatingLogFile.ts';
import { knownSecrets } from '../../../src-main/secrets/knownSecrets.ts';
import { plantedSecret } from '../../support/plantedSecret.ts';
import { useTempDirs } from '../../support/useTempDirs.ts';

const tempDir = useTempDirs();
afterEach(() => knownSecrets.clear());

describe('AppLog', () => {
  it('writes one JSON line per entry, scrubbed of the keys this process knows and of key-shaped text', async () => {
    const dir = join(tempDir(), 'logs');
    knownSecrets.add(plantedSecret);
    // A key without any known prefix: only the known-secrets layer can find it.
    const plainKey = `Zq${randomBytes(18).toString('hex')}`;
    knownSecrets.add(plainKey);
    const shaped = `sk-ant-api03-${randomBytes(24).toString('hex')}`;
    const log = new AppLog({ dir, kind: 'cli' });
    log.info('model call', { provider: 'cloud', note: `sent with ${plantedSecret}` });
    log.warn('model call failed', { detail: `header x-api-key: ${plainKey}` });
    log.error('internal error', { channel: 'providers.test' }, new Error(`the server echoed ${shaped} back`));
    await log.flush();
    log.close();
    const path = join(dir, 'service-creator-cli.log');
    const text = readFileSync(path, 'utf8');
    for (const secret of [plantedSecret, plainKey, shaped]) expect(text.includes(secret), secret.slice(0, 8)).toBe(false);
    // Nor any 16-character piece of them.
    expect(text.includes(plantedSecret.slice(4, 24))).toBe(false);
    const lines = text.trim().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(lines.map((line) => [line.level, line.msg, line.kind])).toEqual([
      [30, 'model call', 'cli'],
      [40, 'model call failed', 'cli'],
      [50, 'internal error', 'cli'],
    ]);
    expect(lines[0]?.note).toBe('sent with [redacted]');
    expect(String(lines[2]?.error)).toContain('[redacted]');
    expect(lines[0]).toMatchObject({ pid: process.pid, provider: 'cloud' });
    expect(typeof lines[0]?.time).toBe('string');
    if (process.platform !== 'win32') expect(statSync(path).mode & 0o077).toBe(0);
  });

  it('fields given as a function are made when the line is written, scrubbed as any; one that throws costs its own fields only', async () => {
    const dir = tempDir();
    knownSecrets.add(plantedSecret);
    const log = new AppLog({ dir, kind: 'cli' });
    let made = 0;
    log.info('model call', () => {
      made += 1;
      return { provider: 'cloud', note: `sent with ${plantedSecret}` };
    });
    log.info('broken', () => {
      throw new Error('no fields');
    });
    log.warn('after', { n: 2 });
    await log.flush();
    log.close();
    expect(made).toBe(1);
    const lines = readFileSync(join(dir, 'service-creator-cli.log'), 'utf8')
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(lines.map((line) => line.msg)).toEqual(['model call', 'broken', 'after']);
    expect(lines[0]).toMatchObject({ provider: 'cloud', note: 'sent with [redacted]' });
    expect(lines[1]).toMatchObject({ fieldsError: 'no fields' });
    expect(lines[2]).toMatchObject({ n: 2 });
  });

  it('scrubs texts before they become JSON: a quoted key is taken out, a private key block with no end takes no later line with it, every line stays whole JSON', async () => {
    const dir = tempDir();
    // A value no shape rule knows: only the header it follows marks it as a key.
    const headerValue = 'plainvaluewithoutanydigits';
    const log = new AppLog({ dir, kind: 'cli' });
    log.info('first', { n: 1 });
    log.error('internal error', { channel: 'providers.test' }, new Error(`the gateway refused x-api-key="${headerValue}"`));
    log.error('internal error', { channel: 'chat' }, new Error('the server sent -----BEGIN RSA PRIVATE KEY----- MIIEowIBAAKCAQEA7 (cut short)'));
    log.info('after the key', { n: 2, detail: 'a "quoted" word and a back\\slash' });
    log.warn('long', { detail: 'y'.repeat(50_000) });
    // JSON writes the tab as \t, which no rule reads as the space between "password:" and its value.
    log.info('last', { n: 3, detail: 'password:\tAbcdef1234567890XYZ' });
    await log.flush();
    log.close();
    const text = readFileSync(join(dir, 'service-creator-cli.log'), 'utf8');
    expect(text).not.toContain(headerValue);
    expect(text).not.toContain('MIIEowIBAAKCAQEA7');
    expect(text).not.toContain('Abcdef1234567890XYZ');
    const lines = text.trim().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(lines.map((line) => line.msg)).toEqual(['first', 'internal error', 'internal error', 'after the key', 'long', 'last']);
    expect(lines[1]?.error).toBe('the gateway refused x-api-key="[redacted]"');
    expect(lines[2]?.error).toBe('the server sent [redacted]');
    expect(lines[3]?.detail).toBe('a "quoted" word and a back\\slash');
    // A text of any length is cut: one error message cannot fill the file.
    expect(String(lines[4]?.detail).length).toBeLessThan(5_000);
    expect(lines[4]?.detail).toMatch(/^y+… \(46000 more characters\)$/);
  });

  it('writes a text with direction overrides, C1 controls or line separators (a hostile model name) as JSON escapes: the line reads the same to a program and does nothing to a terminal', async () => {
    const dir = join(tempDir(), 'logs');
    const model = '=cmd\u202egnp.exe \u2066x\u2069 \u009b2J \u0085 \u2028\u2029 \u001b]0;t\u0007 \u061c';
    const log = new AppLog({ dir, kind: 'cli' });
    log.info('model call', { model, outcome: 'error' });
    log.close();
    await log.flush();
    const text = readFileSync(join(dir, 'service-creator-cli.log'), 'utf8');
    expect(text).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/);
    expect(text.trim().split('\n')).toHaveLength(1);
    expect((JSON.parse(text) as { model: string }).model).toBe(model);
  });

  it('names its file after the process kind, so the app, serve and the CLI never share one', async () => {
    const dir = tempDir();
    for (const kind of ['app', 'serve', 'cli'] as const) {
      const log = new AppLog({ dir, kind });
      log.info('hello', { kind });
      await log.flush();
      log.close();
    }
    expect(readdirSync(dir).sort()).toEqual(['service-creator-app.log', 'service-creator-cli.log', 'service-creator-serve.log']);
  });

  it('with a file where its folder should be, logs nothing, never throws, and says why once, in words', async () => {
    const dir = join(tempDir(), 'logs');
    writeFileSync(dir, 'not a folder');
    const warnings: string[] = [];
    const onWarning = (warning: Error) => warnings.push(warning.message);
    process.on('warning', onWarning);
    try {
      const log = new AppLog({ dir, kind: 'cli' });
      log.info('one');
      await log.flush();
      log.warn('two');
      await log.flush();
      log.close();
      // Warnings are emitted on the next tick.
      await new Promise((resolve) => setImmediate(resolve));
    } finally {
      process.off('warning', onWarning);
    }
    expect(warnings).toEqual([`Logs are not written to ${dir}: it (or a folder it is in) is a file, not a folder. Service Creator works on without them.`]);
    expect(readFileSync(dir, 'utf8')).toBe('not a folder');
  });

  it('does not create the file while nothing is logged', () => {
    const dir = join(tempDir(), 'logs');
    new AppLog({ dir, kind: 'cli' }).close();
    expect(existsSync(dir)).toBe(false);
  });
});

describe('RotatingLogFile', () => {
  const line = (index: number) => `${JSON.stringify({ n: index, pad: 'x'.repeat(80) })}\n`;

  it('rotates by size and keeps the newest files, dropping the oldest', () => {
    const dir = tempDir();
    const file = new RotatingLogFile({ dir, name: 'test', maxBytes: 1_000, keep: 2 });
    for (let index = 0; index < 60; index += 1) file.write(line(index));
    file.close();
    expect(readdirSync(dir).sort()).toEqual(['test.1.log', 'test.2.log', 'test.log']);
    for (const name of ['test.1.log', 'test.2.log']) expect(statSync(join(dir, name)).size).toBeGreaterThanOrEqual(1_000);
    const numbers = (name: string) => readFileSync(join(dir, name), 'utf8').trim().split('\n').filter(Boolean).map((text) => (JSON.parse(text) as { n: number }).n);
    // Every kept line is whole, in order, and the newest lines are in the current file.
    const kept = [...numbers('test.2.log'), ...numbers('test.1.log'), ...numbers('test.log')];
    expect(kept).toEqual(Array.from({ length: kept.length }, (_, index) => 60 - kept.length + index));
  });

  it('two writers of one file (two CLI commands at once) rotate once and lose no line', () => {
    const dir = tempDir();
    const first = new RotatingLogFile({ dir, name: 'shared', maxBytes: 2_000, keep: 5 });
    const second = new RotatingLogFile({ dir, name: 'shared', maxBytes: 2_000, keep: 5 });
    for (let index = 0; index < 80; index += 1) (index % 2 === 0 ? first : second).write(line(index));
    first.close();
    second.close();
    const files = readdirSync(dir).filter((name) => name.endsWith('.log'));
    expect(files).not.toContain('shared.log.lock');
    const all = files.flatMap((name) => readFileSync(join(dir, name), 'utf8').trim().split('\n').filter(Boolean).map((text) => (JSON.parse(text) as { n: number }).n));
    expect(all.sort((a, b) => a - b)).toEqual(Array.from({ length: 80 }, (_, index) => index));
    for (const name of files) expect(statSync(join(dir, name)).size).toBeLessThan(2_000 * 2);
  });
});
