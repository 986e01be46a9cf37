import type Docker from 'dockerode';
import { connectDocker, dockerEndpoint, engineStatus, requireEngine, type DockerEndpoint } from './connectDocker.ts';
import { reapOrphans } from './reapOrphans.ts';
import { runInSandbox } from './runInSandbox.ts';
import type { SandboxRunner } from './TestRunService.ts';

/**
 * The sandbox over the Docker engine the environment names (DOCKER_HOST or the platform
 * default). The client connects lazily, so an app without Docker starts normally and says
 * "Docker is not running" only when tests are run. Orphans of a crashed run are reaped on the
 * first contact with the engine.
 */
export function createDockerRunner(env: Readonly<Record<string, string | undefined>>): SandboxRunner & { reap(): Promise<void> } {
  let endpoint: DockerEndpoint | undefined;
  let docker: Docker | undefined;
  let reaped: Promise<void> | undefined;
  const client = () => {
    endpoint ??= dockerEndpoint({ env, platform: process.platform });
    docker ??= connectDocker(endpoint);
    return { docker, endpoint };
  };
  const reap = (): Promise<void> => {
    const pending =
      reaped ??
      reapOrphans(client().docker)
        .then(() => undefined)
        .catch(() => {
          reaped = undefined; // try again next time
        });
    reaped = pending;
    return pending;
  };
  return {
    async status() {
      const { docker: engine, endpoint: where } = client();
      return engineStatus(engine, where);
    },
    async run(request) {
      const { docker: engine, endpoint: where } = client();
      await requireEngine(engine, where);
      await reap();
      return runInSandbox(engine, request);
    },
    reap,
  };
}
