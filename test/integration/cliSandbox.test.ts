// `service-creator sandbox ...` through the real CLI process where no Docker engine is needed:
// what each subcommand says when Docker is not running, and what it refuses before asking the
// engine. With a real engine: test/docker/sandboxImages.test.ts.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseJsonLines } from '../support/bufferIo.ts';
import { runBin } from '../support/cliProcess.ts';
import { createTempDir, removeTempDirs } from '../support/tempDir.ts';

const noDocker = 'unix:///nonexistent.sock';
const notRunning = 'Docker is not running: start Docker Desktop or dockerd';
let home: string;
let env: NodeJS.ProcessEnv;

beforeAll(() => {
  home = createTempDir('sc-int-sandbox-');
  env = { SERVICE_CREATOR_HOME: home, DOCKER_HOST: noDocker };
});
afterAll(removeTempDirs);

describe('service-creator sandbox (no Docker engine)', () => {
  it('doctor --json: the engine line says it is not running, then the error; exit 1', async () => {
    const result = await runBin(['sandbox', 'doctor', '--json'], env);
    expect(result.code).toBe(1);
    const lines = parseJsonLines(result.stdout);
    expect(lines).toEqual([
      { type: 'engine', ok: false, endpoint: noDocker, message: expect.stringContaining(`${notRunning} (${noDocker}:`) },
      { type: 'error', error: { code: 'SANDBOX_UNAVAILABLE', message: expect.stringContaining(notRunning) } },
    ]);
    expect(result.stderr).toBe('');
  });

  it('doctor for people: one line on stderr, nothing on stdout', async () => {
    const result = await runBin(['sandbox', 'doctor'], env);
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(new RegExp(`^Error: ${notRunning} \\(unix:///nonexistent\\.sock: .*\\)\\n$`));
  });

  it('build-image, load and pull stop at the engine check with the same message', async () => {
    const tarball = join(home, 'image.tar');
    writeFileSync(tarball, 'a tarball');
    for (const args of [['build-image'], ['load', tarball], ['pull', 'node:24-bookworm-slim']]) {
      const result = await runBin(['sandbox', ...args, '--json'], env);
      expect(result.code, args.join(' ')).toBe(1);
      expect(parseJsonLines(result.stdout)).toEqual([{ type: 'error', error: { code: 'SANDBOX_UNAVAILABLE', message: expect.stringContaining(notRunning) } }]);
    }
  });

  it('load checks the file before the engine', async () => {
    const missing = await runBin(['sandbox', 'load', join(home, 'missing.tar'), '--json'], env);
    expect(missing.code).toBe(1);
    expect(parseJsonLines(missing.stdout)).toEqual([{ type: 'error', error: { code: 'INVALID_INPUT', message: expect.stringMatching(/^Cannot read .*missing\.tar: ENOENT/) } }]);
    writeFileSync(join(home, 'empty.tar'), '');
    const empty = await runBin(['sandbox', 'load', join(home, 'empty.tar')], env);
    expect(empty.code).toBe(1);
    expect(empty.stderr).toMatch(/empty\.tar is empty: give the tarball written by "docker save"/);
    const folder = await runBin(['sandbox', 'load', home], env);
    expect(folder.stderr).toMatch(/is not a file/);
  });

  it('refuses an image name or mirror that is not one before anything runs, naming the value', async () => {
    for (const [args, value, why] of [
      [['sandbox', 'pull', 'Not An Image'], 'Not An Image', 'not an image name'],
      [['sandbox', 'build-image', '--tag', 'x:'], 'x:', 'not an image name'],
      [['sandbox', 'build-image', '--mirror', 'gopher://mirror/debian'], 'gopher://mirror/debian', 'not a Debian mirror URL'],
      [['test', home, '--command', 'pytest', '--image', '-rm'], '-rm', 'not an image name'],
      [['repair', '--project', 'P', '--image', 'a;b'], 'a;b', 'not an image name'],
    ] as const) {
      const result = await runBin([...args], env);
      expect(result.code, args.join(' ')).toBe(1);
      expect(result.stderr, args.join(' ')).toContain(`${JSON.stringify(value)}: ${why}`);
    }
  });

  it('a bad DOCKER_HOST is a user error that names it', async () => {
    const result = await runBin(['sandbox', 'doctor', '--json'], { ...env, DOCKER_HOST: 'gopher://engine' });
    expect(result.code).toBe(1);
    expect(parseJsonLines(result.stdout)).toEqual([{ type: 'error', error: { code: 'INVALID_INPUT', message: expect.stringContaining('unsupported scheme "gopher:"') } }]);
  });

  it('--help lists the subcommands and how to get the images', async () => {
    const result = await runBin(['sandbox', '--help'], env);
    expect(result.code).toBe(0);
    for (const word of ['doctor', 'build-image', 'load', 'pull', 'docker save', 'debootstrap']) expect(result.stdout).toContain(word);
  });
});
