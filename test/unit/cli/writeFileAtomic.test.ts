import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeFileAtomic } from '../../../src-main/cli/writeFileAtomic.ts';

const words = (run: () => void): { code: string; message: string } => {
  try {
    run();
  } catch (error) {
    return { code: (error as { code: string }).code, message: (error as Error).message };
  }
  throw new Error('it wrote');
};

describe('writeFileAtomic', () => {
  it('says in words why a path cannot be written: no errno code, no temporary file name', () => {
    const dir = mkdtempSync(join(tmpdir(), 'sc-atomic-'));
    const folder = join(dir, 'a folder');
    mkdirSync(folder);
    const replaced = words(() => writeFileAtomic(folder, 'x', { overwrite: true, protect: [] }));
    expect(replaced).toEqual({ code: 'INVALID_INPUT', message: `Cannot write ${folder}: it is a folder, not a file` });
    const missing = join(dir, 'nowhere', 'trail.jsonl');
    expect(words(() => writeFileAtomic(missing, 'x', { overwrite: false, protect: [] }))).toEqual({ code: 'NOT_FOUND', message: `Cannot write ${missing}: its folder ${join(dir, 'nowhere')} does not exist` });
  });
});
