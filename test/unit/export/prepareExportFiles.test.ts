import { describe, expect, it } from 'vitest';
import { AppError } from '../../../src-shared/AppError.ts';
import { prepareExportFiles, provenanceFilePath, type ProjectFile } from '../../../src-main/export/prepareExportFiles.ts';

function problem(files: ProjectFile[], provenance?: unknown): AppError {
  try {
    prepareExportFiles(files, provenance);
  } catch (error) {
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).code).toBe('INVALID_INPUT');
    return error as AppError;
  }
  throw new Error('expected a refusal');
}

const text = (path: string, content = 'x'): ProjectFile => ({ path, content });

describe('prepareExportFiles', () => {
  it('normalises paths, encodes UTF-8 and appends the provenance last', () => {
    const prepared = prepareExportFiles([text('./src/a.py', 'é'), text('b.txt', '')], { n: 1 });
    expect(prepared.map((file) => file.path)).toEqual(['src/a.py', 'b.txt', provenanceFilePath]);
    expect(Array.from(prepared[0]!.data)).toEqual([0xc3, 0xa9]);
    expect(new TextDecoder().decode(prepared[2]!.data)).toBe('{\n  "n": 1\n}\n');
  });

  it('names the position of a file whose path is empty', () => {
    expect(problem([text('a'), text('')]).message).toBe('Cannot export file 2 of 2: the path is empty');
  });

  it('names both files of a duplicate, as given or after normalising', () => {
    expect(problem([text('a.txt'), text('a.txt')]).message).toBe('Cannot export "a.txt" (file 2 of 2): it appears twice (also file 1)');
    expect(problem([text('a.txt'), text('./a.txt')]).message).toContain('it appears twice (also file 1)');
    expect(problem([text('src/Main.py'), text('SRC/main.py')]).message).toBe(
      'Cannot export "SRC/main.py" (file 2 of 2): it and "src/Main.py" (file 1) would be the same file on a case-insensitive disk',
    );
  });

  it('refuses names that differ only in Unicode normal form (macOS stores them as one)', () => {
    expect(problem([text('caf\u00e9.txt'), text('cafe\u0301.txt')]).message).toContain('would be the same file');
  });

  it('refuses a path that is both a file and a folder, in either order', () => {
    expect(problem([text('src'), text('src/a.py')]).message).toBe('Cannot export "src/a.py" (file 2 of 2): "src" (file 1) is a file, so it cannot also be a folder');
    expect(problem([text('Src/a.py'), text('src')]).message).toBe('Cannot export "src" (file 2 of 2): another file needs "Src" to be a folder');
  });

  it('refuses content that is not text', () => {
    expect(problem([{ path: 'a', content: 42 as unknown as string }]).message).toBe('Cannot export "a" (file 1 of 1): its content is number, not text');
  });

  it('refuses an empty project', () => {
    expect(problem([]).message).toBe('Cannot export: the project has no files');
  });

  it('refuses provenance that is not JSON', () => {
    expect(problem([text('a')], { big: 1n }).message).toContain(`Cannot write ${provenanceFilePath}: the provenance is not JSON`);
    expect(problem([text('a')], () => 1).message).toBe(`Cannot write ${provenanceFilePath}: the provenance is a function, not JSON`);
  });
});
