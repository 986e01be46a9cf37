import type { DetectedServer } from '../../../src-shared/domain/setup.ts';
import { identifyServer } from './identifyServer.ts';
import type { LoopbackHost } from './loopbackGet.ts';

/** The ports model servers listen on out of the box, and whose they usually are. */
export const usualServerPorts: readonly { port: number; usual: string }[] = [
  { port: 11434, usual: 'Ollama' },
  { port: 1234, usual: 'LM Studio' },
  { port: 8080, usual: 'llama.cpp server' },
  { port: 8000, usual: 'vLLM' },
];

/** Only this machine is asked: IPv4 and IPv6 loopback, never a name, never another host. */
export const loopbackHosts: readonly LoopbackHost[] = ['127.0.0.1', '::1'];

export interface ProbedPort {
  host: LoopbackHost;
  port: number;
  usual: string;
  outcome: 'found' | 'closed' | 'not-a-model-server';
}

export interface LocalServers {
  servers: DetectedServer[];
  probed: ProbedPort[];
}

/**
 * Every usual port on both loopback addresses, asked at once (each request bounded by
 * identifyServer's limits, so the whole look takes about one timeout at worst). A server that
 * listens on both addresses (a dual-stack "localhost" bind) is reported once, at 127.0.0.1.
 * `ports` is the usual list; tests pass their own.
 */
export async function detectLocalServers(ports: readonly { port: number; usual: string }[] = usualServerPorts, signal?: AbortSignal): Promise<LocalServers> {
  const asks = loopbackHosts.flatMap((host) => ports.map(({ port, usual }) => ({ host, port, usual })));
  const answers = await Promise.all(asks.map(async (ask) => ({ ask, identified: await identifyServer(ask.host, ask.port, signal) })));
  const servers: DetectedServer[] = [];
  const probed: ProbedPort[] = [];
  for (const { ask, identified } of answers) {
    probed.push({ ...ask, outcome: identified.outcome });
    if (identified.outcome !== 'found') continue;
    const server = identified.server;
    const twin = servers.find((other) => other.port === server.port && other.kind === server.kind && sameModels(other, server));
    if (!twin) servers.push(server);
  }
  return { servers, probed };
}

function sameModels(a: DetectedServer, b: DetectedServer): boolean {
  return a.models.length === b.models.length && a.models.every((model, index) => model.id === b.models[index]?.id);
}
