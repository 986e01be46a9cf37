import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createWriteStream } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import Docker from 'dockerode';
import { afterAll, describe, expect, it } from 'vitest';
import { defaultSandboxImages } from '../../src-shared/sandbox/sandboxTypes.ts';
import { imageStatus } from '../../src-main/sandbox/imageStatus.ts';
import { loadImage } from '../../src-main/sandbox/loadImage.ts';
import { pullImage } from '../../src-main/sandbox/pullImage.ts';
import { runBin } from '../support/cliProcess.ts';

/** The image commands against the real engine: status, `docker save` → load round trip, pull offline, doctor. */
describe('sandbox images', () => {
  const docker = new Docker();
  const copy = 'service-creator/sandbox-load-test:dev';
  const dir = mkdtempSync(join(tmpdir(), 'sc-images-'));

  afterAll(async () => {
    await docker.getImage(copy).remove({ force: true }).catch(() => undefined);
    rmSync(dir, { recursive: true, force: true });
  });

  it('says whether an image is present, with its size', async () => {
    expect(await imageStatus(docker, defaultSandboxImages.python)).toMatchObject({ present: true, sizeBytes: expect.any(Number) });
    expect(await imageStatus(docker, 'service-creator/never-built:x')).toEqual({ image: 'service-creator/never-built:x', present: false });
  });

  it('loads a saved image back (air-gapped install), and refuses a file that is not one', async () => {
    // A second tag of the sandbox image, saved, removed, then loaded: the main tag is never touched.
    await docker.getImage(defaultSandboxImages.python).tag({ repo: 'service-creator/sandbox-load-test', tag: 'dev' });
    const tarball = join(dir, 'image.tar');
    await pipeline(await docker.getImage(copy).get(), createWriteStream(tarball));
    await docker.getImage(copy).remove();
    expect((await imageStatus(docker, copy)).present).toBe(false);
    expect(await loadImage(docker, tarball)).toContain(copy);
    expect((await imageStatus(docker, copy)).present).toBe(true);

    const junk = join(dir, 'junk.tar');
    writeFileSync(junk, 'not an image');
    await expect(loadImage(docker, junk)).rejects.toMatchObject({ code: 'INVALID_INPUT', message: expect.stringMatching(/junk\.tar could not be loaded|held no image/) });
    await expect(loadImage(docker, join(dir, 'missing.tar'))).rejects.toMatchObject({ code: 'INVALID_INPUT', message: expect.stringMatching(/Cannot read .*missing\.tar/) });
  });

  it('a pull that cannot reach a registry points at the offline ways', async () => {
    await expect(pullImage(docker, 'service-creator/does-not-exist:0')).rejects.toMatchObject({
      code: 'SANDBOX_UNAVAILABLE',
      message: expect.stringMatching(/Could not pull service-creator\/does-not-exist:0: .*sandbox build-image.*sandbox load FILE/),
    });
  });

  it('doctor reports the engine and each image; without an engine it says Docker is not running', async () => {
    const home = mkdtempSync(join(tmpdir(), 'sc-doctor-'));
    const ok = await runBin(['sandbox', 'doctor', '--json'], { SERVICE_CREATOR_HOME: home });
    const lines = ok.stdout.trim().split('\n').map((line) => JSON.parse(line) as { type: string; present?: boolean; language?: string });
    expect(lines[0]).toMatchObject({ type: 'engine', ok: true });
    expect(lines.find((line) => line.language === 'python')).toMatchObject({ type: 'image', present: true });
    const none = await runBin(['sandbox', 'doctor', '--json'], { SERVICE_CREATOR_HOME: home, DOCKER_HOST: 'unix:///nonexistent.sock' });
    expect(none.code).toBe(1);
    expect(none.stdout).toContain('Docker is not running: start Docker Desktop or dockerd');
    rmSync(home, { recursive: true, force: true });
  });
});
