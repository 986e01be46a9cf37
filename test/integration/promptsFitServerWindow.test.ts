import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import type { Database } from 'better-sqlite3';
import type { ProviderConfig } from '../../src-shared/domain/provider.ts';
import type { SpecDraft } from '../../src-shared/domain/serviceSpec.ts';
import type { PlanFile } from '../../src-shared/pipeline/plan.ts';
import type { FileProblemView } from '../../src-shared/pipeline/pipelineTypes.ts';
import { ModelGateway } from '../../src-main/gateway/ModelGateway.ts';
import { generateFile } from '../../src-main/pipeline/generateFile.ts';
import { defaultPipelineLimits, type PipelineContext, type SourceFile } from '../../src-main/pipeline/PipelineContext.ts';
import { buildRepairPrompt } from '../../src-main/pipeline/repair/buildRepairPrompt.ts';
import { runConsistency } from '../../src-main/pipeline/runConsistency.ts';
import { writeDocs } from '../../src-main/pipeline/writeDocs.ts';
import { loadPrompt } from '../../src-main/prompts/loadPrompt.ts';
import { providerDescriptors } from '../../src-main/providers/descriptors/providerDescriptors.ts';
import { ProviderRegistry } from '../../src-main/providers/descriptors/ProviderRegistry.ts';
import type { SecretStore } from '../../src-main/secrets/SecretStore.ts';
import { openDatabase } from '../../src-main/store/openDatabase.ts';
import { PipelineRepository } from '../../src-main/store/PipelineRepository.ts';
import { ProjectRepository } from '../../src-main/store/ProjectRepository.ts';
import { countTokens } from '../../src-main/tokens/countTokens.ts';
import type { AttemptRecord } from '../../src-main/modelCall/modelCallTypes.ts';
import { startFakeOpenAiServer, type FakeContextWindow, type WindowCheck } from '../support/fakes/fakeOpenAiServer.ts';
import type { FakeServer, FakeStep } from '../support/fakes/fakeServerBase.ts';
import { classifyPipelineRequest } from '../support/pipelineResponder.ts';
import { seededRandom } from '../support/seededRandom.ts';
import { useTempDirs } from '../support/useTempDirs.ts';

/**
 * Every prompt of a run, built for a local OpenAI-compatible server whose real window is 8,192
 * tokens, which the server itself enforces: it counts each prompt with o200k (the count is the
 * server's, not ours) and refuses one over its window with vLLM's 400. The files are big (each
 * dependency alone is thousands of tokens, the spec and the plan too), so the prompts must be
 * cut to fit, and the window is only stated by the server (no configured context length).
 */
const promptsDir = fileURLToPath(new URL('../../resources/prompts/', import.meta.url));
const windowTokens = 8_192;
const tempDir = useTempDirs();
const servers: FakeServer[] = [];
const gateways: ModelGateway[] = [];
const databases: Database[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
  await Promise.all(gateways.splice(0).map((gateway) => gateway.close()));
  for (const db of databases.splice(0)) db.close();
});

/** Python-looking lines with varied names (repeated text would tokenize unrealistically well). */
function pythonLines(count: number, seed: number): string {
  const random = seededRandom(seed);
  const word = () => Array.from({ length: 3 + Math.floor(random() * 8) }, () => String.fromCharCode(97 + Math.floor(random() * 26))).join('');
  return Array.from({ length: count }, (_, index) => `    ${word()}_${index} = compute_${word()}(${word()}, ${Math.floor(random() * 1000)})  # ${word()} ${word()}`).join('\n');
}

const modules = Array.from({ length: 6 }, (_, index): PlanFile => ({
  path: `app/module_${index}.py`,
  purpose: `Domain module ${index}: rules, their validation and their storage`,
  language: 'python',
  kind: 'source',
  dependsOn: [],
  exports: [`class Module${index}`, `def handle_${index}(rule: dict) -> dict`],
}));
const service: PlanFile = { path: 'app/service.py', purpose: 'The service layer over every domain module', language: 'python', kind: 'source', dependsOn: modules.map((module) => module.path), exports: ['class Service', 'def run(rules: list[dict]) -> list[dict]'] };
const fillers = Array.from({ length: 40 }, (_, index): PlanFile => ({ path: `app/extra/part_${index}.py`, purpose: `Part ${index} of the feature set, with its own rules about ${index % 7} kinds of input`, language: 'python', kind: 'source', dependsOn: [], exports: [] }));
const plan = [...modules, service, ...fillers];
const moduleSource = (index: number): SourceFile => ({ path: `app/module_${index}.py`, language: 'python', content: `class Module${index}:\n${pythonLines(index === 0 ? 20 : 160, 10 + index)}\n` });
const spec: SpecDraft = {
  specVersion: 2,
  name: 'Rule engine',
  summary: `A rule engine with many endpoints. ${pythonLines(40, 40).replace(/\s+/g, ' ')}`.slice(0, 2000),
  features: Array.from({ length: 30 }, (_, index) => `Reads or changes the items of rule group ${index}, validating each field against the schema of group ${index % 9}: ${pythonLines(3, 50 + index).replace(/\s+/g, ' ')}`.slice(0, 200)),
};
/** The draft with a defect; the fix. Each about 2,000 tokens: the answer room must hold them. */
const broken = `# BROKEN draft\nclass Service:\n${pythonLines(50, 3)}\n`;
const fixed = `class Service:\n${pythonLines(50, 4)}\n`;
/** What the checks say about the draft: 300 problems, far more than the window holds next to the file. */
const manyProblems: FileProblemView[] = Array.from({ length: 300 }, (_, index) => ({ path: service.path, rule: 'syntax', line: index + 1, message: `unexpected indentation in the assignment of value_${index} (expected 4 spaces, found ${index % 9})` }));

async function setup(states: FakeContextWindow['states']) {
  const answers = (body: unknown): FakeStep => {
    const ask = classifyPipelineRequest(body);
    if (ask.kind === 'generate') return { reply: broken, chunks: 8 };
    if (ask.kind === 'fix') return { reply: fixed, chunks: 8 };
    if (ask.kind === 'review') return { reply: { json: { issues: [] } } };
    if (ask.kind === 'docs') return { reply: `# ${ask.path}\n\nThe rule engine.\n` };
    return { reply: `\`\`\`python\n${fixed}\`\`\`` }; // the repair prompt
  };
  const server = await startFakeOpenAiServer({ models: ['local-model'], contextWindow: { tokens: windowTokens, count: countTokens, states }, respond: answers });
  servers.push(server);
  const config: ProviderConfig = { id: 'local', type: 'openai', label: 'Local server', location: 'local', baseUrl: server.url, models: ['local-model'], limits: {}, enabled: true };
  const secrets: SecretStore = { backend: 'memory', get: async () => undefined, set: async () => undefined, delete: async () => false, has: async () => false };
  const db = openDatabase(join(tempDir(), 'window.db'));
  databases.push(db);
  const attempts: AttemptRecord[] = [];
  const gateway = new ModelGateway({
    db,
    providers: () => [config],
    routing: () => ({}),
    privacyMode: () => 'local-only',
    registry: new ProviderRegistry(providerDescriptors),
    secrets,
    env: {},
    modelDirs: [],
    pricing: { asOf: 'test', prices: new Map() },
    onAttempt: (record) => attempts.push(record),
    routerOptions: { baseDelayMs: 1, maxDelayMs: 5 },
  });
  gateways.push(gateway);
  const runs = new PipelineRepository(db);
  const projectId = new ProjectRepository(db).create('Rule engine').id;
  const run = runs.createRun(projectId, spec, 1);
  runs.setPlan(run.id, { files: plan, install: 'pip install -r requirements.txt', test: 'pytest -q' });
  const context: PipelineContext = {
    runs,
    chat: (request) => gateway.chat(request),
    contextWindow: (task) => gateway.contextWindow(task),
    promptBudget: (task) => gateway.promptBudget(task),
    promptsDir,
    validators: {
      validateFile: async (file) => ({ problems: file.content.includes('BROKEN') ? manyProblems : [] }),
      checkConsistency: (files) => files.filter((file) => file.path === service.path).map((file) => ({ path: file.path, line: 1, message: `Service imports handle_9 from app.module_0, which does not define it (${file.content.length} characters checked)` })),
      exportedSignatures: (file) => file.content,
    },
    emit: () => undefined,
    limits: { ...defaultPipelineLimits, maxFixAttempts: 1, maxConsistencyRounds: 1 },
  };
  return { server, gateway, context, runId: run.id, attempts };
}

/** Every request the server counted fits its window; none was refused; the router skipped none for size. */
function expectAllWithinWindow(checks: WindowCheck[], attempts: AttemptRecord[]): void {
  expect(checks.length).toBeGreaterThan(0);
  for (const check of checks) {
    expect(check.refused).toBe(false);
    expect(check.promptTokens + (check.maxTokens ?? 0)).toBeLessThanOrEqual(windowTokens);
  }
  expect(attempts.filter((attempt) => attempt.outcome !== 'ok')).toEqual([]);
}

describe('prompts fitted to a local server that counts (8,192 tokens)', () => {
  it.each<FakeContextWindow['states']>(['max_model_len', 'props'])('generate with a fix, then consistency fixes, review and docs: none refused, none over the window (window stated as %s)', async (states) => {
    const { server, context, runId, attempts } = await setup(states);
    const files = new Map<string, SourceFile>(modules.map((_, index) => [moduleSource(index).path, moduleSource(index)]));
    const outcome = await generateFile(context, { runId, spec, plan, file: service, read: (path) => files.get(path), signal: new AbortController().signal });
    expect(outcome).toMatchObject({ status: 'done', content: fixed, problems: [] });

    // The window was asked before the first prompt was sized (so before the first chat).
    const firstChat = server.requests.findIndex((request) => request.path.endsWith('/chat/completions'));
    const asked = server.requests.findIndex((request) => (states === 'props' ? request.path === '/props' : request.path.endsWith('/models')));
    expect(asked).toBeGreaterThanOrEqual(0);
    expect(asked).toBeLessThan(firstChat);

    const chats = server.requests.filter((request) => request.path.endsWith('/chat/completions'));
    const [generate, fix] = chats.map((request) => (request.json as { messages: { content: string }[] }).messages.at(-1)?.content ?? '');
    // The generate prompt is cut to fit, saying so; the fix prompt holds the whole draft and the start of the problems.
    expect(generate).toMatch(/cut to fit the model's window|left out to fit the model's window/);
    // Every dependency is there (its text or at least the interface it promised), the small first one in full.
    for (const module of modules) expect(generate).toContain(`### ${module.path}`);
    expect(generate).toContain(moduleSource(0).content.trim());
    expect(fix).toContain(broken.trim());
    expect(fix).toContain('line 1: unexpected indentation in the assignment of value_0');
    expect(fix).toMatch(/lines cut to fit the model's window/);

    files.set(service.path, { path: service.path, language: 'python', content: outcome.content ?? '' });
    await runConsistency(context, { runId, plan, files, signal: new AbortController().signal });
    await writeDocs(context, { runId, spec, plan: { files: plan, install: 'pip install -r requirements.txt', test: 'pytest -q' }, files, signal: new AbortController().signal, skip: new Set() });
    const kinds = server.requests.filter((request) => request.path.endsWith('/chat/completions')).map((request) => classifyPipelineRequest(request.json).kind);
    expect(kinds).toEqual(['generate', 'fix', 'review', 'fix', 'docs', 'docs']);
    expectAllWithinWindow(server.windowChecks, attempts);
    // Not wasted either: the biggest prompt uses most of what the window leaves next to its answer.
    expect(Math.max(...server.windowChecks.map((check) => (check.promptTokens + (check.maxTokens ?? 0)) / windowTokens))).toBeGreaterThan(0.75);
  });

  it('every call of a run names the template it was made from by content (name@version#hash), the review too', async () => {
    const { context, runId } = await setup('max_model_len');
    const asked: { task: string; promptVersion: string | undefined }[] = [];
    const chat = context.chat;
    const recording: PipelineContext = { ...context, chat: (request) => (asked.push({ task: request.task, promptVersion: request.promptVersion }), chat(request)) };
    const files = new Map<string, SourceFile>(modules.map((_, index) => [moduleSource(index).path, moduleSource(index)]));
    const outcome = await generateFile(recording, { runId, spec, plan, file: service, read: (path) => files.get(path), signal: new AbortController().signal });
    files.set(service.path, { path: service.path, language: 'python', content: outcome.content ?? '' });
    await runConsistency(recording, { runId, plan, files, signal: new AbortController().signal });
    const review = asked.find((call) => call.task === 'review');
    expect(review).toBeDefined();
    expect(review?.promptVersion).toBe(loadPrompt(promptsDir, 'review').id);
    for (const call of asked) expect(call.promptVersion, call.task).toMatch(/^[a-z-]+@[\d.]+#[0-9a-f]{12}$/);
  });

  it('a repair prompt (R\'s buildRepairPrompt) with a huge test log and big files, sized with the gateway\'s budget', async () => {
    const { server, gateway, attempts } = await setup('max_model_len');
    const tokens = await gateway.promptBudget('fix');
    expect(tokens?.contextLength).toBe(windowTokens);
    const traceback = ['app/service.py:812: in run', '    self._rules.push(rule)', "E   AttributeError: 'list' object has no attribute 'push'", '', 'app/service.py:812: AttributeError'].join('\n');
    const prompt = buildRepairPrompt({
      template: loadPrompt(promptsDir, 'repair-file'),
      target: { file: service, score: 45, why: ['innermost project frame of the traceback (app/service.py:812, in run)'] },
      content: fixed,
      failures: `${pythonLines(4_000, 21)}\n${traceback}`,
      tests: [{ path: 'tests/test_service.py', content: pythonLines(800, 22) }],
      interfaces: modules.map((module, index) => ({ path: module.path, text: moduleSource(index).content })),
      others: [{ path: 'app/main.py', content: pythonLines(800, 23) }],
      tokens: tokens!,
    });
    if (!prompt.ok) throw new Error(prompt.note);
    const answer = await gateway.chat({ task: 'fix', messages: prompt.messages, maxTokens: prompt.maxTokens });
    expect(answer.text).toContain('class Service');
    const sent = (server.requests.at(-1)?.json as { messages: { content: string }[] }).messages.at(-1)?.content ?? '';
    expect(sent).toContain(fixed.trim());
    expect(sent).toContain("E   AttributeError: 'list' object has no attribute 'push'");
    expectAllWithinWindow(server.windowChecks, attempts);
    expect(server.windowChecks).toHaveLength(1);
    expect((server.windowChecks[0]!.promptTokens + server.windowChecks[0]!.maxTokens!) / windowTokens).toBeGreaterThan(0.75);
  });

  it('the fake server does refuse an over-window prompt with vLLM\'s words, and the router reports it as too long for the context', async () => {
    const { server, gateway, attempts } = await setup('max_model_len');
    // Short enough for the router's 4-characters-a-token estimate, too long by the server's count.
    const text = pythonLines(1_200, 30).slice(0, 22_000);
    expect(Math.ceil(text.length / 4) + 2_000).toBeLessThan(windowTokens);
    await expect(gateway.chat({ task: 'fix', messages: [{ role: 'user', content: text }], maxTokens: 2_000 })).rejects.toMatchObject({ code: 'NO_ROUTE' });
    expect(server.windowChecks.map((check) => check.refused)).toEqual([true]);
    expect(attempts[0]).toMatchObject({ outcome: 'error', errorKind: 'context-length', status: 400 });
    expect(attempts[0]?.message).toContain("This model's maximum context length is 8192 tokens. However, you requested");
  });
});
