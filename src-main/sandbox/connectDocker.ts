import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import Docker from 'dockerode';
import { AppError } from '../../src-shared/AppError.ts';
import type { EngineStatus } from '../../src-shared/sandbox/sandboxTypes.ts';

export interface DockerEndpoint {
  options: Docker.DockerOptions;
  /** Where we connect, for messages: `unix:///var/run/docker.sock`, `npipe:////./pipe/docker_engine`, `tcp://host:2376`. */
  describe: string;
}

export interface EndpointEnvironment {
  env: Readonly<Record<string, string | undefined>>;
  platform: NodeJS.Platform;
  home?: string;
  exists?: (path: string) => boolean;
}

/**
 * Where the engine is: `DOCKER_HOST` (unix://, npipe://, tcp:// with TLS from DOCKER_TLS_VERIFY
 * and DOCKER_CERT_PATH), else the platform default: the Windows named pipe, the system socket
 * on Linux, Docker Desktop's socket under the home folder (macOS, Linux desktop) when the system
 * one is absent. Read from the given environment, not process.env, so it is testable.
 */
export function dockerEndpoint({ env, platform, home = homedir(), exists = existsSync }: EndpointEnvironment): DockerEndpoint {
  const host = env.DOCKER_HOST?.trim();
  if (!host) {
    if (platform === 'win32') return { options: { socketPath: '//./pipe/docker_engine' }, describe: 'npipe:////./pipe/docker_engine' };
    const desktop = join(home, '.docker', 'run', 'docker.sock');
    const socketPath = exists('/var/run/docker.sock') || !exists(desktop) ? '/var/run/docker.sock' : desktop;
    return { options: { socketPath }, describe: `unix://${socketPath}` };
  }
  if (host.startsWith('unix://')) return { options: { socketPath: host.slice('unix://'.length) || '/var/run/docker.sock' }, describe: host };
  if (host.startsWith('npipe://')) return { options: { socketPath: host.slice('npipe://'.length) || '//./pipe/docker_engine' }, describe: host };
  let url: URL;
  try {
    url = new URL(host.includes('//') ? host : `tcp://${host}`);
  } catch {
    throw new AppError('INVALID_INPUT', `DOCKER_HOST is not a valid address: "${host}" (expected unix:///path, npipe:////./pipe/name or tcp://host:port)`);
  }
  if (url.protocol === 'ssh:') return { options: { protocol: 'ssh', host: url.hostname, port: url.port || 22, username: url.username }, describe: host };
  if (url.protocol !== 'tcp:' && url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new AppError('INVALID_INPUT', `DOCKER_HOST uses an unsupported scheme "${url.protocol}" (use unix://, npipe://, tcp:// or ssh://)`);
  }
  const tls = env.DOCKER_TLS_VERIFY === '1' || url.port === '2376' || url.protocol === 'https:';
  const certPath = env.DOCKER_CERT_PATH;
  const certs = tls && certPath ? { ca: readFileSync(join(certPath, 'ca.pem')), cert: readFileSync(join(certPath, 'cert.pem')), key: readFileSync(join(certPath, 'key.pem')) } : {};
  return { options: { protocol: tls ? 'https' : 'http', host: url.hostname, port: url.port || (tls ? 2376 : 2375), ...certs }, describe: host };
}

/** A dockerode client for the endpoint. Connecting happens on the first call. */
export function connectDocker(endpoint: DockerEndpoint): Docker {
  return new Docker(endpoint.options);
}

export const engineNotRunningMessage = 'Docker is not running: start Docker Desktop or dockerd';

/** Whether the engine answers, with its version; never throws. */
export async function engineStatus(docker: Docker, endpoint: DockerEndpoint, timeoutMs = 5000): Promise<EngineStatus> {
  try {
    const version = await Promise.race([
      docker.version(),
      new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs).unref()),
    ]);
    return { ok: true, version: version.Version, apiVersion: version.ApiVersion, os: `${version.Os}/${version.Arch}`, endpoint: endpoint.describe };
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    return { ok: false, message: `${engineNotRunningMessage} (${endpoint.describe}: ${reason})`, endpoint: endpoint.describe };
  }
}

/** Throws SANDBOX_UNAVAILABLE with the clear message when the engine does not answer. */
export async function requireEngine(docker: Docker, endpoint: DockerEndpoint): Promise<Extract<EngineStatus, { ok: true }>> {
  const status = await engineStatus(docker, endpoint);
  if (!status.ok) throw new AppError('SANDBOX_UNAVAILABLE', status.message);
  return status;
}
