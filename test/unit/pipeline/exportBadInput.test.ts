import { existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { maxFileChars } from '../../../src-shared/pipeline/plan.ts';
import { exportProject } from '../../../src-main/export/exportProject.ts';
import { exportZip } from '../../../src-main/export/exportZip.ts';
import { useTempDirs } from '../../support/useTempDirs.ts';
import { readTree } from '../../support/readTree.ts';
import { rejection } from '../../support/rejection.ts';

/**
 * Issue 5's bad input at the last gate, the export: each refused with an error naming the file,
 * and nothing written outside the target. Complements test/unit/export/*, which covers the
 * common traversal cases; these are the Windows forms, links inside the target, and the size
 * limit for zips.
 */
const tempDir = useTempDirs();

const files = [
  { path: 'app/main.py', content: 'app = None\n' },
  { path: 'README.md', content: '# Shop\n' },
  { path: 'tests/test_main.py', content: 'def test_ok():\n    assert True\n' },
];


const badPaths = ['D:x.py', 'app\\main.py', '\\\\?\\C:\\x.py', 'COM1.log', 'lpt¹.txt', 'Con/readme.md', 'app/main.py.', 'notes.txt:stream', 'app /x.py', 'app//x.py', '.GIT/config'];

describe('export refuses bad paths, naming them, and writes nothing', () => {
  it.each(badPaths)('to a folder: %j', async (path) => {
    const parent = tempDir('sc-bad-');
    const error = await rejection(exportProject({ files: [...files, { path, content: 'x' }], outDir: join(parent, 'shop'), force: true, gitInit: true }));
    expect(error.code).toBe('INVALID_INPUT');
    expect(error.message).toContain(JSON.stringify(path));
    expect(error.message).toContain('file 4 of 4');
    expect(readdirSync(parent)).toEqual([]);
  });

  it.each(badPaths)('to a zip: %j', async (path) => {
    const parent = tempDir('sc-bad-');
    const error = await rejection(exportZip({ files: [...files, { path, content: 'x' }], zipPath: join(parent, 'shop.zip'), force: true }));
    expect(error.code).toBe('INVALID_INPUT');
    expect(error.message).toContain(JSON.stringify(path));
    expect(readdirSync(parent)).toEqual([]);
  });
});

describe('export refuses a file over the size limit', () => {
  it('to a zip, naming the file and its size, leaving an existing zip as it was', async () => {
    const parent = tempDir('sc-bad-');
    const zipPath = join(parent, 'shop.zip');
    writeFileSync(zipPath, 'old zip');
    const big = { path: 'data/big.json', content: 'x'.repeat(maxFileChars + 1) };
    const error = await rejection(exportZip({ files: [...files, big], zipPath, force: true }));
    expect(error.code).toBe('INVALID_INPUT');
    expect(error.message).toBe(`Cannot export "data/big.json" (file 4 of 4): it has ${maxFileChars + 1} characters, more than the ${maxFileChars} a file may have`);
    expect(readdirSync(parent)).toEqual(['shop.zip']);
    expect(readFileSync(zipPath, 'utf8')).toBe('old zip');
  });

  it('to a folder, before anything else: a bad target is not even looked at', async () => {
    const parent = tempDir('sc-bad-');
    const big = { path: 'big.txt', content: 'x'.repeat(maxFileChars + 1) };
    const error = await rejection(exportProject({ files: [big], outDir: join(parent, 'missing', 'shop') }));
    expect(error.message).toContain('"big.txt"');
    expect(readdirSync(parent)).toEqual([]);
  });
});

describe('export never writes through a link inside the target', () => {
  /** A target that holds links to a folder and a file outside it, and a dangling one. */
  function linkedTarget() {
    const parent = tempDir('sc-bad-');
    const outside = tempDir('sc-outside-');
    writeFileSync(join(outside, 'secret.txt'), 'outside\n');
    const outDir = join(parent, 'shop');
    mkdirSync(outDir);
    // app/main.py would land outside if `app` were followed.
    symlinkSync(outside, join(outDir, 'app'), 'dir');
    // README.md would overwrite the file outside if followed.
    symlinkSync(join(outside, 'secret.txt'), join(outDir, 'README.md'));
    // tests/ points at a folder that does not exist yet: following it would create it.
    symlinkSync(join(outside, 'created-by-export'), join(outDir, 'tests'), 'dir');
    return { parent, outside, outDir };
  }

  it('with --force, replaces the links with real files and leaves what they point to alone', async () => {
    const { parent, outside, outDir } = linkedTarget();
    const before = readTree(outside);
    await exportProject({ files, outDir, force: true, gitInit: true });
    expect(readTree(outside)).toEqual(before);
    expect(existsSync(join(outside, 'created-by-export'))).toBe(false);
    for (const folder of ['app', 'tests']) expect(lstatSync(join(outDir, folder)).isDirectory()).toBe(true);
    expect(lstatSync(join(outDir, 'README.md')).isFile()).toBe(true);
    expect(readTree(outDir, ['.git'])).toEqual({
      'README.md': '# Shop\n',
      'app/': '/',
      'app/main.py': 'app = None\n',
      'tests/': '/',
      'tests/test_main.py': files[2]!.content,
    });
    expect(readdirSync(parent)).toEqual(['shop']);
  });

  it('without --force, refuses the non-empty target and changes nothing on either side', async () => {
    const { parent, outside, outDir } = linkedTarget();
    const outsideBefore = readTree(outside);
    const targetBefore = readTree(outDir);
    const error = await rejection(exportProject({ files, outDir }));
    expect(error).toMatchObject({ code: 'TARGET_NOT_EMPTY', message: `${outDir} is not empty; nothing was written` });
    expect(readTree(outside)).toEqual(outsideBefore);
    expect(readTree(outDir)).toEqual(targetBefore);
    expect(readdirSync(parent)).toEqual(['shop']);
  });

  it('with --force, a link back to the parent folder does not let files escape into it', async () => {
    const parent = tempDir('sc-bad-');
    const outDir = join(parent, 'shop');
    mkdirSync(outDir);
    symlinkSync(parent, join(outDir, 'app'), 'dir');
    await exportProject({ files, outDir, force: true });
    expect(readdirSync(parent)).toEqual(['shop']);
    expect(readFileSync(join(outDir, 'app', 'main.py'), 'utf8')).toBe('app = None\n');
    expect(lstatSync(join(outDir, 'app')).isSymbolicLink()).toBe(false);
  });
});
