import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultExportFolder, prepareDefaultExportParent, safeFolderName } from '../../../src-main/export/defaultExportFolder.ts';
import { useTempDirs } from '../../support/useTempDirs.ts';

describe('the default export folder', () => {
  const tempDir = useTempDirs();

  it('is Documents/Service Creator/<project> in the home folder, the name made safe for every system', () => {
    expect(defaultExportFolder('Edge firewall', '/home/ana')).toBe('/home/ana/Documents/Service Creator/Edge firewall');
    expect(safeFolderName('../../etc/passwd')).toBe('etc-passwd');
    expect(safeFolderName('a/b\\c:d*e?"f<g>h|i')).toBe('a-b-c-d-e-f-g-h-i');
    expect(safeFolderName('.hidden. ')).toBe('hidden');
    expect(safeFolderName('CON')).toBe('CON-project');
    expect(safeFolderName('nul.txt')).toBe('nul.txt-project');
    expect(safeFolderName('///')).toBe('project');
    expect(safeFolderName('Pare-feu d’été')).toBe('Pare-feu d-été');
    expect(safeFolderName('x'.repeat(300))).toHaveLength(80);
    expect(safeFolderName('line\nbreak\u0007')).toBe('line break');
  });

  it('makes Documents/Service Creator only for an export straight into it, never another missing parent', async () => {
    const home = tempDir('sc-export-home-');
    await prepareDefaultExportParent(join(home, 'elsewhere', 'edge'), home);
    expect(existsSync(join(home, 'elsewhere'))).toBe(false);
    await prepareDefaultExportParent(join(home, 'Documents', 'Service Creator', 'deeper', 'edge'), home);
    expect(existsSync(join(home, 'Documents'))).toBe(false);
    await prepareDefaultExportParent(defaultExportFolder('Edge firewall', home), home);
    expect(existsSync(join(home, 'Documents', 'Service Creator'))).toBe(true);
    expect(existsSync(defaultExportFolder('Edge firewall', home))).toBe(false);
  });
});
