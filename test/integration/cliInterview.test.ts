// The interview and spec commands through the real CLI process (bin/service-creator.js), against
// a scripted OpenAI-compatible server on 127.0.0.1: every question's JSON comes from the script,
// answers come from an answers file or from lines piped to stdin. Projects and the provider are
// set up in-process on the same data folder (faster than two more CLI runs per test).
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createCore } from '../../src-main/core/createCore.ts';
import { slotIds } from '../../src-shared/interview/interviewSlots.ts';
import { parseJsonLines } from '../support/bufferIo.ts';
import { binPath, repoRoot, runBin, startBin, type ProcessResult } from '../support/cliProcess.ts';
import { startFakeOpenAiServer, type FakeServer, type FakeStep } from '../support/fakes/fakeOpenAiServer.ts';
import { vFirewallInterview, vFirewallSpec, type ScriptedTurn } from '../support/interviewScript.ts';
import { createTempDir, removeTempDirs } from '../support/tempDir.ts';

const chatPath = '/v1/chat/completions';
const projectName = 'Edge firewall';
const expectedSpec = { ...vFirewallSpec, name: projectName };

let home: string;
let env: NodeJS.ProcessEnv;
let server: FakeServer;

beforeEach(async () => {
  home = createTempDir('sc-int-interview-');
  env = { SERVICE_CREATOR_HOME: home, FAKE_KEY: 'k' };
  server = await startFakeOpenAiServer({ models: ['scripted'] });
});

afterEach(async () => {
  await server.close();
});

afterAll(() => {
  removeTempDirs();
});

/** Creates the project (and, unless told not to, the provider pointing at the fake) in `home`. */
async function setup(options: { provider?: boolean } = {}): Promise<void> {
  const core = createCore({ dataDir: home, host: 'cli', env: { FAKE_KEY: 'k' } });
  try {
    const call = async (channel: Parameters<typeof core.dispatch>[0], input: unknown) => {
      const result = await core.dispatch(channel, input);
      if (!result.ok) throw new Error(result.error.message);
    };
    if (options.provider !== false) {
      await call('providers.add', {
        config: { id: 'fake', type: 'openai', label: 'Fake', location: 'local', baseUrl: server.url, models: ['scripted'], apiKeyEnv: 'FAKE_KEY' },
      });
    }
    await call('projects.create', { name: projectName });
  } finally {
    await core.dispose();
  }
}

const turnsOf = (items: readonly ScriptedTurn[]): FakeStep[] => items.map((item) => ({ reply: { json: item.turn } }));
const scriptedTurn = (field: string): ScriptedTurn => {
  const found = vFirewallInterview.find((item) => item.turn.field === field);
  if (!found) throw new Error(`no scripted turn for ${field}`);
  return found;
};

function sc(...args: string[]): Promise<ProcessResult> {
  return runBin(args, env);
}

/** Runs the CLI with `lines` piped to stdin (then end of input). */
function scWithInput(args: string[], lines: readonly string[], timeoutMs = 30_000): Promise<ProcessResult> {
  return new Promise((resolve, reject) => {
    const childEnv: NodeJS.ProcessEnv = { ...process.env, ...env };
    delete childEnv.SERVICE_CREATOR_DEBUG;
    const child = spawn(process.execPath, [binPath, ...args], { cwd: repoRoot, env: childEnv, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.stdin.end(lines.map((line) => `${line}\n`).join(''));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`service-creator ${args.join(' ')} did not finish within ${timeoutMs} ms; stderr: ${stderr}`));
    }, timeoutMs);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr });
    });
  });
}

/** The answers file for the scripted interview, using each of the three answer shapes. */
function answersFile(omit: readonly string[] = [], overrides: Record<string, unknown> = {}): string {
  const answers: Record<string, unknown> = {};
  for (const { turn, answer } of vFirewallInterview) {
    if (omit.includes(turn.field)) continue;
    if (turn.field === 'serviceType') answers[turn.field] = 'vFirewall';
    else if (answer.text === '' && turn.field === 'vendors') answers[turn.field] = answer.selected;
    else answers[turn.field] = answer;
  }
  const file = join(home, `answers-${Math.random().toString(36).slice(2)}.json`);
  writeFileSync(file, JSON.stringify({ answers: { ...answers, ...overrides } }));
  return file;
}

/** The line a user types for a scripted answer: the option numbers, then any text. */
function lineFor(item: ScriptedTurn): string {
  const numbers = item.answer.selected.map((label) => item.turn.options.indexOf(label) + 1);
  if (numbers.includes(0)) throw new Error(`an answer of ${item.turn.field} is not among its options`);
  return [numbers.join(','), item.answer.text].filter((part) => part !== '').join(' ');
}

async function specOf(): Promise<{ spec: unknown; check: { valid: boolean; problems: { path: string; message: string }[] } }> {
  const shown = await sc('spec', 'show', '--project', projectName, '--json');
  expect(shown.code, shown.stderr).toBe(0);
  const lines = parseJsonLines(shown.stdout);
  expect(lines.map((line) => line.type)).toEqual(['spec']);
  return lines[0] as never;
}

function expectUserError(result: ProcessResult): string {
  expect(result.code, result.stdout + result.stderr).toBe(1);
  expect(result.stderr).toMatch(/^Error: /m);
  expect(result.stderr).not.toMatch(/\bat .+:\d+:\d+/);
  return result.stderr;
}

describe('interview --answers', () => {
  it('drives the whole interview from a file, one model request per question, to a spec that validates and exports', async () => {
    await setup();
    server.enqueue(...turnsOf(vFirewallInterview));
    const run = await sc('interview', '--project', projectName, '--answers', answersFile(), '--json');
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toBe('');
    expect(server.count(chatPath)).toBe(9);

    const lines = parseJsonLines(run.stdout);
    const questions = lines.filter((line) => line.type === 'question').map((line) => (line.turn as { field: string }).field);
    expect(questions).toEqual([...slotIds]);
    const answers = lines.filter((line) => line.type === 'answer');
    expect(answers.map((line) => [line.field, line.status])).toEqual(slotIds.map((field) => [field, 'answered']));
    expect(answers.every((line) => typeof line.outcome === 'string' && line.outcome !== '')).toBe(true);
    expect(lines.at(-1)).toMatchObject({ type: 'result', done: true, spec: expectedSpec, check: { valid: true, problems: [] } });
    expect(new Set(lines.map((line) => line.type))).toEqual(new Set(['question', 'answer', 'result']));

    const validated = await sc('spec', 'validate', '--project', projectName);
    expect(validated.code, validated.stderr).toBe(0);
    expect(validated.stdout).toContain('is complete');

    // Outside the data folder: writes into it are refused (issue 12).
    const out = join(createTempDir('sc-int-out-'), 'spec.json');
    const exported = await sc('spec', 'export', '--project', projectName, '--out', out);
    expect(exported.code, exported.stderr).toBe(0);
    expect(JSON.parse(readFileSync(out, 'utf8'))).toEqual(expectedSpec);

    // Done: running again asks nothing and prints the summary.
    const again = await sc('interview', '--project', projectName, '--answers', answersFile());
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toContain('Interview complete.');
    expect(again.stdout).toContain('Features: Firewall rule management, NAT policies, Tenant isolation, Scheduled config backups');
    expect(again.stdout).toContain('The spec is complete.');
    expect(server.count(chatPath)).toBe(9);
  });

  it('stops at a field the file lacks, saved there, and goes on from the same question without asking it again', async () => {
    await setup();
    server.enqueue(...turnsOf(vFirewallInterview));
    const partial = await sc('interview', '--project', projectName, '--answers', answersFile(['pricing']));
    expect(expectUserError(partial)).toMatch(/"pricing" \(Pricing model\).*step 5 of 9/);
    expect(server.count(chatPath)).toBe(5);

    const rest = await sc('interview', '--project', projectName, '--answers', answersFile());
    expect(rest.code, rest.stderr).toBe(0);
    // The pending pricing question is reused: no new request for it.
    expect(server.count(chatPath)).toBe(9);
    expect(rest.stdout.split('\n')[0]).toBe('Step 5 of 9 · Pricing model: How will you charge for it?');
    expect(rest.stdout).toContain('  → Per instance');
    expect((await specOf()).spec).toEqual(expectedSpec);
  });

  it('an answer still vague after the follow-up question exits 1 naming the field and why', async () => {
    await setup();
    const features = scriptedTurn('features');
    server.enqueue(...turnsOf(vFirewallInterview.slice(0, 3)), { reply: { json: { ...features.turn, question: 'Which features exactly?' } } });
    const run = await sc('interview', '--project', projectName, '--answers', answersFile([], { features: 'idk' }), '--json');
    expect(run.code).toBe(1);
    const lines = parseJsonLines(run.stdout);
    const vague = lines.filter((line) => line.type === 'answer' && line.status === 'vague');
    expect(vague.map((line) => line.field)).toEqual(['features', 'features']);
    const error = lines.at(-1)?.error as { code: string; message: string };
    expect(error.code).toBe('INVALID_INPUT');
    expect(error.message).toContain('"features" (Features)');
    expect(error.message).toContain('Pick at least one feature or type your own.');
    expect(server.count(chatPath)).toBe(4);
  });

  it('refuses a bad answers file before asking anything', async () => {
    const notJson = join(home, 'bad.json');
    writeFileSync(notJson, '{"answers": ');
    expect(expectUserError(await sc('interview', '--project', projectName, '--answers', notJson))).toContain('is not JSON');

    const unknown = answersFile([], { colour: 'blue' });
    const refused = expectUserError(await sc('interview', '--project', projectName, '--answers', unknown));
    expect(refused).toContain('"colour"');
    expect(refused).toContain(slotIds.join(', '));

    // More shapes: test/unit/cli/readAnswersFile.test.ts.
    const wrongShape = join(home, 'shape.json');
    writeFileSync(wrongShape, JSON.stringify({ answers: { pricing: 42 } }));
    expect(expectUserError(await sc('interview', '--project', projectName, '--answers', wrongShape))).toContain('answers.pricing');
    expect(server.count()).toBe(0);
  });

  it('a model that answers invalid JSON twice exits 1 with INVALID_OUTPUT; the next run asks again and finishes', async () => {
    await setup();
    const broken = { reply: { json: { ...scriptedTurn('serviceType').turn, options: [] } } };
    server.enqueue(broken, broken);
    const failed = await sc('interview', '--project', projectName, '--answers', answersFile());
    // The router's INVALID_OUTPUT message, naming the target and the schema problem.
    expect(expectUserError(failed)).toMatch(/fake\/scripted gave an invalid interview_turn twice \(after one repair\): options: .*needs at least one option/);
    expect(server.count(chatPath)).toBe(2);

    const failedJson = await sc('interview', '--project', projectName, '--answers', answersFile(), '--json');
    expect(failedJson.code).toBe(1);
    expect(parseJsonLines(failedJson.stdout).at(-1)?.error).toMatchObject({ code: 'INVALID_OUTPUT' });

    server.enqueue(...turnsOf(vFirewallInterview));
    const resumed = await sc('interview', '--project', projectName, '--answers', answersFile());
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(resumed.stderr).toContain('The last try to get a question failed');
    expect((await specOf()).spec).toEqual(expectedSpec);
  });

  it('without a provider exits 1 with the routing problem, and nothing is lost', async () => {
    await setup({ provider: false });
    const run = await sc('interview', '--project', projectName, '--answers', answersFile(), '--json');
    expect(run.code).toBe(1);
    const error = parseJsonLines(run.stdout).at(-1)?.error as { code: string; message: string };
    expect(error.code).toBe('NO_ROUTE');
    expect(error.message).toContain('answers so far are saved');
  });
});

describe('interview (interactive)', () => {
  it('reads numbered picks and text from piped stdin to the whole spec', async () => {
    await setup();
    server.enqueue(...turnsOf(vFirewallInterview));
    const run = await scWithInput(['interview', '--project', projectName], vFirewallInterview.map(lineFor));
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain('Step 1 of 9 · Service type\nWhat kind of service do you need?\nThis decides the serviceType of the generated service.\n  1. vFirewall (firewall as a service)');
    expect(run.stdout).toContain('  → Firewall rule management, NAT policies, Tenant isolation, Scheduled config backups');
    expect(run.stdout).toContain('Interview complete.');
    expect(run.stdout).toContain('The spec is complete.');
    expect(server.count(chatPath)).toBe(9);
    expect((await specOf()).spec).toEqual(expectedSpec);
  });

  it(':q and end of input save; the next run continues at the same question', async () => {
    await setup();
    server.enqueue(...turnsOf(vFirewallInterview));
    const lines = vFirewallInterview.map(lineFor);

    const first = await scWithInput(['interview', '--project', projectName], [...lines.slice(0, 3), ':q']);
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout.trimEnd().split('\n').at(-1)).toBe('Saved at step 4 of 9; run the same command to go on.');
    expect(server.count(chatPath)).toBe(4);

    // A wrong option number is refused and the line read again; then the input ends.
    const second = await scWithInput(['interview', '--project', projectName], ['7', lines[3] as string]);
    expect(second.code, second.stderr).toBe(0);
    expect(second.stdout).toMatch(/^\nStep 4 of 9 · Vendor API authentication\n/);
    expect(second.stderr).toContain('There is no option 7');
    expect(second.stdout.trimEnd().split('\n').at(-1)).toBe('Saved at step 5 of 9; run the same command to go on.');
    expect(server.count(chatPath)).toBe(5);

    const third = await scWithInput(['interview', '--project', projectName, '--json'], lines.slice(4));
    expect(third.code, third.stderr).toBe(0);
    const events = parseJsonLines(third.stdout);
    expect((events[0]?.turn as { field: string }).field).toBe('pricing');
    expect(events.at(-1)).toMatchObject({ type: 'result', done: true, spec: expectedSpec });
    expect(server.count(chatPath)).toBe(9);
  });

  it('a vague answer gets a follow-up question about the same field', async () => {
    await setup();
    const features = scriptedTurn('features');
    const followUp = { ...features, turn: { ...features.turn, question: 'Which features exactly? Pick some or name your own.' } };
    server.enqueue(...turnsOf([...vFirewallInterview.slice(0, 3), followUp, ...vFirewallInterview.slice(3)]));
    const lines = vFirewallInterview.map(lineFor);
    const input = [...lines.slice(0, 2), 'idk', '1,2,3 also Scheduled config backups', ...lines.slice(3)];
    const run = await scWithInput(['interview', '--project', projectName], input);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain('  needs more detail: Pick at least one feature or type your own.');
    expect(run.stdout).toContain('Step 3 of 9 · Features\nWhich features exactly? Pick some or name your own.');
    expect(server.count(chatPath)).toBe(10);
    const followUpRequest = JSON.stringify(server.requests.filter((request) => request.path === chatPath)[3]?.json);
    expect(followUpRequest).toContain('idk');
    expect((await specOf()).spec).toEqual(expectedSpec);
  });

  it('Ctrl+C while the model writes cancels the call and exits 0 saved; the next run asks again', async () => {
    await setup();
    server.enqueue({ delayMs: 20_000, reply: { json: scriptedTurn('serviceType').turn } });
    const running = startBin(['interview', '--project', projectName], env);
    const deadline = Date.now() + 20_000;
    while (server.count(chatPath) === 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
    expect(server.count(chatPath)).toBe(1);
    running.child.kill('SIGINT');
    const exited = await running.exited;
    expect(exited.code, running.stderr()).toBe(0);
    expect(running.stdout().trimEnd()).toBe('Saved at step 1 of 9; run the same command to go on.');
    const index = server.requests.findIndex((request) => request.path === chatPath);
    expect(await server.settled(index)).toBe('client-closed');

    server.enqueue(...turnsOf(vFirewallInterview));
    const resumed = await sc('interview', '--project', projectName, '--answers', answersFile());
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(resumed.stderr).toBe('');
    expect(server.count(chatPath)).toBe(10);
  });
});

describe('spec', () => {
  it('validate on a new project exits 1 listing every unanswered field; show prints the draft and the problems', async () => {
    await setup({ provider: false });
    const validated = await sc('spec', 'validate', '--project', projectName);
    // Every field but the vendor API sign-in (needed only once vendors are known).
    expect(expectUserError(validated)).toContain('not complete: 8 problems');
    const problems = validated.stdout.trimEnd().split('\n');
    expect(problems).toHaveLength(8);
    expect(problems).toContain('serviceType: not answered yet');
    expect(problems).toContain('testing: not answered yet');

    const json = await sc('spec', 'validate', '--project', projectName, '--json');
    expect(json.code).toBe(1);
    const lines = parseJsonLines(json.stdout);
    expect(lines.map((line) => line.type)).toEqual(['check', 'error']);
    expect(lines[0]).toMatchObject({ valid: false });

    const shown = await sc('spec', 'show', '--project', projectName);
    expect(shown.code).toBe(0);
    expect(JSON.parse(shown.stdout)).toEqual({ specVersion: 2, name: projectName });
    expect(shown.stderr).toContain('The spec is not complete (8 problems):\n  serviceType: not answered yet');

    expect(expectUserError(await sc('spec', 'show', '--project', 'nope'))).toContain('No project with id or name "nope"');
  });

  it('import upgrades a version 1 file, refuses newer versions and non-JSON, and export never overwrites without --force', async () => {
    await setup({ provider: false });
    const v1 = join(home, 'old.json');
    writeFileSync(
      v1,
      JSON.stringify({
        specVersion: 1,
        serviceType: 'vFirewall',
        vendors: ['Cisco ASA', 'Acme Shield'],
        features: ['NAT policies'],
        auth: 'basic',
        pricing: 'flat',
        stack: 'node-express',
        logging: ['syslog'],
        metrics: 'none',
        deployment: ['compose'],
        tests: ['unit', 'mock'],
      }),
    );
    const imported = await sc('spec', 'import', v1, '--project', projectName);
    expect(imported.code, imported.stderr).toBe(0);
    expect(imported.stdout).toContain('(upgraded from spec version 1)');
    expect(imported.stderr).toContain('The spec is complete.');
    const { spec, check } = await specOf();
    expect(check.valid).toBe(true);
    expect(spec).toEqual({
      specVersion: 2,
      name: projectName,
      serviceType: 'vFirewall',
      vendors: [
        { vendor: 'cisco', name: 'Cisco', products: ['Cisco ASA'] },
        { vendor: 'other', name: 'Acme Shield', products: [] },
      ],
      features: ['NAT policies'],
      vendorApi: { auth: 'basic' },
      pricing: { model: 'flat' },
      target: { language: 'typescript', framework: 'express' },
      observability: { logging: ['syslog'], metrics: 'none', tracing: false },
      deployment: { targets: ['compose'] },
      testing: { levels: ['unit'], mockVendorApis: true },
    });

    const newer = join(home, 'newer.json');
    writeFileSync(newer, JSON.stringify({ specVersion: 99 }));
    expect(expectUserError(await sc('spec', 'import', newer, '--project', projectName))).toMatch(/newer Service Creator \(spec version 99/);
    const notJson = join(home, 'not.json');
    writeFileSync(notJson, 'specVersion: 2\n');
    expect(expectUserError(await sc('spec', 'import', notJson, '--project', projectName))).toContain('not JSON');
    expect(expectUserError(await sc('spec', 'import', join(home, 'missing.json'), '--project', projectName))).toContain('Cannot read the spec file');
    expect((await specOf()).spec).toEqual(spec);

    const stdout = await sc('spec', 'export', '--project', projectName);
    expect(stdout.code).toBe(0);
    expect(JSON.parse(stdout.stdout)).toEqual(spec);

    const outRoot = createTempDir('sc-int-out-');
    const out = join(outRoot, 'taken.json');
    writeFileSync(out, 'keep me');
    expect(expectUserError(await sc('spec', 'export', '--project', projectName, '--out', out))).toContain('add --force');
    expect(readFileSync(out, 'utf8')).toBe('keep me');
    const forced = await sc('spec', 'export', '--project', projectName, '--out', out, '--force', '--json');
    expect(forced.code, forced.stderr).toBe(0);
    expect(parseJsonLines(forced.stdout)).toEqual([{ type: 'export', projectId: expect.any(String), path: out, check: { valid: true, problems: [] } }]);
    expect(JSON.parse(readFileSync(out, 'utf8'))).toEqual(spec);
    expect(existsSync(join(outRoot, 'nowhere', 'spec.json'))).toBe(false);
    expect(expectUserError(await sc('spec', 'export', '--project', projectName, '--out', join(outRoot, 'nowhere', 'spec.json')))).toContain('Cannot write');
  });
});
