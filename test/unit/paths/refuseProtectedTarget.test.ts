import { mkdirSync, realpathSync, symlinkSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { pathRelation } from '../../../src-main/paths/pathRelation.ts';
import { protectedFolders } from '../../../src-main/paths/protectedFolders.ts';
import { refuseProtectedTarget } from '../../../src-main/paths/refuseProtectedTarget.ts';
import { useTempDirs } from '../../support/useTempDirs.ts';

const tempDir = useTempDirs();
const repositoryRoot = dirname(dirname(dirname(dirname(fileURLToPath(import.meta.url)))));

/** A data folder holding a database, next to a folder of links, all under one temp folder. */
function setup() {
  const root = realpathSync(tempDir('sc-protect-'));
  const dataDir = join(root, 'data');
  mkdirSync(join(dataDir, 'models'), { recursive: true });
  writeFileSync(join(dataDir, 'service-creator.db'), 'db');
  const extraModels = join(root, 'my-models');
  mkdirSync(extraModels);
  const links = join(root, 'links');
  mkdirSync(links);
  symlinkSync(dataDir, join(links, 'to-data'), 'dir');
  return { root, dataDir, extraModels, links, folders: protectedFolders({ dataDir, modelDirs: [extraModels], env: {} }) };
}

function refusal(target: string, folders: ReturnType<typeof protectedFolders>, platform?: NodeJS.Platform): { code?: string; message: string } {
  try {
    refuseProtectedTarget(target, folders, platform);
  } catch (error) {
    return error as { code?: string; message: string };
  }
  throw new Error(`${target} was not refused`);
}

describe('refuseProtectedTarget', () => {
  it('refuses the data folder itself, a folder inside it, and a folder holding it, naming the folder and why', () => {
    const { root, dataDir, folders } = setup();
    expect(refusal(dataDir, folders)).toEqual(
      expect.objectContaining({ code: 'PROTECTED_PATH', message: `Cannot write to ${dataDir}: it is the app's data folder (${dataDir}); it holds your projects, settings and the database. Choose a new folder outside it.` }),
    );
    expect(refusal(join(dataDir, 'edge'), folders).message).toContain(`it is inside the app's data folder (${dataDir})`);
    expect(refusal(join(dataDir, 'edge.zip'), folders).code).toBe('PROTECTED_PATH');
    expect(refusal(root, folders).message).toContain(`it holds the app's data folder (${dataDir}), which replacing it would delete`);
    // `..` steps are resolved before the comparison.
    expect(refusal(join(root, 'elsewhere', '..', 'data'), folders).code).toBe('PROTECTED_PATH');
  });

  it('follows links: a link to the data folder, and a folder under such a link, are the data folder', () => {
    const { dataDir, links, folders } = setup();
    const link = join(links, 'to-data');
    expect(refusal(link, folders).message).toBe(
      `Cannot write to ${link} (really ${dataDir}, through a link): it is the app's data folder (${dataDir}); it holds your projects, settings and the database. Choose a new folder outside it.`,
    );
    expect(refusal(join(link, 'edge'), folders).message).toContain(`(really ${join(dataDir, 'edge')}, through a link): it is inside the app's data folder`);
    // The protected folder given through a link is compared by its real path too.
    const viaLink = protectedFolders({ dataDir: link, env: {} });
    expect(refusal(dataDir, viaLink).code).toBe('PROTECTED_PATH');
  });

  it('refuses the models folders (the data folder\'s and any other), the repository\'s models and the install folder', () => {
    const { extraModels, folders } = setup();
    expect(refusal(join(extraModels, 'x'), folders).message).toContain(`it is inside the app's models folder (${extraModels}); it holds the local models the app runs`);
    expect(refusal(join(repositoryRoot, 'models', 'x'), folders).message).toContain("it is inside the app's models folder");
    expect(refusal(join(repositoryRoot, 'exported'), folders).message).toContain(`it is inside the app's install folder (${repositoryRoot}); it holds the app's own code`);
    expect(refusal(repositoryRoot, folders).code).toBe('PROTECTED_PATH');
  });

  it('ignores letter case where the file system does (macOS, Windows), not on Linux', () => {
    const { dataDir, folders } = setup();
    const shouted = join(dirname(dataDir), 'DATA', 'Edge');
    expect(refusal(shouted, folders, 'darwin').message).toContain("inside the app's data folder");
    expect(refusal(shouted, folders, 'win32').code).toBe('PROTECTED_PATH');
    expect(() => refuseProtectedTarget(shouted, folders, 'linux')).not.toThrow();
  });

  it('refuses system folders and folders holding the home folder, but not a folder in the home or temp folder', () => {
    const { root, folders } = setup();
    for (const system of ['/usr', '/usr/local/edge', '/etc/edge', '/bin', '/proc/self', '/']) expect(refusal(system, folders).code, system).toBe('PROTECTED_PATH');
    expect(refusal('/usr/local/edge', folders).message).toContain('it is inside a system folder (/usr); the operating system needs it');
    expect(refusal(homedir(), folders).message).toContain('it is your home folder');
    const home = join(root, 'people', 'you');
    const withHome = protectedFolders({ home, env: { SERVICE_CREATOR_HOME: join(root, 'data') }, appFolders: [] });
    expect(refusal(join(root, 'people'), withHome).message).toContain(`it holds your home folder (${home}), which replacing it would delete`);
    expect(() => refuseProtectedTarget(join(home, 'Exports', 'edge'), withHome)).not.toThrow();
    expect(() => refuseProtectedTarget(join(homedir(), 'Exports', 'edge'), folders)).not.toThrow();
    expect(() => refuseProtectedTarget(join(root, 'edge'), folders)).not.toThrow();
    expect(() => refuseProtectedTarget('/var/tmp/edge', folders)).not.toThrow();
  });
});

describe('pathRelation', () => {
  it('tells same, inside, holding and apart, by path segments', () => {
    expect(pathRelation('/a/b', '/a/b/', 'linux')).toBe('same');
    expect(pathRelation('/a/b/c', '/a/b', 'linux')).toBe('inside');
    expect(pathRelation('/a', '/a/b', 'linux')).toBe('contains');
    expect(pathRelation('/a/bc', '/a/b', 'linux')).toBe('apart');
    expect(pathRelation('/x', '/', 'linux')).toBe('inside');
    expect(pathRelation('/A/b', '/a', 'linux')).toBe('apart');
    expect(pathRelation('/A/b', '/a', 'darwin')).toBe('inside');
  });

  it('reads Windows paths with either separator and any letter case', () => {
    expect(pathRelation('c:/users/U/AppData/Roaming/Service-Creator', 'C:\\Users\\u\\AppData\\Roaming\\service-creator', 'win32')).toBe('same');
    expect(pathRelation('C:\\WINDOWS\\System32', 'C:\\Windows', 'win32')).toBe('inside');
    expect(pathRelation('C:\\', 'C:\\Program Files', 'win32')).toBe('contains');
    expect(pathRelation('D:\\Windows', 'C:\\Windows', 'win32')).toBe('apart');
  });

  it('lists the Windows system folders and the drive root from the environment', () => {
    const folders = protectedFolders({ platform: 'win32', env: { SystemDrive: 'C:', SystemRoot: 'C:\\Windows', ProgramFiles: 'C:\\Program Files', APPDATA: 'C:\\Users\\u\\AppData\\Roaming' }, home: 'C:\\Users\\u', appFolders: [] });
    const find = (path: string) => folders.find((folder) => pathRelation(folder.path, path, 'win32') === 'same');
    expect(find('C:\\Users\\u\\AppData\\Roaming\\service-creator')).toMatchObject({ name: "the app's data folder", inside: true });
    expect(find('C:\\windows')).toMatchObject({ name: 'a system folder', inside: true });
    expect(find('C:\\Program Files')).toMatchObject({ inside: true });
    expect(find('C:\\')).toMatchObject({ name: 'a shared folder', inside: false });
    expect(find('C:\\Users\\u')).toMatchObject({ name: 'your home folder', inside: false });
  });
});
