import type Docker from 'dockerode';
import { connectDocker, dockerEndpoint, type DockerEndpoint } from '../sandbox/connectDocker.ts';
import type { CliContext } from './CliContext.ts';

/** A dockerode client for the engine the CLI's environment names (DOCKER_HOST, else the platform default). */
export function cliDocker(ctx: CliContext): { endpoint: DockerEndpoint; docker: Docker } {
  const endpoint = dockerEndpoint({ env: ctx.io.env, platform: process.platform });
  return { endpoint, docker: connectDocker(endpoint) };
}
