// A process that makes model calls through the real core when told (one JSON line per command
// on stdin, run one after another) and says each outcome on stdout as a JSON line whose type
// names the call (`answered:<id>`, `failed:<id>`), so a test can kill it at an exact point
// (RunningCli.signalOnJson). `{"op":"flush"}` writes its queued attempts (and what goes with
// them) now and says `flushed` (with `holdMs`, then runs no timer for that long). Run: node test/support/callingProcess.ts <data folder>.
import { createInterface } from 'node:readline';
import { createCore } from '../../src-main/core/createCore.ts';
import type { SecretStore } from '../../src-main/secrets/SecretStore.ts';

interface Command {
  op: 'chat' | 'flush';
  id?: number;
  prompt?: string;
  maxTokens?: number;
  /** After a flush: keep the event loop busy this long (no timer runs: the head file is not written), as a process killed at once. */
  holdMs?: number;
}

const dataDir = process.argv[2];
if (dataDir === undefined) throw new Error('usage: callingProcess.ts <data folder>');
const noSecrets: SecretStore = { backend: 'memory', get: async () => undefined, set: async () => undefined, delete: async () => false, has: async () => false };
const core = createCore({ dataDir, host: 'cli', secrets: noSecrets, env: process.env });
const say = (line: Record<string, unknown>): void => {
  process.stdout.write(`${JSON.stringify(line)}\n`);
};

say({ type: 'ready' });
for await (const line of createInterface({ input: process.stdin })) {
  const command = JSON.parse(line) as Command;
  if (command.op === 'flush') {
    core.gateway.attempts.flush();
    say({ type: 'flushed' });
    const until = Date.now() + (command.holdMs ?? 0);
    while (Date.now() < until) {
      // busy: the kill comes while no timer can run
    }
    continue;
  }
  try {
    const answer = await core.gateway.chat({ task: 'code', maxTokens: command.maxTokens ?? 100, messages: [{ role: 'user', content: command.prompt ?? 'hello' }] });
    say({ type: `answered:${command.id ?? 0}`, text: answer.text });
  } catch (error) {
    say({ type: `failed:${command.id ?? 0}`, code: (error as { code?: unknown }).code });
  }
}
await core.dispose();
