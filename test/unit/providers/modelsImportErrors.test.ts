import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createCore, type Core } from '../../../src-main/core/createCore.ts';
import { writeTinyGguf } from '../../fixtures/makeTinyGguf.ts';
import { useTempDirs } from '../../support/useTempDirs.ts';

/**
 * Issue 12: `models.import {path:"/"}` answered INTERNAL with "EISDIR: illegal operation on a
 * directory, read" and a stack. Every path a user can get wrong is a typed error in words,
 * through the core's dispatcher (what IPC and the bridge call).
 */
describe('models.import on paths a user gets wrong', () => {
  const tempDir = useTempDirs();
  const cores: Core[] = [];
  afterEach(async () => {
    for (const core of cores.splice(0)) await core.dispose();
  });

  async function importing(path: string, dataDir = tempDir('sc-import-data-')): Promise<{ code: string; message: string }> {
    const core = createCore({ dataDir, host: 'bridge', env: {} });
    cores.push(core);
    const result = await core.dispatch('models.import', { path });
    if (result.ok) throw new Error(`${path} was imported`);
    const { code, message } = result.error;
    // Words: no errno code, no syscall, no stack.
    expect(message).not.toMatch(/\bE[A-Z]{2,}\b|\n\s+at |illegal operation|syscall/);
    return { code, message };
  }

  it('a folder: INVALID_INPUT saying to choose a .gguf file', async () => {
    expect(await importing('/')).toEqual({ code: 'INVALID_INPUT', message: '/ is a folder: choose a .gguf model file' });
    const dir = tempDir('sc-import-src-');
    expect((await importing(dir)).message).toBe(`${dir} is a folder: choose a .gguf model file`);
  });

  it('a missing file: NOT_FOUND naming it', async () => {
    const missing = join(tempDir('sc-import-src-'), 'nope.gguf');
    expect(await importing(missing)).toEqual({ code: 'NOT_FOUND', message: `Cannot import ${missing}: it does not exist` });
  });

  it('a file that is not GGUF: INVALID_INPUT', async () => {
    const notes = join(tempDir('sc-import-src-'), 'notes.gguf');
    writeFileSync(notes, 'just notes');
    expect(await importing(notes)).toEqual({ code: 'INVALID_INPUT', message: `${notes} is not a GGUF model file (it does not start with "GGUF"); only GGUF models can be imported` });
  });

  it('a file in the models folder already: CONFLICT saying it is listed', async () => {
    const dataDir = tempDir('sc-import-data-');
    mkdirSync(join(dataDir, 'models'));
    const inside = join(dataDir, 'models', 'tiny.gguf');
    writeTinyGguf(inside);
    const refused = await importing(inside, dataDir);
    expect(refused.code).toBe('CONFLICT');
    expect(refused.message).toContain('is in the models folder already');
  });

  it.skipIf(process.getuid?.() === 0)('an unreadable file: IO_FAILED saying it lacks permission', async () => {
    const locked = join(tempDir('sc-import-src-'), 'locked.gguf');
    writeTinyGguf(locked);
    chmodSync(locked, 0o000);
    expect(await importing(locked)).toMatchObject({ code: 'IO_FAILED', message: `Cannot read ${locked}: you do not have permission (check its owner and permissions)` });
  });
});
