import { PassThrough } from 'node:stream';
import type Docker from 'dockerode';
import { describe, expect, it } from 'vitest';
import { describePullFailure, pullImage } from '../../../src-main/sandbox/pullImage.ts';
import type { PullEvent } from '../../../src-main/sandbox/PullProgress.ts';

/** Just what pullImage uses of dockerode: pull, and the modem's followProgress over the events. */
function fakeDocker(events: PullEvent[], pullError?: Error): Docker {
  return {
    pull: async () => {
      if (pullError) throw pullError;
      return new PassThrough();
    },
    modem: {
      followProgress(_stream: unknown, onFinished: (error: Error | null, output: PullEvent[]) => void, onProgress: (event: PullEvent) => void) {
        for (const event of events) onProgress(event);
        onFinished(null, events);
      },
    },
  } as unknown as Docker;
}

describe('pullImage', () => {
  it('reports progress summed over layers', async () => {
    const seen: number[] = [];
    await pullImage(
      fakeDocker([
        { status: 'Downloading', id: 'a', progressDetail: { current: 10, total: 100 } },
        { status: 'Downloading', id: 'b', progressDetail: { current: 20, total: 100 } },
        { status: 'Download complete', id: 'a' },
      ]),
      'node:24-bookworm-slim',
      (progress) => seen.push(progress.current),
    );
    expect(seen).toEqual([10, 30, 120]);
  });

  it('fails with the error the stream ends with, and the offline ways', async () => {
    const docker = fakeDocker([{ status: 'Pulling fs layer', id: 'a' }, { error: 'short read', errorDetail: { message: 'unexpected EOF: short read' } }]);
    await expect(pullImage(docker, 'node:24')).rejects.toMatchObject({
      code: 'SANDBOX_UNAVAILABLE',
      message: expect.stringMatching(/^Could not pull node:24: unexpected EOF: short read\. Offline, build .*sandbox build-image.*sandbox load FILE/),
    });
  });

  it('says when the registry cannot be reached', async () => {
    const offline = new Error('(HTTP code 500) server error - Get "https://registry-1.docker.io/v2/": dial tcp: lookup registry-1.docker.io on 10.0.0.53:53: no such host');
    await expect(pullImage(fakeDocker([], offline), 'node:24')).rejects.toMatchObject({
      message: expect.stringMatching(/^Could not pull node:24: its registry cannot be reached \(offline\?\): Get "https:\/\/registry-1\.docker\.io\/v2\/": dial tcp.*sandbox load FILE/),
    });
  });
});

describe('describePullFailure', () => {
  it('tells a missing image from an unreachable registry and a bad name', () => {
    expect(describePullFailure('acme/nope:1', '(HTTP code 404) unexpected - pull access denied for acme/nope, repository does not exist or may require \'docker login\'')).toMatch(
      /^Could not pull acme\/nope:1: the registry has no such image \(check the name and tag\): pull access denied/,
    );
    expect(describePullFailure('node:99', 'manifest for node:99 not found: manifest unknown')).toMatch(/no such image/);
    expect(describePullFailure('node:24', 'Get "https://registry-1.docker.io/v2/": net/http: TLS handshake timeout')).toMatch(/cannot be reached \(offline\?\)/);
    expect(describePullFailure('Bad Name', '(HTTP code 400) bad parameter - invalid reference format: repository name must be lowercase')).toBe(
      '"Bad Name" is not a valid image name (invalid reference format: repository name must be lowercase)',
    );
  });
});
