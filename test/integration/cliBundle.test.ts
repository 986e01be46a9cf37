import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { binPath } from '../support/cliProcess.ts';
import { useTempDirs } from '../support/useTempDirs.ts';

/**
 * The launcher's choice between the built bundle and the sources, in a copy of the layout it
 * expects (bin/, out/cli/, src-main/cli/), with entries that only say which one ran. The launcher
 * itself is the real bin/service-creator.js (with its freshBundle.js).
 */
function layout(root: string): { source: string; run(env?: NodeJS.ProcessEnv): string } {
  mkdirSync(join(root, 'bin'));
  mkdirSync(join(root, 'out', 'cli'), { recursive: true });
  mkdirSync(join(root, 'src-main', 'cli'), { recursive: true });
  copyFileSync(binPath, join(root, 'bin', 'service-creator.js'));
  copyFileSync(join(dirname(binPath), 'freshBundle.js'), join(root, 'bin', 'freshBundle.js'));
  writeFileSync(join(root, 'package.json'), '{ "type": "module" }\n');
  const entry = (which: string) =>
    `export const processIo = {};\nexport async function runCli() { process.stdout.write(${JSON.stringify(which)}); return 0; }\n`;
  writeFileSync(join(root, 'out', 'cli', 'cliEntry.js'), entry('bundle'));
  writeFileSync(join(root, 'src-main', 'cli', 'cliEntry.ts'), entry('sources'));
  const source = join(root, 'src-main', 'cli', 'runCli.ts');
  writeFileSync(source, 'export const version = 1;\n');
  const stats = statSync(source);
  writeFileSync(join(root, 'out', 'cli', 'manifest.json'), JSON.stringify({ entry: 'cliEntry.js', files: [['../../src-main/cli/runCli.ts', stats.mtimeMs, stats.size]] }));
  return {
    source,
    run(env = {}) {
      const base: NodeJS.ProcessEnv = { ...process.env, ...env };
      if (!('SERVICE_CREATOR_FROM_SOURCES' in env)) delete base.SERVICE_CREATOR_FROM_SOURCES;
      const result = spawnSync(process.execPath, [join(root, 'bin', 'service-creator.js')], { env: base, encoding: 'utf8', timeout: 30_000 });
      expect(result.status, result.stderr).toBe(0);
      return result.stdout;
    },
  };
}

describe('bin/service-creator.js runs the bundle only while it is fresh', () => {
  const tempDir = useTempDirs();

  it('runs the bundle when every file it was built from is unchanged', () => {
    expect(layout(tempDir('sc-bundle-')).run()).toBe('bundle');
  });

  it('runs the sources once a source is edited, even to the same size', async () => {
    const files = layout(tempDir('sc-bundle-'));
    await new Promise((resolve) => setTimeout(resolve, 30)); // a later edit: past the file system's clock tick
    writeFileSync(files.source, 'export const version = 2;\n');
    expect(files.run()).toBe('sources');
  });

  it('runs the sources when a source has another time (a checkout of an older version)', () => {
    const files = layout(tempDir('sc-bundle-'));
    const old = new Date('2020-01-01T00:00:00Z');
    utimesSync(files.source, old, old);
    expect(files.run()).toBe('sources');
  });

  it('runs the sources when a source is gone, the manifest is missing, or SERVICE_CREATOR_FROM_SOURCES=1', () => {
    const gone = layout(tempDir('sc-bundle-'));
    rmSync(gone.source);
    expect(gone.run()).toBe('sources');
    const root = tempDir('sc-bundle-');
    const unbuilt = layout(root);
    rmSync(join(root, 'out', 'cli', 'manifest.json'));
    expect(unbuilt.run()).toBe('sources');
    expect(layout(tempDir('sc-bundle-')).run({ SERVICE_CREATOR_FROM_SOURCES: '1' })).toBe('sources');
  });
});
