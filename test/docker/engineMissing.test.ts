import { describe, expect, it } from 'vitest';
import { connectDocker, dockerEndpoint, engineNotRunningMessage, engineStatus, requireEngine } from '../../src-main/sandbox/connectDocker.ts';
import { reapOrphans } from '../../src-main/sandbox/reapOrphans.ts';
import { runInSandbox } from '../../src-main/sandbox/runInSandbox.ts';
import { defaultSandboxLimits } from '../../src-shared/sandbox/sandboxTypes.ts';

/** No engine at the endpoint: every entry point says so plainly (this file needs no engine). */
describe('no Docker engine', () => {
  const endpoint = dockerEndpoint({ env: { DOCKER_HOST: 'unix:///nonexistent/service-creator-test/docker.sock' }, platform: 'linux' });
  const docker = connectDocker(endpoint);

  it('engineStatus says Docker is not running, with the endpoint and the reason', async () => {
    const status = await engineStatus(docker, endpoint);
    expect(status).toEqual({ ok: false, endpoint: 'unix:///nonexistent/service-creator-test/docker.sock', message: expect.stringContaining(engineNotRunningMessage) });
    expect(status.ok ? '' : status.message).toMatch(/unix:\/\/\/nonexistent\/service-creator-test\/docker\.sock: .*ENOENT/);
  });

  it('requireEngine throws SANDBOX_UNAVAILABLE with that message', async () => {
    await expect(requireEngine(docker, endpoint)).rejects.toMatchObject({ code: 'SANDBOX_UNAVAILABLE', message: expect.stringContaining(engineNotRunningMessage) });
  });

  it('runInSandbox resolves with outcome error and the message', async () => {
    const result = await runInSandbox(docker, {
      files: [{ path: 'tests/test_a.py', content: 'def test_a():\n    pass\n' }],
      image: 'service-creator/sandbox-python:dev',
      language: 'python',
      allowNetwork: false,
      test: 'python3 -m pytest',
      limits: defaultSandboxLimits,
    });
    expect(result).toMatchObject({ outcome: 'error', exitCode: null, cases: [], message: expect.stringContaining(engineNotRunningMessage) });
  });

  it('reapOrphans rejects rather than pretending it reaped', async () => {
    await expect(reapOrphans(docker)).rejects.toMatchObject({ code: 'ENOENT' });
  });
});
