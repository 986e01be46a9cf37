// The router's failure semantics through the real CLI process against loopback fake OpenAI
// servers: an answer that restarts after a reset mid-stream is never doubled (JSON, a pipe, a
// real terminal), a hung provider is left after its own first-token timeout, and a 429 storm
// over 20 concurrent processes loses no call.
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseJsonLines } from '../support/bufferIo.ts';
import { runBin, type ProcessResult } from '../support/cliProcess.ts';
import { runCliInPty } from '../support/runInPty.ts';
import { startFakeOpenAiServer, type FakeServer } from '../support/fakes/fakeOpenAiServer.ts';
import type { FakeOpenAiOptions } from '../support/fakes/fakeOpenAiServer.ts';
import { createTempDir, removeTempDirs } from '../support/tempDir.ts';
import { terminalScreen } from '../support/terminalScreen.ts';

const chatPath = '/v1/chat/completions';
const answer = 'The whole answer, complete and only once.';
/** Split in 4 pieces by the fake; the first 2 (34 characters, two rows at 30 columns) stream before the reset. */
const lost = 'Lost words that must vanish from the screen entirely, all of them.';

let home: string;
let env: NodeJS.ProcessEnv;
const fakes: FakeServer[] = [];

beforeEach(() => {
  home = createTempDir('sc-int-chat-');
  env = { SERVICE_CREATOR_HOME: home, FAKE_KEY: 'sk-test-chat-failures' };
});

afterEach(async () => {
  await Promise.all(fakes.splice(0).map((fake) => fake.close()));
});

afterAll(() => {
  removeTempDirs();
});

async function fake(options: FakeOpenAiOptions = {}): Promise<FakeServer> {
  const server = await startFakeOpenAiServer({ models: ['m1'], ...options });
  fakes.push(server);
  return server;
}

async function sc(...args: string[]): Promise<ProcessResult> {
  return runBin(args, env, 120_000);
}

async function ok(result: Promise<ProcessResult>): Promise<ProcessResult> {
  const done = await result;
  expect(done.code, `stdout: ${done.stdout}\nstderr: ${done.stderr}`).toBe(0);
  return done;
}

/** An OpenAI-type provider at `server` (key from FAKE_KEY), in cloud-allowed mode. */
async function addProvider(server: FakeServer, id: string, ...extra: string[]): Promise<void> {
  await ok(sc('providers', 'add', '--id', id, '--type', 'openai', '--cloud', '--base-url', server.url, '--model', 'm1', '--api-key-env', 'FAKE_KEY', ...extra, '--json'));
}

async function allowCloud(): Promise<void> {
  await ok(sc('settings', 'set', 'privacyMode', 'cloud-allowed', '--json'));
}

/** The text a JSON reader gets by joining `text` events and dropping what came before a `restart`. */
function joinedText(stdout: string): string {
  let text = '';
  for (const line of parseJsonLines(stdout)) {
    if (line.type === 'restart') text = '';
    if (line.type === 'text') text += String(line.text);
  }
  return text;
}

describe('chat: a reset after the first chunk restarts the answer, and no face shows it twice', { timeout: 150_000 }, () => {
  const resetThenAnswer = () => fake({ script: [{ resetAfterTokens: 2, reply: lost }, { reply: answer }] });

  it('--json: a restart line comes before the new text, and the joined text equals the answer', async () => {
    const server = await resetThenAnswer();
    await addProvider(server, 'gpt');
    await allowCloud();
    const chatted = await ok(sc('chat', '--task', 'code', '--prompt', 'hi', '--json'));
    expect(chatted.stderr).toBe('');
    const lines = parseJsonLines(chatted.stdout);
    const types = lines.map((line) => line.type);
    expect(types.filter((type) => type === 'restart')).toHaveLength(1);
    expect(types.indexOf('restart')).toBeGreaterThan(types.indexOf('text'));
    expect(lines.find((line) => line.type === 'restart')).toMatchObject({ reason: expect.stringContaining('gpt/m1') });
    expect(joinedText(chatted.stdout)).toBe(answer);
    expect(lines.at(-1)).toMatchObject({ type: 'answer', text: answer });
    expect(server.count(chatPath)).toBe(2);
  });

  it('plain, stdout a pipe: the final answer once, nothing streamed; the restart is said on stderr', async () => {
    const server = await resetThenAnswer();
    await addProvider(server, 'gpt');
    await allowCloud();
    const chatted = await ok(sc('chat', '--task', 'code', '--prompt', 'hi'));
    expect(chatted.stdout).toBe(`${answer}\n`);
    expect(chatted.stderr).toContain('[the answer starts over: gpt/m1 failed after streaming (connection)]');
    expect(server.count(chatPath)).toBe(2);
  });

  it('plain, stdout a terminal: the streamed fragment (two rows) is erased and the screen shows the answer once', async () => {
    const server = await resetThenAnswer();
    await addProvider(server, 'gpt');
    await allowCloud();
    const { code, bytes } = await runCliInPty(['chat', '--task', 'code', '--prompt', 'hi'], env, 60_000, { columns: 30, rows: 24 });
    const raw = bytes.toString('utf8');
    expect(code, raw).toBe(0);
    // The fragment really was on the terminal before the reset.
    expect(raw).toContain('Lost words that must');
    const screen = terminalScreen(bytes, 30);
    const flat = screen.replace(/\n/g, '');
    expect(flat, screen).not.toContain('Lost');
    expect(flat.split(answer), screen).toHaveLength(2);
    expect(flat).toContain('[the answer starts over: gpt/m1 failed after streaming (connection)]');
    expect(flat.indexOf('[the answer starts over')).toBeLessThan(flat.indexOf(answer));
    expect(server.count(chatPath)).toBe(2);
  });

  it('plain, stdout a TERM=dumb terminal: no escape sequence at all; the restart is said in words on a line of its own', async () => {
    const server = await resetThenAnswer();
    await addProvider(server, 'gpt');
    await allowCloud();
    const { code, bytes } = await runCliInPty(['chat', '--task', 'code', '--prompt', 'hi'], { ...env, TERM: 'dumb' }, 60_000, { columns: 30, rows: 24 });
    const raw = bytes.toString('utf8');
    expect(code, raw).toBe(0);
    // A dumb terminal prints an escape as characters: the fragment stays, the answer follows on a new line.
    expect(raw).not.toContain('\u001b');
    expect(raw).toContain('Lost words that must');
    const lines = raw.split(/\r?\n/);
    expect(lines).toContain('[the answer starts over: gpt/m1 failed after streaming (connection)]');
    expect(lines).toContain(answer);
  });

  it('--schema --json: the invalid first answer is dropped by a restart before the repair streams', async () => {
    const server = await fake({ script: [{ reply: 'not json at all' }, { reply: { json: { ok: true } } }] });
    await addProvider(server, 'gpt');
    await allowCloud();
    const schemaFile = `${home}/schema.json`;
    const { writeFileSync } = await import('node:fs');
    writeFileSync(schemaFile, JSON.stringify({ type: 'object', properties: { ok: { type: 'boolean' } }, required: ['ok'] }));
    const chatted = await ok(sc('chat', '--task', 'code', '--prompt', 'hi', '--schema', schemaFile, '--json'));
    const result = parseJsonLines(chatted.stdout).at(-1);
    expect(result).toMatchObject({ type: 'answer', value: { ok: true } });
    expect(joinedText(chatted.stdout)).toBe(String(result?.text));
    expect(server.count(chatPath)).toBe(2);
  });
});

describe('chat: a hung provider and its own first-token timeout', { timeout: 150_000 }, () => {
  it('a provider that accepts and never sends a byte gets one request; the backup answers after its 1-second timeout', async () => {
    const hung = await fake({ defaultStep: { hang: true } });
    const backup = await fake({ defaultStep: { reply: answer } });
    await addProvider(hung, 'a-hung', '--first-token-timeout', '1', '--timeout', '30');
    await addProvider(backup, 'b-backup');
    await allowCloud();
    const listed = await ok(sc('providers', 'list'));
    expect(listed.stdout).toMatch(/a-hung .*\| first token within 1 s, answer within 30 s/);
    const started = performance.now();
    const chatted = await ok(sc('chat', '--task', 'code', '--prompt', 'hi', '--json'));
    const elapsed = performance.now() - started;
    const result = parseJsonLines(chatted.stdout).at(-1) as { text: string; target: { providerId: string }; attempts: { providerId: string; errorKind?: string }[] };
    expect(result).toMatchObject({ text: answer, target: { providerId: 'b-backup' } });
    expect(result.attempts.map((a) => [a.providerId, a.errorKind])).toEqual([
      ['a-hung', 'timeout'],
      ['b-backup', undefined],
    ]);
    expect(hung.count(chatPath)).toBe(1);
    expect(elapsed).toBeGreaterThanOrEqual(1_000);

    // The timeout can be changed later; a bad value is refused in words.
    const edited = parseJsonLines((await ok(sc('providers', 'edit', 'a-hung', '--first-token-timeout', '5', '--json'))).stdout).at(-1);
    expect(edited).toMatchObject({ type: 'provider', provider: { config: { id: 'a-hung', firstTokenTimeoutMs: 5_000, totalTimeoutMs: 30_000 } } });
    const bad = await sc('providers', 'edit', 'a-hung', '--first-token-timeout', '0');
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toContain('expected a whole number from 1 to 21600, got "0"');
  });
});

describe('chat: a 429 storm loses no call', () => {
  it('20 concurrent chat processes against a server that answers every other request with 429 and Retry-After: 0 all complete', async () => {
    let requests = 0;
    const server = await fake({
      defaultStep: { reply: answer },
      respond: () => (requests++ % 2 === 0 ? { status: 429, headers: { 'retry-after': '0' } } : undefined),
    });
    await addProvider(server, 'gpt');
    await allowCloud();
    const results = await Promise.all(Array.from({ length: 20 }, (_, i) => runBin(['chat', '--task', 'code', '--prompt', `call ${i}`, '--json'], env, 400_000)));
    const failed = results.filter((result) => result.code !== 0).map((result) => result.stdout.trim().split('\n').at(-1));
    expect(failed).toEqual([]);
    for (const result of results) expect(parseJsonLines(result.stdout).at(-1)).toMatchObject({ type: 'answer', text: answer });
    const rateLimited = server.requests.filter((request) => request.path === chatPath).length - 20;
    expect(rateLimited).toBeGreaterThanOrEqual(19);
  }, 420_000);
});
