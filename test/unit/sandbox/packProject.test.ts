import tar from 'tar-stream';
import { describe, expect, it } from 'vitest';
import { packProject } from '../../../src-main/sandbox/packProject.ts';

async function entries(archive: Buffer) {
  const found: { name: string; type: string; mode: number; uid: number; gid: number; content: string }[] = [];
  const extract = tar.extract();
  const done = (async () => {
    for await (const entry of extract) {
      const chunks: Buffer[] = [];
      for await (const chunk of entry) chunks.push(chunk as Buffer);
      const { name, type, mode, uid, gid } = entry.header;
      found.push({ name, type, mode, uid, gid, content: Buffer.concat(chunks).toString('utf8') });
    }
  })();
  extract.end(archive);
  await done;
  return found;
}

const options = { root: 'project', extraDirs: ['out'], uid: 65534, gid: 65534 };

describe('packProject', () => {
  it('lists every folder before its files, owned by the sandbox user, scripts executable', async () => {
    const archive = await packProject(
      [
        { path: 'tests/unit/test_a.py', content: 'def test_a(): pass\n' },
        { path: 'run.sh', content: '#!/bin/sh\necho é\n' },
      ],
      options,
    );
    const found = await entries(archive);
    expect(found.map(({ name, type, mode }) => [name, type, mode.toString(8)])).toEqual([
      ['out/', 'directory', '755'],
      ['project/', 'directory', '755'],
      ['project/tests/', 'directory', '755'],
      ['project/tests/unit/', 'directory', '755'],
      ['project/tests/unit/test_a.py', 'file', '644'],
      ['project/run.sh', 'file', '755'],
    ]);
    expect(found.every((entry) => entry.uid === 65534 && entry.gid === 65534)).toBe(true);
    expect(found.at(-1)?.content).toBe('#!/bin/sh\necho é\n');
  });

  it('puts the sandbox\'s own files beside the project, never inside it', async () => {
    const found = await entries(await packProject([{ path: 'app.py', content: 'x' }], { ...options, extraFiles: [{ path: 'tools/probe.py', content: 'p' }] }));
    expect(found.map(({ name }) => name)).toEqual(['out/', 'project/', 'tools/', 'project/app.py', 'tools/probe.py']);
    await expect(packProject([{ path: 'app.py', content: 'x' }], { ...options, extraFiles: [{ path: 'project/app.py', content: 'p' }] })).rejects.toMatchObject({ code: 'INVALID_INPUT' });
  });

  it('keeps paths longer than the 100 characters of a plain tar header', async () => {
    const path = `${'deep/'.repeat(40)}file.py`;
    const found = await entries(await packProject([{ path, content: 'x' }], options));
    expect(found.at(-1)).toMatchObject({ name: `project/${path}`, content: 'x' });
  });

  it.each([
    ['', 'is empty'],
    ['/etc/passwd', 'is absolute'],
    ['../escape.py', 'has an empty, "." or ".." segment'],
    ['a/../../b', 'has an empty, "." or ".." segment'],
    ['a//b', 'has an empty, "." or ".." segment'],
    ['./a', 'has an empty, "." or ".." segment'],
    ['a\\b', 'contains a backslash'],
    ['a\0b', 'contains a NUL character'],
  ])('refuses the path %j: it %s', async (path, problem) => {
    await expect(packProject([{ path, content: '' }], options)).rejects.toMatchObject({ code: 'INVALID_INPUT', message: expect.stringContaining(problem) });
  });

  it('refuses duplicates, a path that is both file and folder, and a project over the size limit', async () => {
    await expect(packProject([{ path: 'a.py', content: '' }, { path: 'a.py', content: '' }], options)).rejects.toThrow('The project lists the file "a.py" twice');
    await expect(packProject([{ path: 'a', content: '' }, { path: 'a/b.py', content: '' }], options)).rejects.toThrow('The project has "a" both as a file and as a folder');
    await expect(packProject([{ path: 'big.txt', content: 'x'.repeat(11) }], { ...options, maxBytes: 10 })).rejects.toThrow('The project is over 10 bytes');
  });
});
