// Providers, models and chat through the real CLI process (bin/service-creator.js under the Node
// running vitest), against fake OpenAI-compatible servers on 127.0.0.1 and, for llama.cpp, a tiny
// random-weight GGUF written by test/fixtures/makeTinyGguf.ts. Keys come from an environment
// variable (`--api-key-env`): this machine has no keychain outside scripts/withKeychain.sh.
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { writeTinyGguf } from '../fixtures/makeTinyGguf.ts';
import { parseJsonLines } from '../support/bufferIo.ts';
import { runBin, type ProcessResult } from '../support/cliProcess.ts';
import { startFakeOpenAiServer, type FakeServer } from '../support/fakes/fakeOpenAiServer.ts';
import type { FakeOpenAiOptions } from '../support/fakes/fakeOpenAiServer.ts';
import { assertNotInFiles, plantedSecret } from '../support/plantedSecret.ts';
import { createTempDir, removeTempDirs } from '../support/tempDir.ts';

const chatPath = '/v1/chat/completions';

let home: string;
let env: NodeJS.ProcessEnv;
/** Every command run in the current test, for the "the key is printed nowhere" checks. */
let results: ProcessResult[];
const fakes: FakeServer[] = [];

beforeEach(() => {
  home = createTempDir('sc-int-providers-');
  env = { SERVICE_CREATOR_HOME: home, FAKE_KEY: plantedSecret };
  results = [];
});

afterEach(async () => {
  await Promise.all(fakes.splice(0).map((fake) => fake.close()));
});

afterAll(() => {
  removeTempDirs();
});

async function sc(...args: string[]): Promise<ProcessResult> {
  const result = await runBin(args, env);
  results.push(result);
  return result;
}

async function fake(options: FakeOpenAiOptions = {}): Promise<FakeServer> {
  const server = await startFakeOpenAiServer({ models: ['m1'], ...options });
  fakes.push(server);
  return server;
}

interface JsonAttempt {
  providerId: string;
  model: string;
  task: string;
  outcome: string;
  reason: string;
  errorKind?: string;
  status?: number;
  inputTokens?: number;
  outputTokens?: number;
}

interface JsonAnswer {
  type: 'answer';
  text: string;
  value?: unknown;
  target: { providerId: string; model: string };
  attempts: JsonAttempt[];
}

interface JsonProviderStatus {
  config: Record<string, unknown> & { id: string };
  state: string;
  detail: string;
  keyConfigured: boolean;
  keySource: string | null;
}

/** Exit 0 and exactly one JSON line of `type` (after any streamed `text` events); returns it. */
function resultLine<T>(result: ProcessResult, type: string): T {
  expect(result.stderr, `stderr of a successful --json command`).toBe('');
  expect(result.code).toBe(0);
  const lines = parseJsonLines(result.stdout).filter((line) => line.type !== 'text');
  expect(lines.map((line) => line.type)).toEqual([type]);
  return lines[0] as T;
}

/** Exit 1 and one `{type: "error"}` JSON line (after any provider line); returns the error. */
function jsonError(result: ProcessResult): { code: string; message: string } {
  expect(result.code).toBe(1);
  expect(result.stderr).toBe('');
  const last = parseJsonLines(result.stdout).at(-1);
  expect(last?.type).toBe('error');
  return last?.error as { code: string; message: string };
}

/** A user error in text mode: exit 1, nothing on stdout, one `Error: ...` line and no stack trace. */
function oneLineError(result: ProcessResult): string {
  expect(result.code).toBe(1);
  expect(result.stdout).toBe('');
  const lines = result.stderr.split('\n').filter((line) => line !== '');
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(/^Error: /);
  expect(result.stderr).not.toMatch(/\bat .+:\d+:\d+/);
  return lines[0] as string;
}

async function listedProviderIds(): Promise<string[]> {
  const listed = await sc('providers', 'list', '--json');
  expect(listed.code).toBe(0);
  const lines = parseJsonLines(listed.stdout);
  expect(lines.map((line) => line.type).filter((type) => type !== 'provider'), 'unreadable (invalid-provider) rows').toEqual([]);
  return lines.map((line) => (line.provider as JsonProviderStatus).config.id);
}

/** `providers add` of the cloud OpenAI-type provider "gpt" at `server`, key from FAKE_KEY. */
async function addGpt(server: FakeServer, id = 'gpt'): Promise<JsonProviderStatus> {
  const added = await sc('providers', 'add', '--id', id, '--type', 'openai', '--cloud', '--base-url', server.url, '--model', 'm1', '--api-key-env', 'FAKE_KEY', '--json');
  return resultLine<{ provider: JsonProviderStatus }>(added, 'provider').provider;
}

async function allowCloud(): Promise<void> {
  const set = await sc('settings', 'set', 'privacyMode', 'cloud-allowed', '--json');
  expect(resultLine<{ settings: { privacyMode: string } }>(set, 'settings').settings.privacyMode).toBe('cloud-allowed');
}

/** The planted key reached no file under the data folder (DB, WAL, SHM) and no output of any command. */
function expectKeyNowhere(): void {
  assertNotInFiles(home, plantedSecret);
  for (const result of results) {
    expect(result.stdout.includes(plantedSecret), 'the planted key on stdout').toBe(false);
    expect(result.stderr.includes(plantedSecret), 'the planted key on stderr').toBe(false);
  }
}

function textEvents(result: ProcessResult): string {
  return parseJsonLines(result.stdout)
    .filter((line) => line.type === 'text')
    .map((line) => String(line.text))
    .join('');
}

describe('providers (OpenAI-compatible fake server)', () => {
  it('add reports the live status, list shows it, test exits 0 when healthy and 1 on a 401, remove deletes it', async () => {
    const server = await fake();
    // A server that rejects the key on every /models call, added in Local-only mode: not checked.
    const rejecting = await fake({ routeScript: { 'GET /v1/models': Array.from({ length: 10 }, () => ({ status: 401 })) } });
    const bad = await addGpt(rejecting, 'bad');
    expect(bad.state).toBe('unknown');
    expect(rejecting.requests).toHaveLength(0);
    await allowCloud();
    const status = await addGpt(server);
    expect(status).toMatchObject({
      config: { id: 'gpt', type: 'openai', location: 'cloud', baseUrl: server.url, models: ['m1'], apiKeyEnv: 'FAKE_KEY', enabled: true },
      state: 'healthy',
      keyConfigured: true,
      keySource: 'env',
    });
    expect(await listedProviderIds()).toEqual(['bad', 'gpt']);

    const tested = await sc('providers', 'test', 'gpt');
    expect(tested.code).toBe(0);
    expect(tested.stderr).toBe(`Checking gpt at ${new URL(server.url).host}…\n`);
    expect(tested.stdout).toMatch(/^gpt \[openai, cloud\] healthy: .*\| m1 \| key from env\n$/);

    const refused = await sc('providers', 'test', 'bad');
    expect(refused.code).toBe(1);
    expect(refused.stdout).toContain('bad [openai, cloud] key-rejected');
    expect(refused.stderr).toMatch(/^Checking bad at .*\nError: bad is key-rejected: .*\b401\b/);
    expect(refused.stderr.trim().split('\n')).toHaveLength(2);
    const refusedJson = await sc('providers', 'test', 'bad', '--json');
    // A provider that fails its check is PROVIDER_FAILED (still exit 1), never bad input.
    expect(refusedJson.code).toBe(1);
    expect(jsonError(refusedJson)).toEqual({ code: 'PROVIDER_FAILED', message: expect.stringMatching(/^bad is key-rejected: .*\b401\b/) });
    // The list's first check once the cloud is allowed, and the two explicit tests.
    expect(rejecting.requests.length).toBe(3);
    expect(rejecting.requests.every((request) => request.apiKey === plantedSecret)).toBe(true);

    expect(resultLine(await sc('providers', 'remove', 'gpt', '--json'), 'removed')).toEqual({ type: 'removed', id: 'gpt' });
    expect((await sc('providers', 'remove', 'bad')).code).toBe(0);
    expect(await listedProviderIds()).toEqual([]);
    expect(oneLineError(await sc('providers', 'remove', 'gpt'))).toBe('Error: No provider with id "gpt"');
    // Only the health checks ran: no chat request was ever sent.
    expect(server.count(chatPath) + rejecting.count(chatPath)).toBe(0);
    expectKeyNowhere();
  });

  it('refuses a broken base URL, a bad id and an unknown type with a clear message, and saves nothing', async () => {
    const add = (...extra: string[]) => sc('providers', 'add', '--api-key-env', 'FAKE_KEY', ...extra);
    // The first command creates the database; the others are independent and run side by side.
    // In words, as the form says it: the field by its label, never the channel or zod's path (config.baseUrl).
    expect(oneLineError(await add('--id', 'x1', '--type', 'openai', '--base-url', 'not a url'))).toBe('Error: Base URL must be a web address, such as http://localhost:8080.');
    const [ftp, badId, unknownType, badUrlJson, unknownTypeJson] = await Promise.all([
      add('--id', 'x2', '--type', 'openai', '--base-url', 'ftp://127.0.0.1/v1'),
      add('--id', 'Bad_Id', '--type', 'openai', '--base-url', 'http://127.0.0.1:9/v1'),
      add('--id', 'x3', '--type', 'gemini'),
      add('--id', 'x4', '--type', 'openai', '--base-url', 'not a url', '--json'),
      add('--id', 'x5', '--type', 'gemini', '--json'),
    ]);
    expect(oneLineError(ftp)).toBe('Error: Base URL must be a web address, such as http://localhost:8080.');
    expect(oneLineError(badId)).toBe('Error: A provider id is 1-40 lowercase letters, digits or dashes, starting with a letter or digit.');
    expect(unknownType.code).toBe(1);
    expect(unknownType.stdout).toBe('');
    expect(unknownType.stderr).toContain("option '--type <type>' argument 'gemini' is invalid. Allowed choices are llama-cpp, ollama, openai, anthropic.");
    expect(unknownType.stderr).not.toMatch(/\bat .+:\d+:\d+/);
    expect(jsonError(badUrlJson)).toEqual({ code: 'INVALID_INPUT', message: 'Base URL must be a web address, such as http://localhost:8080.' });
    expect(jsonError(unknownTypeJson)).toMatchObject({ code: 'INVALID_INPUT', message: expect.stringContaining("'gemini' is invalid") });
    expect(await listedProviderIds()).toEqual([]);
    expectKeyNowhere();
  });

  it('refuses a rate limit or an answer cap that is not a whole number in range as a user error in words (exit 1); edit changes and clears the limits', async () => {
    const add = (...extra: string[]) => sc('providers', 'add', '--id', 'limited', '--type', 'openai', '--base-url', 'http://127.0.0.1:9/v1', '--local', ...extra);
    for (const [args, words] of [
      [['--rpm', '0x10'], "option '--rpm <n>' argument '0x10' is invalid. expected a whole number from 1 to 100000"],
      [['--rpm', ''], "option '--rpm <n>' argument '' is invalid"],
      [['--tpm', '1e6'], "option '--tpm <n>' argument '1e6' is invalid. expected a whole number from 1 to 100000000"],
      [['--burst', '0'], "option '--burst <n>' argument '0' is invalid. expected a whole number from 1 to 10000"],
    ] as const) {
      const result = await add(...args);
      expect(result.code, args.join(' ')).toBe(1);
      expect(result.stderr).toContain(words);
    }
    expect(await listedProviderIds()).toEqual([]);

    // Limits are changed with edit, read the same way; --clear-limits removes them.
    expect((await add('--rpm', '60', '--burst', '2')).code).toBe(0);
    const limitsOf = async () => (parseJsonLines((await sc('--json', 'providers', 'list')).stdout)[0] as { provider: { config: { limits: unknown } } }).provider.config.limits;
    expect(await limitsOf()).toEqual({ requestsPerMinute: 60, burst: 2 });
    expect((await sc('providers', 'edit', 'limited', '--tpm', '5000')).code).toBe(0);
    expect(await limitsOf()).toEqual({ requestsPerMinute: 60, burst: 2, tokensPerMinute: 5000 });
    const badEdit = await sc('providers', 'edit', 'limited', '--burst', '0');
    expect(badEdit.code).toBe(1);
    expect(badEdit.stderr).toContain("option '--burst <n>' argument '0' is invalid");
    expect((await sc('providers', 'edit', 'limited', '--clear-limits', '--rpm', '30')).code).toBe(0);
    expect(await limitsOf()).toEqual({ requestsPerMinute: 30 });
    expect((await sc('providers', 'edit', 'limited', '--clear-limits')).code).toBe(0);
    expect(await limitsOf()).toEqual({});
    expect(oneLineError(await sc('providers', 'edit', 'limited'))).toContain('Nothing to change');

    for (const value of ['abc', '0', '1e9', '']) {
      const chat = await sc('chat', '--prompt', 'hi', '--max-tokens', value);
      expect(chat.code, value).toBe(1);
      expect(chat.stderr).toContain(`option '--max-tokens <n>' argument '${value}' is invalid. expected a whole number from 1 to 100000`);
      expect(chat.stderr).not.toContain('Internal error');
    }
  });

  it('stores an Ollama server at another host, or a loopback tunnel marked --cloud, as cloud: Local-only mode sends it nothing', async () => {
    // One after the other: the first creates the database.
    const remote = await sc('--json', 'providers', 'add', '--id', 'gpu-box', '--type', 'ollama', '--base-url', 'http://10.0.0.5:11434');
    const tunnel = await sc('--json', 'providers', 'add', '--id', 'tunnel', '--type', 'ollama', '--base-url', 'http://127.0.0.1:9', '--cloud');
    for (const [result, host] of [[remote, '10.0.0.5:11434'], [tunnel, '127.0.0.1:9']] as const) {
      expect(result.code, result.stderr).toBe(0);
      expect(parseJsonLines(result.stdout)[0]).toMatchObject({
        provider: { config: { type: 'ollama', location: 'cloud' }, state: 'unknown', detail: `Not checked: Local-only mode sends nothing to cloud providers (this one is at ${host})` },
      });
    }
  });

  it('lists a provider on one line when a model name holds a line break: no made-up provider line', async () => {
    const forged = 'm\nfake [openai, cloud] healthy: ready | x | key from keychain';
    const added = await sc('providers', 'add', '--id', 'odd', '--type', 'openai', '--base-url', 'http://127.0.0.1:9/v1', '--model', forged, '--model', 'n\u2028z');
    expect(added.code, added.stderr).toBe(0);
    const listed = await sc('providers', 'list');
    expect(listed.code, listed.stderr).toBe(0);
    const lines = listed.stdout.trimEnd().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^odd \[openai, local\] .* \| m\\nfake \[openai, cloud\] healthy: ready \| x \| key from keychain, n\\u2028z \| /);
  });
});

describe('chat through the router (OpenAI-compatible fake server)', () => {
  it('answers in cloud-allowed mode with the attempts; the key goes to the server and nowhere else', async () => {
    const server = await fake();
    await addGpt(server);
    await allowCloud();
    const chatted = await sc('chat', '--task', 'code', '--prompt', 'hi', '--json');
    const answer = resultLine<JsonAnswer>(chatted, 'answer');
    expect(answer.text).toBe('Hello from the fake server.');
    expect(textEvents(chatted)).toBe(answer.text);
    expect(answer.target).toEqual({ providerId: 'gpt', model: 'm1' });
    expect(answer.attempts).toHaveLength(1);
    expect(answer.attempts[0]).toMatchObject({ providerId: 'gpt', model: 'm1', task: 'code', outcome: 'ok', reason: expect.stringContaining('code') });
    expect(answer.attempts[0]?.outputTokens).toBeGreaterThan(0);

    expect(server.count(chatPath)).toBe(1);
    const request = server.requests.find((r) => r.path === chatPath);
    expect(request?.apiKey).toBe(plantedSecret);
    expect(request?.json).toMatchObject({ model: 'm1', stream: true, messages: [{ role: 'user', content: 'hi' }] });
    // Every request the server saw (health checks included) carried the planted key.
    expect(server.requests.every((r) => r.apiKey === plantedSecret)).toBe(true);

    // Text mode: the answer on stdout, the attempts on stderr.
    const text = await sc('chat', '--task', 'code', '--prompt', 'hi');
    expect(text.code).toBe(0);
    expect(text.stdout).toBe('Hello from the fake server.\n');
    expect(text.stderr).toMatch(/^ {2}1\. gpt\/m1: ok - /);
    expect(server.count(chatPath)).toBe(2);
    expectKeyNowhere();
  });

  it('in the default local-only mode refuses the only (cloud) provider with NO_ROUTE and sends nothing', async () => {
    const server = await fake();
    await addGpt(server);
    const before = server.count();
    const json = await sc('chat', '--task', 'code', '--prompt', 'hi', '--json');
    const error = jsonError(json);
    expect(error.code).toBe('NO_ROUTE');
    expect(error.message).toContain('gpt/m1');
    expect(error.message).toMatch(/gpt\/m1: skipped \(cloud provider not allowed in local-only mode\)/);
    const text = oneLineError(await sc('chat', '--task', 'code', '--prompt', 'hi'));
    expect(text).toMatch(/skipped \(cloud provider not allowed in local-only mode\)/);
    expect(server.count()).toBe(before);
    expect(server.count(chatPath)).toBe(0);
    expectKeyNowhere();
  });

  it('retries a 500 on the same target: two requests, one answer, both attempts recorded', async () => {
    const server = await fake({ script: [{ status: 500 }, { reply: 'Recovered after a 500.' }] });
    await addGpt(server);
    await allowCloud();
    const answer = resultLine<JsonAnswer>(await sc('chat', '--task', 'code', '--prompt', 'hi', '--json'), 'answer');
    expect(answer.text).toBe('Recovered after a 500.');
    expect(answer.attempts.map((a) => [a.providerId, a.outcome, a.errorKind, a.status])).toEqual([
      ['gpt', 'error', 'server', 500],
      ['gpt', 'ok', undefined, undefined],
    ]);
    expect(server.count(chatPath)).toBe(2);
    expectKeyNowhere();
  });

  it('chat --schema repairs an invalid answer once on the same target and prints the JSON value', async () => {
    const value = { name: 'orders', kind: 'service', ready: true };
    const server = await fake({ script: [{ reply: 'Sure! Here is the project: orders.' }, { reply: { json: value } }, { reply: { json: { ...value, name: 'billing' } } }] });
    await addGpt(server);
    await allowCloud();
    const schemaFile = join(createTempDir('sc-int-schema-'), 'project.schema.json');
    writeFileSync(
      schemaFile,
      JSON.stringify({
        type: 'object',
        properties: { name: { type: 'string', maxLength: 20 }, kind: { enum: ['service', 'library', 'cli'] }, ready: { type: 'boolean' } },
        required: ['name', 'kind', 'ready'],
        additionalProperties: false,
      }),
    );
    const run = await sc('chat', '--task', 'code', '--prompt', 'describe it', '--schema', schemaFile, '--json');
    // The invalid first answer streamed, then a restart line voids it before the repair streams.
    const events = parseJsonLines(run.stdout);
    const kinds = events.map((line) => line.type).filter((type, index, all) => type !== 'text' || all[index - 1] !== 'text');
    expect(kinds).toEqual(['text', 'restart', 'text', 'answer']);
    const restartAt = events.findIndex((line) => line.type === 'restart');
    const joined = events.slice(restartAt + 1).filter((line) => line.type === 'text').map((line) => (line as { text?: string }).text ?? '').join('');
    const answer = resultLine<JsonAnswer>({ ...run, stdout: run.stdout.split('\n').filter((line) => !line.includes('"type":"restart"')).join('\n') }, 'answer');
    expect(joined).toBe(answer.text);
    expect(answer.value).toEqual(value);
    expect(JSON.parse(answer.text)).toEqual(value);
    expect(server.count(chatPath)).toBe(2);
    const [first, repair] = server.requests.filter((r) => r.path === chatPath).map((r) => r.json as { response_format?: { type: string }; messages: { role: string; content: string }[] });
    expect(first?.response_format?.type).toBe('json_schema');
    expect(repair?.response_format?.type).toBe('json_schema');
    expect(repair?.messages.map((m) => m.role)).toEqual(['user', 'assistant', 'user']);
    expect(repair?.messages[2]?.content).toContain('not valid');

    // Text mode prints the value as indented JSON.
    const text = await sc('chat', '--task', 'code', '--prompt', 'describe it', '--schema', schemaFile);
    expect(text.code).toBe(0);
    expect(JSON.parse(text.stdout)).toEqual({ ...value, name: 'billing' });
    expect(server.count(chatPath)).toBe(3);
    expectKeyNowhere();
  });
});

describe('llama.cpp through the CLI (tiny random GGUF)', () => {
  // Random weights: the text is noise, so these tests check shapes, counts and the schema.
  const schema = z
    .object({
      name: z.string().max(12),
      kind: z.enum(['service', 'library', 'cli']),
      tags: z.array(z.string().max(6)).max(3),
      ready: z.boolean(),
    })
    .strict();

  function writeModel(): void {
    mkdirSync(join(home, 'models'), { recursive: true });
    writeTinyGguf(join(home, 'models', 'tiny.gguf'), { seed: 7 });
  }

  function expectLocalAnswer(answer: JsonAnswer, providerId: string): void {
    expect(typeof answer.text).toBe('string');
    expect(answer.target).toEqual({ providerId, model: 'tiny.gguf' });
    expect(answer.attempts).toHaveLength(1);
    expect(answer.attempts[0]).toMatchObject({ providerId, model: 'tiny.gguf', outcome: 'ok' });
    expect(answer.attempts[0]?.inputTokens).toBeGreaterThan(0);
    expect(answer.attempts[0]?.outputTokens).toBeGreaterThan(0);
  }

  it('lists the model, adds a llama-cpp provider without --model, and chat answers from its first local model', async () => {
    writeModel();
    const listed = await sc('models', 'list', '--json');
    expect(listed.code).toBe(0);
    expect(parseJsonLines(listed.stdout)).toEqual([
      { type: 'model', model: { id: 'tiny.gguf', path: join(home, 'models', 'tiny.gguf'), sizeBytes: expect.any(Number), architecture: 'llama', quantization: 'F32', contextLength: 2048 } },
    ]);
    const added = resultLine<{ provider: JsonProviderStatus }>(await sc('providers', 'add', '--id', 'local', '--type', 'llama-cpp', '--json'), 'provider');
    expect(added.provider).toMatchObject({ config: { id: 'local', type: 'llama-cpp', location: 'local', models: [] }, state: 'healthy' });

    // Local-only (the default) allows it; no --model was given, so the router must use the
    // first model found in the model folders.
    const chatted = await sc('chat', '--task', 'interview', '--prompt', 'hi', '--max-tokens', '8', '--json');
    expect(parseJsonLines(chatted.stdout).at(-1), chatted.stdout).toMatchObject({ type: 'answer' });
    const answer = resultLine<JsonAnswer>(chatted, 'answer');
    expectLocalAnswer(answer, 'local');
    expect(answer.attempts[0]?.outputTokens).toBe(8);
    expect(textEvents(chatted)).toBe(answer.text);
  });

  it('chat and chat --schema on a provider pinned to tiny.gguf: token counts, and a value matching a bounded schema', async () => {
    writeModel();
    // --model pins the model, so this test does not depend on the default-model lookup above.
    resultLine(await sc('providers', 'add', '--id', 'local', '--type', 'llama-cpp', '--model', 'tiny.gguf', '--json'), 'provider');
    const plain = resultLine<JsonAnswer>(await sc('chat', '--task', 'interview', '--prompt', 'hi', '--max-tokens', '8', '--json'), 'answer');
    expectLocalAnswer(plain, 'local');
    expect(plain.attempts[0]?.outputTokens).toBe(8);

    const schemaFile = join(createTempDir('sc-int-schema-'), 'bounded.schema.json');
    writeFileSync(schemaFile, JSON.stringify(z.toJSONSchema(schema)));
    const structured = resultLine<JsonAnswer>(await sc('chat', '--task', 'interview', '--prompt', 'Describe the project as JSON', '--schema', schemaFile, '--json'), 'answer');
    expectLocalAnswer(structured, 'local');
    const value = schema.parse(structured.value);
    expect(schema.parse(JSON.parse(structured.text))).toEqual(value);
  });
});

describe('models import', () => {
  it('refuses a file that is not GGUF with a clear message and imports the tiny GGUF', async () => {
    const source = createTempDir('sc-int-import-');
    const notGguf = join(source, 'notes.gguf');
    writeFileSync(notGguf, 'these are notes, not a model\n');
    expect(oneLineError(await sc('models', 'import', notGguf))).toBe(
      `Error: ${notGguf} is not a GGUF model file (it does not start with "GGUF"); only GGUF models can be imported`,
    );
    const empty = await sc('models', 'list', '--json');
    expect(empty).toMatchObject({ code: 0, stdout: '' });
    // Nothing was copied, not even a partial file.
    expect(existsSync(join(home, 'models')) ? readdirSync(join(home, 'models')) : []).toEqual([]);

    const gguf = join(source, 'imported.gguf');
    writeTinyGguf(gguf);
    const imported = resultLine<{ model: { id: string; architecture?: string } }>(await sc('models', 'import', gguf, '--json'), 'model');
    expect(imported.model).toMatchObject({ id: 'imported.gguf', architecture: 'llama' });
    const listed = await sc('models', 'list', '--json');
    expect(parseJsonLines(listed.stdout)).toEqual([
      { type: 'model', model: expect.objectContaining({ id: 'imported.gguf', path: join(home, 'models', 'imported.gguf'), architecture: 'llama', quantization: 'F32' }) },
    ]);
    expect(oneLineError(await sc('models', 'import', gguf))).toContain('already exists');
  });
});
