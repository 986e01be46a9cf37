import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createCore } from '../src-main/core/createCore.ts';
import { model, startLoopbackChatServer } from './support/loopbackChatServer.ts';
const server = await startLoopbackChatServer();
const dataDir = mkdtempSync(join(tmpdir(), 'sc-hit-'));
const core = createCore({ dataDir, host: 'cli', env: {}, secrets: { backend: 'memory', get: async () => undefined, set: async () => undefined, delete: async () => false, has: async () => false } });
await core.dispatch('settings.set', { privacyMode: 'local-only', responseCache: { enabled: true, ttlHours: 24, maxMegabytes: 256 } } as never);
await core.dispatch('providers.add', { config: { id: 'bench', type: 'openai', label: 'bench', location: 'local', baseUrl: server.baseURL, models: [model], limits: {}, enabled: true } } as never);
const hot = Array.from({ length: 20 }, (_, i) => `Say hello, number ${i}.`);
for (const c of hot) await core.gateway.chat({ task: 'code', messages: [{ role: 'user', content: c }] });
const N = Number(process.argv[2] ?? 50000);
const times: number[] = [];
for (let round = 0; round < 2; round++) {
  times.length = 0;
  for (let i = 0; i < N; i++) { const t = performance.now(); const r = await core.gateway.chat({ task: 'code', messages: [{ role: 'user', content: hot[i % 20]! }] }); times.push(performance.now() - t); if (!r.attempts.at(-1)?.cacheHit) throw new Error('miss'); }
}
times.sort((a, b) => a - b);
console.log('hit p50 µs', (times[N >> 1]! * 1000).toFixed(2), 'p10', (times[Math.floor(N * 0.1)]! * 1000).toFixed(2));
await core.dispose(); await server.close();
