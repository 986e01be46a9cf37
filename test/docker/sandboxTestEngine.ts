import type Docker from 'dockerode';
import { afterEach, beforeAll, expect } from 'vitest';
import { connectDocker, dockerEndpoint, engineStatus } from '../../src-main/sandbox/connectDocker.ts';
import type { SandboxRunRequest } from '../../src-main/sandbox/runInSandbox.ts';
import { currentOwner, ownerLabel, sandboxLabel } from '../../src-main/sandbox/sandboxLabels.ts';
import { defaultSandboxImages, defaultSandboxLimits, type SandboxLimits } from '../../src-shared/sandbox/sandboxTypes.ts';

export const pythonImage = process.env.SANDBOX_PYTHON_IMAGE ?? defaultSandboxImages.python;

/** Small limits so a runaway test is stopped in seconds. */
export const testLimits: SandboxLimits = { ...defaultSandboxLimits, memoryBytes: 256 * 1024 * 1024, pids: 64, timeoutMs: 30_000, logBytes: 64 * 1024 };

/**
 * The engine for a docker test file: checked before the first test, failing with a clear
 * reason when there is none or the sandbox image is missing; after every test, nothing with
 * the sandbox label may be left (containers or volumes).
 */
export function useSandboxEngine(): { docker: () => Docker } {
  const endpoint = dockerEndpoint({ env: process.env, platform: process.platform });
  const docker = connectDocker(endpoint);
  beforeAll(async () => {
    const status = await engineStatus(docker, endpoint);
    if (!status.ok) throw new Error(`These tests need a running Docker engine (run them with npm run test:docker, which starts one): ${status.message}`);
    try {
      await docker.getImage(pythonImage).inspect();
    } catch {
      throw new Error(`These tests need the sandbox image ${pythonImage}; build it first (debootstrap + docker import, see resources/sandbox/README.md; "service-creator sandbox build-image" or npm run test:docker does it)`);
    }
  });
  afterEach(async () => {
    // This process's only: other test files may run sandboxes on the same engine at the same time.
    expect(await leftovers(docker, currentOwner())).toEqual({ containers: [], volumes: [] });
  });
  return { docker: () => docker };
}

/** Sandbox-labelled containers and volumes that exist now (of one owner, `host/pid`, when given). */
export async function leftovers(docker: Docker, owner?: string): Promise<{ containers: string[]; volumes: string[] }> {
  const filters = { label: [`${sandboxLabel}=1`, ...(owner ? [`${ownerLabel}=${owner}`] : [])] };
  const containers = await docker.listContainers({ all: true, filters });
  const { Volumes: volumes } = await docker.listVolumes({ filters });
  return { containers: containers.map((container) => `${container.Id.slice(0, 12)} ${container.State}`), volumes: (volumes ?? []).map((volume) => volume.Name) };
}

/** A pytest project with the given test files. */
export function pytestRequest(tests: Record<string, string>, overrides: Partial<SandboxRunRequest> = {}): SandboxRunRequest {
  return {
    files: Object.entries(tests).map(([path, content]) => ({ path, content })),
    image: pythonImage,
    language: 'python',
    allowNetwork: false,
    test: 'python3 -m pytest -q',
    limits: testLimits,
    ...overrides,
  };
}

/** Python source from indented lines (test bodies read better without escaped newlines). */
export function py(...lines: string[]): string {
  return `${lines.join('\n')}\n`;
}
