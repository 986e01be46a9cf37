import { describe, expect, it } from 'vitest';
import { exportPathProblem, insideFolder, isFullPath, lastPart, withZipName } from '../../../src-renderer/features/pipeline/exportTarget.ts';

describe('the export dialog path checks', () => {
  it('asks for a path when there is none, and for a full one when it is relative, in words', () => {
    expect(exportPathProblem('  ', false)).toBe('Choose the folder to write the project to.');
    expect(exportPathProblem('', true)).toBe('Choose the zip file to write the project to.');
    expect(exportPathProblem('edge', false)).toMatch(/^Choose a full folder path, .*"edge" does not say which folder it starts from\.$/);
    expect(exportPathProblem('~/edge', false)).not.toBeNull();
    expect(exportPathProblem('/home/ana/edge', false)).toBeNull();
    expect(exportPathProblem('C:\\Users\\ana\\edge', false)).toBeNull();
  });

  it('knows full paths on every system, and puts the project folder inside a picked one', () => {
    expect(['/a', 'C:\\a', 'd:/a', '\\\\server\\share'].map(isFullPath)).toEqual([true, true, true, true]);
    expect(['a', './a', '..\\a', 'C:a'].map(isFullPath)).toEqual([false, false, false, false]);
    expect(insideFolder('/home/ana/Work', 'Edge firewall')).toBe('/home/ana/Work/Edge firewall');
    expect(insideFolder('/', 'Edge')).toBe('/Edge');
    expect(insideFolder('C:\\Users\\ana', 'Edge')).toBe('C:\\Users\\ana\\Edge');
    expect(lastPart('/home/ana/Documents/Service Creator/Edge firewall/')).toBe('Edge firewall');
  });

  it('gives a zip its extension, and takes it away again for a folder', () => {
    expect(withZipName('/home/ana/Edge firewall', true)).toBe('/home/ana/Edge firewall.zip');
    expect(withZipName('/home/ana/Edge firewall/', true)).toBe('/home/ana/Edge firewall.zip');
    expect(withZipName('/home/ana/edge.ZIP', true)).toBe('/home/ana/edge.ZIP');
    expect(withZipName('/home/ana/Edge firewall.zip', false)).toBe('/home/ana/Edge firewall');
    expect(withZipName('', true)).toBe('');
  });
});
