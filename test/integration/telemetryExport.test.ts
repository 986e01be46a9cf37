import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createCore, type Core } from '../../src-main/core/createCore.ts';
import type { AppInfo } from '../../src-shared/domain/appInfo.ts';
import type { RunView } from '../../src-shared/pipeline/pipelineTypes.ts';
import type { SandboxResult, TestRunView } from '../../src-shared/sandbox/sandboxTypes.ts';
import type { SandboxRunner } from '../../src-main/sandbox/TestRunService.ts';
import { coreCaller } from '../support/coreCaller.ts';
import { startFakeOpenAiServer, type FakeServer } from '../support/fakes/fakeOpenAiServer.ts';
import { vFirewallSpec } from '../support/interviewScript.ts';
import { startOtlpReceiver, type OtlpReceiver } from '../support/otlpReceiver.ts';
import { plantedSecret } from '../support/plantedSecret.ts';
import { firewallFiles, firewallPlan } from '../support/pipelineProject.ts';
import { pipelineResponder } from '../support/pipelineResponder.ts';
import { useTempDirs } from '../support/useTempDirs.ts';

/**
 * Opt-in OpenTelemetry: a real generation run through the core (the router, the real OpenAI SDK
 * against a loopback server answering from a script, the real validators), its traces sent by the
 * real SDK and OTLP/HTTP exporter to a loopback collector that keeps every byte. A marker planted
 * in the spec reaches every prompt; it must reach the collector in none. The sandbox is a double
 * (no Docker here) answering one passed and one failed test.
 */
const sandboxResult: SandboxResult = {
  outcome: 'failed',
  exitCode: 1,
  cases: [
    { name: 'tests.test_store::test_add_and_list', status: 'passed', durationMs: 3 },
    { name: 'tests.test_api::test_create_and_list', status: 'failed', durationMs: 5, message: 'assert 404 == 200' },
  ],
  summary: { passed: 1, failed: 1, errors: 0, skipped: 0 },
  log: 'collected 2 items\n',
  logTruncated: false,
  durationMs: 40,
  image: 'sandbox-python:test',
  installed: false,
};
const sandboxRunner: SandboxRunner = {
  status: async () => ({ ok: true, version: '28', apiVersion: '1.50', os: 'linux/amd64', endpoint: 'unix:///fake.sock' }),
  run: async () => sandboxResult,
};
describe('telemetry export', () => {
  const tempDir = useTempDirs();
  const open: { core?: Core; server?: FakeServer; receiver?: OtlpReceiver }[] = [];
  afterEach(async () => {
    for (const item of open.splice(0)) {
      await item.core?.dispose();
      await item.server?.close();
      await item.receiver?.close();
    }
  });

  async function generate(telemetry: { enabled: boolean }) {
    const marker = `PROMPT-MARKER-${randomBytes(8).toString('hex')}`;
    const receiver = await startOtlpReceiver();
    const responder = pipelineResponder({ plan: firewallPlan, files: firewallFiles });
    const server = await startFakeOpenAiServer({ respond: responder.respond, models: ['scripted'] });
    const dataDir = tempDir();
    const core = createCore({ dataDir, host: 'cli', env: { FAKE_KEY: plantedSecret }, routerOptions: { baseDelayMs: 1, maxDelayMs: 5 }, sandboxRunner });
    open.push({ core, server, receiver });
    const call = coreCaller(core);
    // A priced cloud target (a local one costs nothing), so each span carries a cost.
    await call('settings.set', { privacyMode: 'cloud-allowed' });
    await call('providers.add', { config: { id: 'fake', type: 'openai', label: 'Fake', location: 'cloud', baseUrl: server.url, models: ['scripted'], apiKeyEnv: 'FAKE_KEY' } });
    await call('pricing.set', { model: 'scripted', inputPerMillion: 3, outputPerMillion: 15 });
    await call('settings.set', { telemetry: { enabled: telemetry.enabled, endpoint: receiver.url, includePrompts: false } });
    const project = await call<{ id: string }>('projects.create', { name: 'Edge firewall' });
    await call('spec.set', { projectId: project.id, spec: { ...vFirewallSpec, name: 'Edge firewall', features: [...vFirewallSpec.features, `Audit tag ${marker}`] } });
    const planned = await call<RunView>('pipeline.plan', { projectId: project.id });
    await call('pipeline.start', { runId: planned.id, concurrency: 3 });
    const run = await call<RunView>('pipeline.wait', { runId: planned.id });
    expect(run.status).toBe('done');
    const tested = await call<TestRunView>('tests.run', { runId: run.id });
    expect((await call<TestRunView>('tests.wait', { testRunId: tested.id })).status).toBe('finished');
    await core.observability.flush();
    // The marker really was in the prompts: its absence below means something.
    expect(server.requests.some((request) => JSON.stringify(request.json ?? '').includes(marker))).toBe(true);
    return { core, call, receiver, marker, run, projectId: project.id, dataDir };
  }

  it('sends one trace per generation run, a span per model call with its task, target, tokens, cost and outcome, and no prompt text', async () => {
    const { core, call, receiver, marker, run, projectId, dataDir } = await generate({ enabled: true });
    expect(receiver.requests.length).toBeGreaterThan(0);
    expect(receiver.requests.every((request) => request.method === 'POST' && request.path === '/v1/traces' && request.contentType === 'application/json')).toBe(true);
    expect(Buffer.concat(receiver.bodies).includes(marker)).toBe(false);
    expect(Buffer.concat(receiver.bodies).includes(plantedSecret)).toBe(false);

    const spans = receiver.spans();
    const ofRun = spans.filter((span) => span.attributes['service_creator.run_id'] === run.id);
    expect(new Set(ofRun.map((span) => span.traceId)).size).toBe(1);
    const roots = ofRun.filter((span) => span.name === 'generation run');
    // Planning and generating: two working periods of the run, both roots of its one trace.
    expect(roots.map((span) => span.attributes['service_creator.run.status'])).toEqual(['planned', 'done']);
    for (const root of roots) expect(root).toMatchObject({ parentSpanId: undefined, attributes: { 'service_creator.project_id': projectId } });

    core.gateway.attempts.flush();
    const attempts = (
      core.db.prepare("SELECT request_id, attempt_no, task, input_tokens, output_tokens, cost_usd FROM attempts WHERE run_id = ? AND outcome <> 'skipped'").all(run.id) as { request_id: string; attempt_no: number; task: string; input_tokens: number; output_tokens: number; cost_usd: number }[]
    ).map((row) => ({ requestId: row.request_id, attemptNo: row.attempt_no, task: row.task, inputTokens: row.input_tokens, outputTokens: row.output_tokens, costUsd: row.cost_usd }));
    const callSpans = ofRun.filter((span) => span.name.startsWith('chat '));
    expect(callSpans).toHaveLength(attempts.length);
    expect(attempts.length).toBe(firewallPlan.files.length + 4); // plan, 7 files, review, README, API
    const rootIds = new Set(roots.map((span) => span.spanId));
    for (const attempt of attempts) {
      const span = callSpans.find((each) => each.attributes['service_creator.request_id'] === attempt.requestId && each.attributes['service_creator.attempt'] === attempt.attemptNo);
      expect(span, `a span for ${attempt.task} ${attempt.requestId}`).toBeDefined();
      expect(rootIds.has(span?.parentSpanId ?? '')).toBe(true);
      expect(span?.attributes).toMatchObject({
        'gen_ai.operation.name': 'chat',
        'gen_ai.system': 'openai',
        'gen_ai.request.model': 'scripted',
        'gen_ai.usage.input_tokens': attempt.inputTokens,
        'gen_ai.usage.output_tokens': attempt.outputTokens,
        'service_creator.task': attempt.task,
        'service_creator.target': 'fake/scripted',
        'service_creator.outcome': 'ok',
        'service_creator.project_id': projectId,
      });
      expect(span?.attributes['service_creator.cost_usd']).toBeCloseTo(attempt.costUsd ?? Number.NaN, 12);
      expect(attempt.costUsd).toBeGreaterThan(0);
    }
    // Its test run, in the same trace.
    const sandboxSpans = ofRun.filter((span) => span.name === 'sandbox run');
    expect(sandboxSpans.map((span) => span.attributes)).toEqual([
      expect.objectContaining({ 'service_creator.sandbox.status': 'finished', 'service_creator.sandbox.outcome': 'failed', 'service_creator.tests.passed': 1, 'service_creator.tests.failed': 1 }),
    ]);
    expect(Buffer.concat(receiver.bodies).includes('assert 404 == 200')).toBe(false);
    // The run's trace is the only trace: every span received belongs to it.
    expect(new Set(spans.map((span) => span.traceId)).size).toBe(1);

    // What leaves this machine names the collector.
    const info = await call<AppInfo>('app.info');
    expect(info.networkUse.some((line) => line.startsWith(`OpenTelemetry collector (${new URL(receiver.url).host})`))).toBe(true);

    // The log file has the run and its calls, never the prompt or the key.
    const logFile = join(dataDir, 'logs', 'service-creator-cli.log');
    expect(existsSync(logFile)).toBe(true);
    const log = readFileSync(logFile, 'utf8');
    const lines = log.trim().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(lines.filter((line) => line.msg === 'generation run ended').map((line) => line.status)).toEqual(['planned', 'done']);
    expect(lines.filter((line) => line.msg === 'model call' && line.runId === run.id)).toHaveLength(attempts.length);
    expect(lines.filter((line) => String(line.msg).startsWith('sandbox run')).map((line) => [line.msg, line.runId, line.status ?? null, line.passed ?? null, line.failed ?? null])).toEqual([
      ['sandbox run started', run.id, null, null, null],
      ['sandbox run ended', run.id, 'finished', 1, 1],
    ]);
    expect(log.includes(marker)).toBe(false);
    expect(log.includes(plantedSecret)).toBe(false);
  });

  it('sends nothing and never loads the SDK when telemetry is off', async () => {
    const { core, call, receiver } = await generate({ enabled: false });
    expect(receiver.requests).toEqual([]);
    expect(core.observability.telemetry.loaded).toBe(false);
    const info = await call<AppInfo>('app.info');
    expect(info.networkUse.filter((line) => line.includes('OpenTelemetry'))).toEqual([]);
  });
});
