import fs, { mkdtempSync, rmSync } from 'node:fs';
import { syncBuiltinESMExports } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createCore } from '../src-main/core/createCore.ts';
import { expectedText, model, startLoopbackChatServer } from './support/loopbackChatServer.ts';
const mode = process.argv[2] ?? 'base';
const realRead = fs.readSync;
let fakeRead = false;
if (mode === 'noread') {
  (fs as { readSync: unknown }).readSync = (fd: number, buf: Buffer, off: number, len: number, pos: number) => (fakeRead && len === 48 ? 48 : realRead(fd, buf, off, len, pos));
  syncBuiltinESMExports();
}
const server = await startLoopbackChatServer();
const out: number[] = [];
for (let repeat = 0; repeat < 5; repeat++) {
  const dataDir = mkdtempSync(join(tmpdir(), 'sc-ab-'));
  const core = createCore({ dataDir, host: 'cli', env: {}, secrets: { backend: 'memory', get: async () => undefined, set: async () => undefined, delete: async () => false, has: async () => false } });
  await core.dispatch('settings.set', { privacyMode: 'local-only', responseCache: { enabled: true, ttlHours: 24, maxMegabytes: 256 } } as never);
  await core.dispatch('providers.add', { config: { id: 'bench', type: 'openai', label: 'bench', location: 'local', baseUrl: server.baseURL, models: [model], limits: {}, enabled: true } } as never);
  if (mode === 'nolog') (core.observability as { attempt: unknown }).attempt = () => {};
  let unique = 0;
  const ask = async (content: string) => { const t = performance.now(); const r = await core.gateway.chat({ task: 'code', messages: [{ role: 'user', content }] }); const e = performance.now() - t; if (r.text !== expectedText) throw new Error('x'); return e; };
  const hot = Array.from({ length: 20 }, (_, i) => `Say hello, number ${i}.`);
  for (const c of hot) await ask(c);
  const hits: number[] = [];
  async function hitAsk(content: string) { return ask(content); }
  for (let done = 0; done < 550; done += 10) {
    fakeRead = true;
    for (let i = 0; i < 10; i++) { const e = await hitAsk(hot[(done + i) % 20]!); if (done >= 50) hits.push(e); }
    fakeRead = false;
    for (let i = 0; i < 10; i++) await ask(`fresh ${unique++}`);
  }
  hits.sort((a, b) => a - b);
  out.push(hits[hits.length >> 1]! * 1000);
  await core.dispose(); rmSync(dataDir, { recursive: true, force: true });
}
out.sort((a, b) => a - b);
console.log(mode, 'hit p50 µs per repeat', out.map((v) => v.toFixed(2)).join(' '), 'median', out[2]!.toFixed(2));
await server.close();
