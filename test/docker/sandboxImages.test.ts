// The image commands against the real engine: status, the `docker save` → load round trip of an
// air-gapped install, a pull that cannot succeed here, and `sandbox doctor|build-image|load`
// through the CLI. The main sandbox image is never removed: the round trip uses a second tag.
import { createWriteStream, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { afterAll, describe, expect, it } from 'vitest';
import { connectDocker, dockerEndpoint } from '../../src-main/sandbox/connectDocker.ts';
import { imageStatus } from '../../src-main/sandbox/imageStatus.ts';
import { loadImage } from '../../src-main/sandbox/loadImage.ts';
import { pullImage } from '../../src-main/sandbox/pullImage.ts';
import { parseJsonLines } from '../support/bufferIo.ts';
import { runBin } from '../support/cliProcess.ts';
import { pythonImage } from './sandboxTestEngine.ts';

describe('sandbox images', () => {
  const docker = connectDocker(dockerEndpoint({ env: process.env, platform: process.platform }));
  const copyRepo = 'service-creator/sandbox-load-test';
  const copy = `${copyRepo}:dev`;
  const dir = mkdtempSync(join(tmpdir(), 'sc-images-'));
  let tarball = '';

  afterAll(async () => {
    // Only the second tag goes: the image itself stays, held by the main tag.
    await docker.getImage(copy).remove({ noprune: true }).catch(() => undefined);
    rmSync(dir, { recursive: true, force: true });
  });

  it('says whether an image is present, with its size and age', async () => {
    expect(await imageStatus(docker, pythonImage)).toMatchObject({ image: pythonImage, present: true, sizeBytes: expect.any(Number), created: expect.any(String) });
    expect(await imageStatus(docker, 'service-creator/never-built:x')).toEqual({ image: 'service-creator/never-built:x', present: false });
  });

  it('loads a saved image back (air-gapped install), and refuses a file that is not one', async () => {
    await docker.getImage(pythonImage).tag({ repo: copyRepo, tag: 'dev' });
    tarball = join(dir, 'image.tar');
    await pipeline(await docker.getImage(copy).get(), createWriteStream(tarball));
    await docker.getImage(copy).remove({ noprune: true });
    expect((await imageStatus(docker, copy)).present).toBe(false);
    expect((await imageStatus(docker, pythonImage)).present).toBe(true);

    expect(await loadImage(docker, tarball)).toEqual([copy]);
    expect((await imageStatus(docker, copy)).present).toBe(true);

    const junk = join(dir, 'junk.tar');
    writeFileSync(junk, 'not an image');
    await expect(loadImage(docker, junk)).rejects.toMatchObject({ code: 'INVALID_INPUT', message: expect.stringMatching(/junk\.tar (could not be loaded|held no image)/) });
    await expect(loadImage(docker, join(dir, 'missing.tar'))).rejects.toMatchObject({ code: 'INVALID_INPUT', message: expect.stringMatching(/Cannot read .*missing\.tar/) });
  });

  it('sandbox load FILE through the CLI reports the loaded tag', async () => {
    expect(tarball).not.toBe('');
    await docker.getImage(copy).remove({ noprune: true });
    const result = await runBin(['sandbox', 'load', tarball, '--json'], { SERVICE_CREATOR_HOME: dir }, 120_000);
    expect(result.code, result.stderr).toBe(0);
    expect(parseJsonLines(result.stdout)).toEqual([{ type: 'loaded', file: tarball, sizeBytes: expect.any(Number), images: [copy] }]);
  });

  it('a pull that cannot succeed says why (no registry here, or no such image) and points at the offline ways', async () => {
    await expect(pullImage(docker, 'service-creator/does-not-exist:0')).rejects.toMatchObject({
      code: 'SANDBOX_UNAVAILABLE',
      message: expect.stringMatching(
        /^Could not pull service-creator\/does-not-exist:0: (its registry cannot be reached \(offline\?\)|the registry has no such image).*sandbox build-image.*sandbox load FILE/,
      ),
    });
    expect((await imageStatus(docker, 'service-creator/does-not-exist:0')).present).toBe(false);
  });

  it('doctor reports the engine and each image, with the command that gets a missing one', async () => {
    const result = await runBin(['sandbox', 'doctor', '--json'], { SERVICE_CREATOR_HOME: dir });
    const lines = parseJsonLines(result.stdout);
    expect(lines[0]).toMatchObject({ type: 'engine', ok: true, version: expect.any(String) });
    const images = lines.filter((line) => line.type === 'image');
    expect(images.map((line) => line.language)).toEqual(['python', 'node']);
    for (const image of images) {
      if (!image.present) expect(image.getIt).toMatch(/^service-creator sandbox (build-image|pull)/);
    }
    // Exit 1 exactly when an image is missing, with an error line naming it.
    const missing = images.filter((line) => !line.present);
    expect(result.code).toBe(missing.length > 0 ? 1 : 0);
    if (missing.length > 0) expect(lines.at(-1)).toMatchObject({ type: 'error', error: { code: 'SANDBOX_UNAVAILABLE', message: expect.stringContaining(String(missing[0]?.image)) } });
  });

  it('build-image leaves an existing tag alone without --force', async () => {
    const result = await runBin(['sandbox', 'build-image', '--tag', copy, '--json'], { SERVICE_CREATOR_HOME: dir });
    expect(result.code, result.stdout + result.stderr).toBe(0);
    const lines = parseJsonLines(result.stdout);
    expect(lines).toContainEqual({ type: 'build', stream: 'stdout', line: `${copy} already exists (use --force to rebuild)` });
    expect(lines.at(-1)).toMatchObject({ type: 'image', image: copy, present: true, built: false });
  });
});
