import { mkdirSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { strFromU8, unzipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { maxFileChars } from '../../../src-shared/pipeline/plan.ts';
import { nodeExportFileSystem } from '../../../src-main/export/ExportFileSystem.ts';
import { exportZip } from '../../../src-main/export/exportZip.ts';
import { provenanceFilePath } from '../../../src-main/export/prepareExportFiles.ts';
import { protectedFolders } from '../../../src-main/paths/protectedFolders.ts';
import { useTempDirs } from '../../support/useTempDirs.ts';
import { rejection } from '../../support/rejection.ts';

const tempDir = useTempDirs();

const files = [
  { path: 'README.md', content: '# Shop ☕\n' },
  { path: 'src/shop/app.py', content: 'app = None\n' },
  { path: 'src/shop/__init__.py', content: '' },
];
const provenance = { app: 'service-creator', spec: 'shop' };

function unzipFile(zipPath: string): Record<string, string> {
  const entries = unzipSync(readFileSync(zipPath));
  return Object.fromEntries(Object.entries(entries).map(([name, data]) => [name, strFromU8(data)]));
}


describe('exportZip', () => {
  it('writes the files under a top folder named after the zip', async () => {
    const parent = tempDir('sc-zip-');
    const zipPath = join(parent, 'shop.zip');
    const result = await exportZip({ files, zipPath, provenance });
    const provenanceText = `${JSON.stringify(provenance, null, 2)}\n`;
    expect(unzipFile(zipPath)).toEqual({
      'shop/': '',
      'shop/README.md': files[0]!.content,
      'shop/src/': '',
      'shop/src/shop/': '',
      'shop/src/shop/app.py': files[1]!.content,
      'shop/src/shop/__init__.py': '',
      'shop/.service-creator/': '',
      [`shop/${provenanceFilePath}`]: provenanceText,
    });
    const bytes = [files[0]!.content, files[1]!.content, provenanceText].reduce((sum, text) => sum + Buffer.byteLength(text), 0);
    expect(result).toEqual({ zipPath, files: 4, bytes });
    expect(readdirSync(parent)).toEqual(['shop.zip']);
  });

  it('gives the same bytes for the same files and time', async () => {
    const now = () => new Date('2025-01-02T03:04:05Z');
    const first = join(tempDir('sc-zip-'), 'shop.zip');
    const second = join(tempDir('sc-zip-'), 'shop.zip');
    await exportZip({ files, zipPath: first, now, provenance });
    await exportZip({ files, zipPath: second, now, provenance });
    expect(readFileSync(second).equals(readFileSync(first))).toBe(true);
  });

  it('round-trips a file of the largest size (compressed off the main thread)', async () => {
    const zipPath = join(tempDir('sc-zip-'), 'big.zip');
    let content = '';
    for (let line = 0; content.length < maxFileChars - 40; line += 1) content += `line ${line} ${(line * 7919) % 104729}\n`;
    const result = await exportZip({ files: [{ path: 'data/big.txt', content }], zipPath });
    expect(unzipFile(zipPath)['big/data/big.txt']).toBe(content);
    expect(result.bytes).toBe(content.length);
  });

  it('refuses an existing zip without --force and leaves it byte-identical', async () => {
    const parent = tempDir('sc-zip-');
    const zipPath = join(parent, 'shop.zip');
    writeFileSync(zipPath, 'old zip');
    const error = await rejection(exportZip({ files, zipPath }));
    expect(error.code).toBe('TARGET_NOT_EMPTY');
    expect(error.message).toBe(`${zipPath} exists already; nothing was written`);
    expect(readFileSync(zipPath, 'utf8')).toBe('old zip');
    expect(readdirSync(parent)).toEqual(['shop.zip']);
  });

  it('replaces an existing zip with --force', async () => {
    const parent = tempDir('sc-zip-');
    const zipPath = join(parent, 'shop.zip');
    writeFileSync(zipPath, 'old zip');
    await exportZip({ files, zipPath, force: true });
    expect(unzipFile(zipPath)['shop/README.md']).toBe(files[0]!.content);
    expect(readdirSync(parent)).toEqual(['shop.zip']);
  });

  it('refuses a zip that appears between the check and the write (no-clobber link)', async () => {
    const parent = tempDir('sc-zip-');
    const zipPath = join(parent, 'shop.zip');
    const fs = {
      ...nodeExportFileSystem,
      writeNewFile: async (path: string, data: Uint8Array) => {
        await nodeExportFileSystem.writeNewFile(path, data);
        writeFileSync(zipPath, 'someone else');
      },
    };
    const error = await rejection(exportZip({ files, zipPath, fs }));
    expect(error.code).toBe('TARGET_NOT_EMPTY');
    expect(readFileSync(zipPath, 'utf8')).toBe('someone else');
    expect(readdirSync(parent)).toEqual(['shop.zip']);
  });

  it.each(['../x', 'CON', 'a.txt|A.txt', '.git/config'])('refuses the bad path %j and writes nothing', async (bad) => {
    const parent = tempDir('sc-zip-');
    const extra = bad.split('|').map((path) => ({ path, content: 'x' }));
    const error = await rejection(exportZip({ files: [...files, ...extra], zipPath: join(parent, 'shop.zip'), force: true }));
    expect(error.code).toBe('INVALID_INPUT');
    expect(error.message).toContain(JSON.stringify(extra.at(-1)!.path));
    expect(readdirSync(parent)).toEqual([]);
  });

  it('refuses a zip path that is a folder or a link, even with --force', async () => {
    const parent = tempDir('sc-zip-');
    mkdirSync(join(parent, 'folder.zip'));
    writeFileSync(join(parent, 'real.zip'), 'real');
    symlinkSync(join(parent, 'real.zip'), join(parent, 'link.zip'));
    const folder = await rejection(exportZip({ files, zipPath: join(parent, 'folder.zip'), force: true }));
    expect(folder.message).toContain('it is a folder');
    const link = await rejection(exportZip({ files, zipPath: join(parent, 'link.zip'), force: true }));
    expect(link.message).toContain('it is a symbolic link');
    expect(readFileSync(join(parent, 'real.zip'), 'utf8')).toBe('real');
    expect(readdirSync(parent).sort()).toEqual(['folder.zip', 'link.zip', 'real.zip']);
  });

  it('refuses a zip whose folder does not exist, or whose name cannot be a folder', async () => {
    const parent = tempDir('sc-zip-');
    const missing = await rejection(exportZip({ files, zipPath: join(parent, 'nope', 'shop.zip') }));
    expect(missing.message).toContain('does not exist');
    const reserved = await rejection(exportZip({ files, zipPath: join(parent, 'CON.zip') }));
    expect(reserved.code).toBe('INVALID_INPUT');
    expect(reserved.message).toContain('"CON"');
    expect(readdirSync(parent)).toEqual([]);
  });

  it('a failing write leaves no temp file and the old zip intact', async () => {
    const parent = tempDir('sc-zip-');
    const zipPath = join(parent, 'shop.zip');
    writeFileSync(zipPath, 'old zip');
    const fs = {
      ...nodeExportFileSystem,
      writeNewFile: async (path: string, data: Uint8Array) => {
        await nodeExportFileSystem.writeNewFile(path, data.subarray(0, 10));
        throw Object.assign(new Error(`EIO: i/o error, write '${path}'`), { code: 'EIO' });
      },
    };
    const error = await rejection(exportZip({ files, zipPath, force: true, fs }));
    expect(error.message).toContain(`Could not write ${zipPath}: the disk reported a read or write error`);
    expect(readFileSync(zipPath, 'utf8')).toBe('old zip');
    expect(readdirSync(parent)).toEqual(['shop.zip']);
  });

  it('refuses a zip inside the data folder, even with --force, and writes nothing there', async () => {
    const dataDir = join(tempDir('sc-zip-'), 'data');
    mkdirSync(dataDir);
    writeFileSync(join(dataDir, 'service-creator.db'), 'projects');
    const error = await rejection(exportZip({ files, zipPath: join(dataDir, 'service-creator.db'), force: true, protectedFolders: protectedFolders({ dataDir, env: {} }) }));
    expect(error.code).toBe('PROTECTED_PATH');
    expect(error.message).toContain(`it is inside the app's data folder (${dataDir})`);
    expect(readdirSync(dataDir)).toEqual(['service-creator.db']);
    expect(readFileSync(join(dataDir, 'service-creator.db'), 'utf8')).toBe('projects');
  });
});
