import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { buildImage } from '../../../src-main/sandbox/buildImage.ts';

const dir = mkdtempSync(join(tmpdir(), 'sc-build-image-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A stand-in for the recipe with the same interface. */
function script(name: string, body: string): string {
  const path = join(dir, name);
  writeFileSync(path, `set -e\n${body}\n`);
  return path;
}

describe('buildImage', () => {
  it('passes the tag, --force and --mirror, and streams every line as it comes', async () => {
    const lines: string[] = [];
    const result = await buildImage({
      script: script('ok.sh', 'echo "args: $*"\necho "to stderr" >&2\nprintf "no newline at the end"'),
      tag: 'acme/python:1',
      force: true,
      mirror: 'http://mirror.example/debian',
      onLine: (line, stream) => lines.push(`${stream}: ${line}`),
    });
    expect(result).toMatchObject({ tag: 'acme/python:1', built: true, durationMs: expect.any(Number) });
    expect(lines).toContain('stdout: args: --tag acme/python:1 --force --mirror http://mirror.example/debian');
    expect(lines).toContain('stderr: to stderr');
    expect(lines).toContain('stdout: no newline at the end');
  });

  it('says when the tag was already there', async () => {
    const result = await buildImage({ script: script('skip.sh', 'echo "$2 already exists (use --force to rebuild)"'), tag: 'acme/python:1' });
    expect(result.built).toBe(false);
  });

  it('fails with the exit code and the last lines the recipe printed', async () => {
    const body = 'for i in $(seq 1 20); do echo "step $i"; done\necho "debootstrap is not installed: apt-get install debootstrap" >&2\nexit 1';
    const failure = buildImage({ script: script('fail.sh', body), tag: 'acme/python:1' });
    await expect(failure).rejects.toMatchObject({ code: 'SANDBOX_UNAVAILABLE', message: expect.stringMatching(/^Building acme\/python:1 failed \(exit 1\):\nstep 16\n.*\nstep 20\ndebootstrap is not installed: apt-get install debootstrap$/s) });
    await expect(failure).rejects.not.toMatchObject({ message: expect.stringContaining('step 15') });
  });

  it('can be cancelled', async () => {
    const stop = new AbortController();
    const running = buildImage({ script: script('slow.sh', 'echo started\nexec sleep 30'), signal: stop.signal, onLine: () => stop.abort() });
    await expect(running).rejects.toMatchObject({ code: 'CANCELLED' });
  });
});
