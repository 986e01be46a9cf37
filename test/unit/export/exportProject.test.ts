import { existsSync, mkdirSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import * as fs from 'node:fs';
import { dirname, join } from 'node:path';
import git from 'isomorphic-git';
import { afterEach, describe, expect, it } from 'vitest';
import { maxFileChars } from '../../../src-shared/pipeline/plan.ts';
import { defaultGitAuthor, initialCommitMessage } from '../../../src-main/export/commitExport.ts';
import { exportProject } from '../../../src-main/export/exportProject.ts';
import { nodeExportFileSystem, type ExportFileSystem } from '../../../src-main/export/ExportFileSystem.ts';
import { provenanceFilePath } from '../../../src-main/export/prepareExportFiles.ts';
import { protectedFolders } from '../../../src-main/paths/protectedFolders.ts';
import { useTempDirs } from '../../support/useTempDirs.ts';
import { readTree } from '../../support/readTree.ts';
import { rejection } from '../../support/rejection.ts';

const tempDir = useTempDirs();

const files = [
  { path: 'README.md', content: '# Shop\n\nA café service. ☕\n' },
  { path: 'src/shop/app.py', content: 'from fastapi import FastAPI\n\napp = FastAPI()\n' },
  { path: './src/shop/__init__.py', content: '' },
  { path: 'tests/test_app.py', content: 'def test_ok():\n    assert True\n' },
];
const provenance = { app: 'service-creator', version: '0.1.0', models: ['qwen'], spec: { name: 'shop' } };
const fixedNow = () => new Date('2025-01-02T03:04:05Z');

/** The tree `files` (+ provenance) should produce. */
function expectedTree(withProvenance = true): Record<string, string> {
  const tree: Record<string, string> = {
    'README.md': files[0]!.content,
    'src/': '/',
    'src/shop/': '/',
    'src/shop/__init__.py': '',
    'src/shop/app.py': files[1]!.content,
    'tests/': '/',
    'tests/test_app.py': files[3]!.content,
  };
  if (withProvenance) {
    tree['.service-creator/'] = '/';
    tree[provenanceFilePath] = `${JSON.stringify(provenance, null, 2)}\n`;
  }
  return tree;
}

/** A folder holding an old export, with a nested file, for the replace tests. */
function oldExport(parent: string): string {
  const outDir = join(parent, 'shop');
  mkdirSync(join(outDir, 'old'), { recursive: true });
  writeFileSync(join(outDir, 'old', 'keep.txt'), 'old content\n');
  writeFileSync(join(outDir, 'notes.md'), 'mine\n');
  return outDir;
}


describe('exportProject: happy path', () => {
  it('writes every file, nested folders and the provenance, and counts them', async () => {
    const parent = tempDir('sc-export-');
    const outDir = join(parent, 'shop');
    const result = await exportProject({ files, outDir, provenance });
    expect(readTree(outDir)).toEqual(expectedTree());
    const bytes = Object.values(expectedTree()).filter((content) => content !== '/').reduce((sum, content) => sum + Buffer.byteLength(content), 0);
    expect(result).toEqual({ outDir, files: 5, bytes });
    expect(readdirSync(parent)).toEqual(['shop']);
  });

  it('writes no provenance folder without provenance, and resolves a relative outDir', async () => {
    const parent = tempDir('sc-export-');
    const cwd = process.cwd();
    process.chdir(parent);
    try {
      const result = await exportProject({ files, outDir: 'shop' });
      expect(result.outDir).toBe(join(fs.realpathSync(parent), 'shop'));
      expect(result.files).toBe(4);
    } finally {
      process.chdir(cwd);
    }
    expect(readTree(join(parent, 'shop'))).toEqual(expectedTree(false));
  });

  it('fills an existing empty folder without --force', async () => {
    const parent = tempDir('sc-export-');
    const outDir = join(parent, 'shop');
    mkdirSync(outDir);
    await exportProject({ files, outDir, provenance });
    expect(readTree(outDir)).toEqual(expectedTree());
    expect(readdirSync(parent)).toEqual(['shop']);
  });
});

describe('exportProject: git init', () => {
  it('makes a repository whose HEAD commit holds exactly the files', async () => {
    const outDir = join(tempDir('sc-export-'), 'shop');
    const result = await exportProject({ files, outDir, provenance, gitInit: true, now: fixedNow });
    expect(result.commit).toMatch(/^[0-9a-f]{40}$/);
    expect(await git.resolveRef({ fs, dir: outDir, ref: 'HEAD' })).toBe(result.commit);
    expect(await git.currentBranch({ fs, dir: outDir })).toBe('main');
    const { commit } = await git.readCommit({ fs, dir: outDir, oid: result.commit! });
    expect(commit.message).toBe(`${initialCommitMessage}\n`);
    expect(commit.author).toMatchObject({ ...defaultGitAuthor, timestamp: Date.parse('2025-01-02T03:04:05Z') / 1000 });
    expect(commit.parent).toEqual([]);
    const committed = await git.listFiles({ fs, dir: outDir, ref: 'HEAD' });
    const onDisk = Object.entries(expectedTree()).filter(([, content]) => content !== '/');
    expect(committed.sort()).toEqual(onDisk.map(([path]) => path).sort());
    for (const [path, content] of onDisk) {
      const { blob } = await git.readBlob({ fs, dir: outDir, oid: result.commit!, filepath: path });
      expect(Buffer.from(blob).toString('utf8')).toBe(content);
    }
    const status = await git.statusMatrix({ fs, dir: outDir });
    expect(status.every(([, head, workdir, stage]) => head === 1 && workdir === 1 && stage === 1)).toBe(true);
    expect(readTree(outDir, ['.git'])).toEqual(expectedTree());
  });

  it('uses the given author, and the same input and time give the same commit', async () => {
    const gitInit = { authorName: 'Ada Lovelace', authorEmail: 'ada@example.com' };
    const first = await exportProject({ files, outDir: join(tempDir('sc-export-'), 'a'), gitInit, now: fixedNow });
    const second = await exportProject({ files, outDir: join(tempDir('sc-export-'), 'b'), gitInit, now: fixedNow });
    expect(second.commit).toBe(first.commit);
    const { commit } = await git.readCommit({ fs, dir: first.outDir, oid: first.commit! });
    expect(commit.author).toMatchObject({ name: 'Ada Lovelace', email: 'ada@example.com' });
    expect(commit.committer).toMatchObject({ name: 'Ada Lovelace', email: 'ada@example.com' });
  });

  it('leaves files the project ignores out of the commit but on disk', async () => {
    const outDir = join(tempDir('sc-export-'), 'shop');
    const ignoring = [...files, { path: '.gitignore', content: '*.log\n' }, { path: 'debug.log', content: 'noise\n' }];
    const result = await exportProject({ files: ignoring, outDir, gitInit: true });
    const committed = await git.listFiles({ fs, dir: outDir, ref: 'HEAD' });
    expect(committed).toContain('.gitignore');
    expect(committed).not.toContain('debug.log');
    expect(readFileSync(join(outDir, 'debug.log'), 'utf8')).toBe('noise\n');
    expect(result.files).toBe(6);
  });

  it('has no commit in the result without gitInit', async () => {
    const result = await exportProject({ files, outDir: join(tempDir('sc-export-'), 'shop') });
    expect(result.commit).toBeUndefined();
    expect(existsSync(join(result.outDir, '.git'))).toBe(false);
  });
});

describe('exportProject: bad files write nothing', () => {
  const badPaths = ['../x', '/etc/passwd', 'C:\\x', 'C:/x', '\\\\server\\share\\x', '//server/x', 'CON', 'aux.txt', 'src/NUL.py', '.git/config', '.service-creator/provenance.json', 'src/../../x', ''];

  it.each(badPaths)('refuses %j naming it', async (path) => {
    const parent = tempDir('sc-export-');
    const outDir = join(parent, 'shop');
    const error = await rejection(exportProject({ files: [...files, { path, content: 'x' }], outDir, provenance, force: true, gitInit: true }));
    expect(error.code).toBe('INVALID_INPUT');
    expect(error.message).toContain(path === '' ? 'file 5 of 5' : JSON.stringify(path));
    expect(readdirSync(parent)).toEqual([]);
  });

  it('refuses two paths that differ only in case, naming both', async () => {
    const parent = tempDir('sc-export-');
    const error = await rejection(exportProject({ files: [{ path: 'a.txt', content: '1' }, { path: 'A.txt', content: '2' }], outDir: join(parent, 'shop') }));
    expect(error.code).toBe('INVALID_INPUT');
    expect(error.message).toContain('"A.txt"');
    expect(error.message).toContain('"a.txt"');
    expect(readdirSync(parent)).toEqual([]);
  });

  it('refuses a file over the size limit with its size, and leaves an existing target alone', async () => {
    const parent = tempDir('sc-export-');
    const outDir = oldExport(parent);
    const before = readTree(outDir);
    const big = { path: 'data/big.txt', content: 'x'.repeat(maxFileChars + 1) };
    const error = await rejection(exportProject({ files: [...files, big], outDir, force: true }));
    expect(error.code).toBe('INVALID_INPUT');
    expect(error.message).toContain('"data/big.txt"');
    expect(error.message).toContain(String(maxFileChars + 1));
    expect(readTree(outDir)).toEqual(before);
    expect(readdirSync(parent)).toEqual(['shop']);
  });

  it('accepts a file of exactly the size limit', async () => {
    const outDir = join(tempDir('sc-export-'), 'shop');
    const result = await exportProject({ files: [{ path: 'big.txt', content: 'x'.repeat(maxFileChars) }], outDir });
    expect(result.bytes).toBe(maxFileChars);
  });
});

describe('exportProject: the target', () => {
  it('refuses a non-empty folder without --force and leaves it byte-identical', async () => {
    const parent = tempDir('sc-export-');
    const outDir = oldExport(parent);
    const before = readTree(outDir);
    const error = await rejection(exportProject({ files, outDir, provenance, gitInit: true }));
    expect(error.code).toBe('TARGET_NOT_EMPTY');
    expect(error.message).toBe(`${outDir} is not empty; nothing was written`);
    expect(readTree(outDir)).toEqual(before);
    expect(readdirSync(parent)).toEqual(['shop']);
  });

  it('refuses, as TARGET_NOT_EMPTY, a missing folder that something else fills during the export, and keeps what it wrote', async () => {
    const parent = tempDir('sc-export-');
    const outDir = join(parent, 'shop');
    const racing: ExportFileSystem = {
      ...nodeExportFileSystem,
      rename: async (from, to) => {
        if (to === outDir) {
          mkdirSync(outDir);
          writeFileSync(join(outDir, 'theirs.txt'), 'someone else');
        }
        return nodeExportFileSystem.rename(from, to);
      },
    };
    const error = await rejection(exportProject({ files, outDir, provenance, fs: racing }));
    expect(error).toMatchObject({ code: 'TARGET_NOT_EMPTY', message: `${outDir} was filled by something else during the export; nothing was changed` });
    expect(readTree(outDir)).toEqual({ 'theirs.txt': 'someone else' });
    expect(readdirSync(parent)).toEqual(['shop']);
  });

  it('replaces a non-empty folder with --force, old files gone', async () => {
    const parent = tempDir('sc-export-');
    const outDir = oldExport(parent);
    await exportProject({ files, outDir, provenance, force: true });
    expect(readTree(outDir)).toEqual(expectedTree());
    expect(readdirSync(parent)).toEqual(['shop']);
  });

  it('replaces a folder holding a link to another folder without touching what it links to', async () => {
    const parent = tempDir('sc-export-');
    const elsewhere = tempDir('sc-export-linked-');
    writeFileSync(join(elsewhere, 'precious.txt'), 'do not touch\n');
    const outDir = oldExport(parent);
    symlinkSync(elsewhere, join(outDir, 'src'), 'dir');
    symlinkSync(join(elsewhere, 'precious.txt'), join(outDir, 'README.md'));
    const linkedBefore = readTree(elsewhere);
    await exportProject({ files, outDir, provenance, force: true });
    expect(readTree(outDir)).toEqual(expectedTree());
    expect(readTree(elsewhere)).toEqual(linkedBefore);
    expect(readdirSync(parent)).toEqual(['shop']);
  });

  it('refuses a target that is a symbolic link, even with --force', async () => {
    const parent = tempDir('sc-export-');
    const real = join(parent, 'real');
    mkdirSync(real);
    writeFileSync(join(real, 'keep.txt'), 'keep\n');
    const outDir = join(parent, 'shop');
    symlinkSync(real, outDir, 'dir');
    const before = readTree(parent);
    const error = await rejection(exportProject({ files, outDir, force: true }));
    expect(error.code).toBe('INVALID_INPUT');
    expect(error.message).toContain(`${outDir}: it is a symbolic link`);
    expect(readTree(parent)).toEqual(before);
  });

  it('refuses a target that is a file, even with --force', async () => {
    const parent = tempDir('sc-export-');
    const outDir = join(parent, 'shop');
    writeFileSync(outDir, 'a file\n');
    const error = await rejection(exportProject({ files, outDir, force: true }));
    expect(error.code).toBe('INVALID_INPUT');
    expect(error.message).toBe(`Cannot export to ${outDir}: it is a file, not a folder`);
    expect(readFileSync(outDir, 'utf8')).toBe('a file\n');
    expect(readdirSync(parent)).toEqual(['shop']);
  });

  it('refuses a target whose parent does not exist, creating nothing', async () => {
    const root = tempDir('sc-export-');
    const outDir = join(root, 'missing', 'shop');
    const error = await rejection(exportProject({ files, outDir }));
    expect(error.code).toBe('INVALID_INPUT');
    expect(error.message).toBe(`Cannot export to ${outDir}: its parent folder ${join(root, 'missing')} does not exist; create it first`);
    expect(readdirSync(root)).toEqual([]);
  });

  it('refuses a target whose parent is a file', async () => {
    const root = tempDir('sc-export-');
    writeFileSync(join(root, 'file'), '');
    const error = await rejection(exportProject({ files, outDir: join(root, 'file', 'shop') }));
    expect(error.code).toBe('INVALID_INPUT');
    expect(error.message).toContain(`${join(root, 'file')} is not a folder`);
  });

  it('follows a link further up the path (the user placed it there)', async () => {
    const real = tempDir('sc-export-');
    const links = tempDir('sc-export-');
    symlinkSync(real, join(links, 'projects'), 'dir');
    await exportProject({ files, outDir: join(links, 'projects', 'shop') });
    expect(readTree(join(real, 'shop'))).toEqual(expectedTree(false));
  });

  describe('with HOME inside the target', () => {
    const home = process.env.HOME;
    afterEach(() => {
      process.env.HOME = home;
    });

    it('refuses to replace a folder that holds the home folder, even with --force', async () => {
      const parent = tempDir('sc-export-');
      const outDir = oldExport(parent);
      process.env.HOME = join(outDir, 'old');
      const before = readTree(outDir);
      const error = await rejection(exportProject({ files, outDir, force: true }));
      expect(error.code).toBe('PROTECTED_PATH');
      expect(error.message).toContain('holds your home folder');
      expect(readTree(outDir)).toEqual(before);
    });
  });

  describe('into the data folder (issue 12: --force there deleted the database)', () => {
    /** A data folder with a database and a model, and the folders protected for it. */
    function dataFolder() {
      const dataDir = join(tempDir('sc-export-'), 'data');
      mkdirSync(join(dataDir, 'models'), { recursive: true });
      writeFileSync(join(dataDir, 'service-creator.db'), 'projects');
      writeFileSync(join(dataDir, 'models', 'tiny.gguf'), 'GGUF');
      return { dataDir, protectedFolders: protectedFolders({ dataDir, env: {} }) };
    }

    it('refuses to replace it, a folder holding it, or a folder inside it, even with --force and --git, and changes nothing', async () => {
      const { dataDir, protectedFolders } = dataFolder();
      const before = readTree(dirname(dataDir));
      for (const outDir of [dataDir, dirname(dataDir), join(dataDir, 'edge'), join(dataDir, 'models')]) {
        const error = await rejection(exportProject({ files, outDir, force: true, gitInit: true, protectedFolders }));
        expect(error.code, outDir).toBe('PROTECTED_PATH');
        expect(error.message).toMatch(/the app's (data|models) folder/);
        expect(error.message).toContain(`(${dataDir}`);
      }
      expect(readTree(dirname(dataDir))).toEqual(before);
    });

    it('refuses it through a link, and by default protects the data folder SERVICE_CREATOR_HOME names', async () => {
      const { dataDir } = dataFolder();
      const links = tempDir('sc-links-');
      symlinkSync(dataDir, join(links, 'data'), 'dir');
      const saved = process.env.SERVICE_CREATOR_HOME;
      process.env.SERVICE_CREATOR_HOME = dataDir;
      try {
        const error = await rejection(exportProject({ files, outDir: join(links, 'data', 'edge'), force: true }));
        expect(error.code).toBe('PROTECTED_PATH');
        expect(error.message).toContain('through a link');
      } finally {
        if (saved === undefined) delete process.env.SERVICE_CREATOR_HOME;
        else process.env.SERVICE_CREATOR_HOME = saved;
      }
      expect(readFileSync(join(dataDir, 'service-creator.db'), 'utf8')).toBe('projects');
    });
  });
});

/** The real file system with one operation replaced. */
function failing(overrides: Partial<ExportFileSystem>): ExportFileSystem {
  return { ...nodeExportFileSystem, ...overrides };
}

function ioError(message: string): NodeJS.ErrnoException {
  return Object.assign(new Error(`EIO: i/o error, ${message}`), { code: 'EIO' });
}

describe('exportProject: failures half-way', () => {
  it('a write that fails in the middle leaves no temp folder and the old target intact', async () => {
    const parent = tempDir('sc-export-');
    const outDir = oldExport(parent);
    const before = readTree(outDir);
    let writes = 0;
    const fs = failing({
      writeNewFile: async (path, data) => {
        writes += 1;
        if (writes === 3) throw ioError(`write '${path}'`);
        return nodeExportFileSystem.writeNewFile(path, data);
      },
    });
    const error = await rejection(exportProject({ files, outDir, provenance, force: true, fs }));
    expect(error.message).toMatch(/^Could not write the export to .*shop \(nothing there was changed\): the disk reported a read or write error$/);
    expect(error.code).toBe('IO_FAILED');
    expect(writes).toBe(3);
    expect(readTree(outDir)).toEqual(before);
    expect(readdirSync(parent)).toEqual(['shop']);
  });

  it('a failing write to a missing target creates nothing', async () => {
    const parent = tempDir('sc-export-');
    const fs = failing({
      writeNewFile: async (path) => {
        throw Object.assign(new Error(`ENOSPC: no space left on device, write '${path}'`), { code: 'ENOSPC' });
      },
    });
    const error = await rejection(exportProject({ files, outDir: join(parent, 'shop'), fs }));
    expect(error.retryable).toBe(true);
    expect(readdirSync(parent)).toEqual([]);
  });

  it('a failing final rename puts the old folder back', async () => {
    const parent = tempDir('sc-export-');
    const outDir = oldExport(parent);
    const before = readTree(outDir);
    const fs = failing({
      rename: async (from, to) => {
        if (to === outDir && from.includes('.tmp-')) throw ioError(`rename '${from}' -> '${to}'`);
        return nodeExportFileSystem.rename(from, to);
      },
    });
    const error = await rejection(exportProject({ files, outDir, gitInit: true, force: true, fs }));
    expect(error.message).toContain(`${outDir} is unchanged`);
    expect(readTree(outDir)).toEqual(before);
    expect(readdirSync(parent)).toEqual(['shop']);
  });

  it('a failing rename into a missing target leaves nothing behind', async () => {
    const parent = tempDir('sc-export-');
    const fs = failing({
      rename: async (from, to) => {
        throw Object.assign(new Error(`EACCES: permission denied, rename '${from}' -> '${to}'`), { code: 'EACCES' });
      },
    });
    const error = await rejection(exportProject({ files, outDir: join(parent, 'shop'), fs }));
    expect(error.code).toBe('INVALID_INPUT');
    expect(readdirSync(parent)).toEqual([]);
  });

  it('reports an old folder it could not delete, after a complete export', async () => {
    const parent = tempDir('sc-export-');
    const outDir = oldExport(parent);
    const fs = failing({
      removeTree: async (path) => {
        if (path.includes('.old-')) throw Object.assign(new Error(`EBUSY: resource busy or locked, rmdir '${path}'`), { code: 'EBUSY' });
        return nodeExportFileSystem.removeTree(path);
      },
    });
    const result = await exportProject({ files, outDir, force: true, fs });
    expect(result.leftoverBackup).toMatch(/\.shop\.old-[0-9a-f]{12}$/);
    expect(readTree(outDir)).toEqual(expectedTree(false));
    expect(readFileSync(join(result.leftoverBackup!, 'notes.md'), 'utf8')).toBe('mine\n');
  });
});
