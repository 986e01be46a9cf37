import type Docker from 'dockerode';
import type { DockerEndpoint } from './connectDocker.ts';
import type { SandboxRunner } from './TestRunService.ts';

/** The Docker client and the code that drives it, loaded on first use (see createDockerRunner). */
async function loadDockerModules() {
  const [connect, reap, run] = await Promise.all([import('./connectDocker.ts'), import('./reapOrphans.ts'), import('./runInSandbox.ts')]);
  return { ...connect, ...reap, ...run };
}

/**
 * The sandbox over the Docker engine the environment names (DOCKER_HOST or the platform
 * default). The client connects lazily, so an app without Docker starts normally and says
 * "Docker is not running" only when tests are run; dockerode, tar and the JUnit parser are
 * imported then too, not when the app or the CLI starts. Orphans of a crashed run are reaped
 * on the first contact with the engine.
 */
export function createDockerRunner(env: Readonly<Record<string, string | undefined>>): SandboxRunner & { reap(): Promise<void> } {
  let modules: ReturnType<typeof loadDockerModules> | undefined;
  let endpoint: DockerEndpoint | undefined;
  let docker: Docker | undefined;
  let reaped: Promise<void> | undefined;
  const client = async () => {
    const loaded = await (modules ??= loadDockerModules());
    endpoint ??= loaded.dockerEndpoint({ env, platform: process.platform });
    docker ??= loaded.connectDocker(endpoint);
    return { docker, endpoint, ...loaded };
  };
  const reap = (): Promise<void> => {
    const pending =
      reaped ??
      client()
        .then(({ docker: engine, reapOrphans }) => reapOrphans(engine))
        .then(() => undefined)
        .catch(() => {
          reaped = undefined; // try again next time
        });
    reaped = pending;
    return pending;
  };
  return {
    async status() {
      const { docker: engine, endpoint: where, engineStatus } = await client();
      return engineStatus(engine, where);
    },
    async run(request) {
      const { docker: engine, endpoint: where, requireEngine, runInSandbox } = await client();
      await requireEngine(engine, where);
      await reap();
      return runInSandbox(engine, request);
    },
    reap,
  };
}
