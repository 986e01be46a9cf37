import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { serviceSpecSchema } from '../../../src-shared/domain/serviceSpec.ts';
import { countTokens } from '../../../src-main/tokens/countTokens.ts';
import { planProject } from '../../../src-main/pipeline/planProject.ts';
import { createOpenAiProvider } from '../../../src-main/providers/openaiProvider.ts';
import { singleTargetRouter } from '../../support/singleTargetRouter.ts';
import { openAiContextLengthBody, startFakeOpenAiServer, type FakeServer, type FakeStep } from '../../support/fakes/fakeOpenAiServer.ts';
import { vFirewallSpec } from '../../support/interviewScript.ts';
import { firewallPlan } from '../../support/pipelineProject.ts';
import { rejection } from '../../support/rejection.ts';

/**
 * Structured answers against a loopback OpenAI-compatible server that enforces an 8,192-token
 * window the way llama.cpp server and vLLM do: it counts the request's tokens (with the same
 * o200k tokenizer the pipeline uses) plus max_tokens, and answers 400 context_length_exceeded over
 * the window. A cut-off plan must be reported as cut off, a long invalid answer repaired without
 * overflowing, and a runaway plan reported by its file count: never "context too small".
 */
const windowTokens = 8192;
const promptsDir = fileURLToPath(new URL('../../../resources/prompts/', import.meta.url));
const spec = serviceSpecSchema.parse({ ...vFirewallSpec, name: 'Edge firewall' });
const servers: FakeServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

interface Seen {
  tokens: number;
  messages: { role: string; content: string }[];
}

async function windowedServer(answers: FakeStep[]) {
  const seen: Seen[] = [];
  const server = await startFakeOpenAiServer({
    respond: (request) => {
      const body = request as { messages: { role: string; content: string }[]; max_tokens?: number };
      const tokens = body.messages.reduce((sum, message) => sum + countTokens(message.content) + 4, 0) + (body.max_tokens ?? 0);
      seen.push({ tokens, messages: body.messages });
      if (tokens > windowTokens) return { status: 400, body: openAiContextLengthBody };
      return answers.shift() ?? { status: 500 };
    },
  });
  servers.push(server);
  const provider = createOpenAiProvider({ id: 'local', baseUrl: server.url, apiKey: undefined, models: ['m'], contextLengths: { m: windowTokens } });
  const { router, attempts } = singleTargetRouter(provider, { baseDelayMs: 1, maxDelayMs: 5, random: () => 1 }, { baseUrl: server.url });
  const plan = () => planProject((request) => router.chat(request), { spec, promptsDir, contextWindow: windowTokens });
  return { seen, plan, attempts };
}

/** A plan with `count` files whose purposes are long: its JSON runs far past 4,096 tokens. */
function bigPlanJson(count: number, purpose: string): string {
  const files = Array.from({ length: count }, (_, index) => ({
    path: `app/module_${index}.py`,
    purpose,
    language: 'python',
    kind: index === 0 ? 'test' : 'source',
    dependsOn: [],
    exports: [],
  }));
  return JSON.stringify({ files, install: 'pip install -r requirements.txt', test: 'pytest -q' });
}

describe('structured answers within a real token window', () => {
  it('a plan cut off at the token limit (twice) is reported as cut off; no request exceeds the window', async () => {
    const partial = bigPlanJson(40, 'Handles one part of the firewall rules, with validation and storage. '.repeat(6)).slice(0, 18_000);
    const { seen, plan } = await windowedServer([
      { reply: partial, finish: 'length', usage: { inputTokens: 900, outputTokens: 4096 } },
      { reply: partial, finish: 'length', usage: { inputTokens: 900, outputTokens: 4096 } },
    ]);
    const error = await rejection(plan());
    expect(error.code).toBe('INVALID_OUTPUT');
    expect(error.message).toContain('cut off after 4096 tokens');
    expect(error.message).not.toContain('not JSON');
    expect(seen).toHaveLength(2);
    expect(Math.max(...seen.map((request) => request.tokens))).toBeLessThanOrEqual(windowTokens);
    // The repair asks for a shorter answer instead of echoing the cut-off one.
    expect(seen[1]?.messages.some((message) => message.role === 'assistant')).toBe(false);
    expect(seen[1]?.messages.at(-1)?.content).toMatch(/cut off.*shorter/s);
  });

  it('a long invalid plan is echoed in its repair only as far as the window allows, and the repair succeeds', async () => {
    // Valid JSON, wrong shape (an unknown language), ~30,000 characters of dense text.
    const invalid = bigPlanJson(50, 'x7Qz'.repeat(120)).replace(/"python"/g, '"cobol"');
    const { seen, plan } = await windowedServer([{ reply: invalid }, { reply: JSON.stringify(firewallPlan) }]);
    const planned = await plan();
    expect(planned.plan.files).toHaveLength(firewallPlan.files.length);
    expect(seen).toHaveLength(2);
    expect(Math.max(...seen.map((request) => request.tokens))).toBeLessThanOrEqual(windowTokens);
    const echo = seen[1]?.messages.find((message) => message.role === 'assistant')?.content ?? '';
    expect(echo.length).toBeGreaterThan(0);
    expect(echo.length).toBeLessThan(invalid.length);
    expect(seen[1]?.messages.at(-1)?.content).toContain('shown only in part');
  });

  it('a plan listing 5,000 files says "at most 60", not "context too small", and never overflows', async () => {
    const runaway = bigPlanJson(5000, 'a module');
    const { seen, plan, attempts } = await windowedServer([{ reply: runaway, chunks: 64 }, { reply: runaway, chunks: 64 }]);
    const error = await rejection(plan());
    expect(error.code).toBe('INVALID_OUTPUT');
    expect(error.message).toContain('the plan lists 5000 files; at most 60');
    expect(error.message).not.toContain('context too small');
    expect(attempts.every((attempt) => attempt.outcome === 'ok')).toBe(true);
    expect(Math.max(...seen.map((request) => request.tokens))).toBeLessThanOrEqual(windowTokens);
  });
});
