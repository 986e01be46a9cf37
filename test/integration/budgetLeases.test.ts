// Budget leases through the real cores, SDK adapter and SQLite: two cores on one data folder stand
// for two processes (a third connection reads the budgets as `budget show` in another process
// would), and a real child process is killed holding a lease. The cloud is a loopback fake whose
// answer each prompt scripts: how many tokens it reports using (priced at $0.01 each), or none
// (the real cost unknown: counted at the call's projection).
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createCore, type Core } from '../../src-main/core/createCore.ts';
import type { SecretStore } from '../../src-main/secrets/SecretStore.ts';
import { BudgetRepository } from '../../src-main/store/BudgetRepository.ts';
import { openDatabase } from '../../src-main/store/openDatabase.ts';
import type { BudgetStatus } from '../../src-shared/domain/budget.ts';
import { coreCaller } from '../support/coreCaller.ts';
import { startFakeOpenAiServer, type FakeStep, type RecordedRequest } from '../support/fakes/fakeOpenAiServer.ts';
import { seededRandom } from '../support/seededRandom.ts';
import { startCallingProcess } from '../support/startCallingProcess.ts';
import { createTempDir, removeTempDirs } from '../support/tempDir.ts';
import { closeAfterEach } from '../support/closeAfterEach.ts';

afterAll(() => removeTempDirs());

const noSecrets: SecretStore = { backend: 'memory', get: async () => undefined, set: async () => undefined, delete: async () => false, has: async () => false };
const env = { CLOUD_KEY: 'sk-test-leases-0000' };
const chatPath = '/v1/chat/completions';
const eps = 1e-9;

interface ChatBody {
  messages: { content: string }[];
  max_tokens?: number;
  max_completion_tokens?: number;
  stream_options?: unknown;
}

const promptOf = (body: ChatBody) => body.messages.at(-1)?.content ?? '';

/** Prompts script the answer: `out=N` tokens used (default the cap), `unknown` (no usage), `delay=MS`, `hang`. */
function respond(request: unknown): FakeStep {
  const body = request as ChatBody;
  const prompt = promptOf(body);
  if (prompt.includes('hang')) return { hang: true };
  const delayMs = Number(/delay=(\d+)/.exec(prompt)?.[1] ?? 0);
  if (prompt.includes('unknown')) {
    // A server that ignores stream_options, as some OpenAI-compatible ones do: no usage is reported.
    delete body.stream_options;
    return { reply: 'answer', delayMs };
  }
  return { reply: 'answer', delayMs, usage: { inputTokens: 5, outputTokens: Number(/out=(\d+)/.exec(prompt)?.[1] ?? body.max_tokens ?? 0) } };
}

/** What a request the server received costs: its reported tokens, or its projection (the cap) when it reports none. */
function costOf(request: RecordedRequest): number {
  const body = request.json as ChatBody;
  const cap = body.max_tokens ?? body.max_completion_tokens ?? 0;
  const prompt = promptOf(body);
  const tokens = prompt.includes('unknown') || prompt.includes('hang') ? cap : Number(/out=(\d+)/.exec(prompt)?.[1] ?? cap);
  return tokens / 100;
}

describe('budget leases across processes', () => {
  const { servers, cores, children, connections } = closeAfterEach();

  async function setUp(limitUsd: number) {
    const cloud = await startFakeOpenAiServer({ respond });
    servers.push(cloud);
    const dataDir = createTempDir('sc-int-leases-');
    const a = createCore({ dataDir, host: 'cli', secrets: noSecrets, env });
    cores.push(a);
    const call = coreCaller(a);
    await call('settings.set', { privacyMode: 'cloud-allowed' });
    await call('providers.add', { config: { id: 'cloud', type: 'openai', label: 'cloud', location: 'cloud', baseUrl: cloud.url, models: ['gpt-fake'], limits: {}, enabled: true, apiKeyEnv: 'CLOUD_KEY' } });
    // $0.01 per answer token, prompts free: a call capped at 100 tokens is projected at $1.00.
    await call('pricing.set', { model: 'gpt-fake', inputPerMillion: 0, outputPerMillion: 10_000 });
    await call('budgets.set', { scope: 'overall', scopeId: '', period: 'month', limitUsd });
    const b = createCore({ dataDir, host: 'cli', secrets: noSecrets, env });
    cores.push(b);
    const db = openDatabase(join(dataDir, 'service-creator.db'));
    connections.push(db);
    const budgets = new BudgetRepository(db);
    const seen = (): BudgetStatus => budgets.statuses()[0] as BudgetStatus;
    const received = () => cloud.requests.filter((request) => request.path === chatPath);
    return { cloud, dataDir, a, b, db, budgets, seen, received };
  }

  const ask = (core: Core, prompt: string, maxTokens = 100) => core.gateway.chat({ task: 'code', maxTokens, messages: [{ role: 'user', content: prompt }] });
  const refusedOrThrow = (error: unknown) => {
    if ((error as { code?: string }).code !== 'BUDGET_EXCEEDED') throw error;
    return 'refused' as const;
  };

  it('two processes racing with varied projections and costs (some unknown): a third connection never sees more than the limit, never less than was sent, and at the end exactly the costs', async () => {
    const { a, b, db, seen, received } = await setUp(20);
    const random = seededRandom(17);
    const samples: { total: number; lowest: number }[] = [];
    const sampler = setInterval(() => {
      const lowest = received().reduce((sum, request) => sum + costOf(request), 0);
      const status = seen();
      samples.push({ total: status.spentUsd + status.reservedUsd, lowest });
    }, 3);
    const worker = async (core: Core) => {
      for (let n = 0; n < 8; n++) {
        const maxTokens = 50 + Math.floor(random() * 100);
        const delay = `delay=${Math.floor(random() * 30)}`;
        const prompt = random() < 0.2 ? `unknown ${delay}` : `out=${Math.floor(maxTokens * random())} ${delay}`;
        await ask(core, prompt, maxTokens).catch(refusedOrThrow);
      }
    };
    await Promise.all([a, a, a, a, b, b, b, b].map(worker));
    clearInterval(sampler);

    expect(samples.length).toBeGreaterThan(8);
    for (const sample of samples) {
      expect(sample.total).toBeLessThanOrEqual(20 + eps);
      expect(sample.total).toBeGreaterThanOrEqual(sample.lowest - eps);
    }
    const sent = received().reduce((sum, request) => sum + costOf(request), 0);
    expect(received().length).toBeLessThan(64); // the budget refused some
    // Once both have read their statuses (giving back idle leases) nothing is reserved, and spent is every cost once.
    await coreCaller(a)('budgets.list');
    const [status] = await coreCaller(b)<BudgetStatus[]>('budgets.list');
    expect(status?.reservedUsd).toBe(0);
    expect(seen().reservedUsd).toBe(0);
    expect(seen().spentUsd).toBeCloseTo(sent, 9);
    expect(sent).toBeLessThanOrEqual(20 + eps);
    const known = db.prepare("SELECT COALESCE(SUM(cost_usd), 0) FROM attempts WHERE outcome = 'ok'").pluck().get() as number;
    const unknownCount = db.prepare("SELECT COUNT(*) FROM attempts WHERE outcome = 'ok' AND cost_usd IS NULL").pluck().get() as number;
    const unknown = received().filter((request) => promptOf(request.json as ChatBody).includes('unknown'));
    expect(unknownCount).toBe(unknown.length);
    expect(unknown.length).toBeGreaterThan(0);
    expect(known + unknown.reduce((sum, request) => sum + costOf(request), 0)).toBeCloseTo(seen().spentUsd, 9);
  }, 60_000);

  it('room for exactly 40 calls admits exactly 40 across two processes, each calling until refused', async () => {
    const { a, b, cloud, seen } = await setUp(40);
    const random = seededRandom(23);
    let answered = 0;
    const worker = async (core: Core) => {
      for (;;) {
        const result = await ask(core, `out=100 delay=${Math.floor(random() * 10)}`).catch(refusedOrThrow);
        if (result === 'refused') return;
        answered += 1;
      }
    };
    await Promise.all([a, a, a, b, b, b].map(worker));
    expect(answered).toBe(40);
    expect(cloud.count(chatPath)).toBe(40);
    await coreCaller(a)('budgets.list');
    await coreCaller(b)('budgets.list');
    expect(seen()).toMatchObject({ spentUsd: 40, reservedUsd: 0 });
  }, 60_000);

  it('a lease idle for 2 s is given back; a budget changed in another process ends it at the next call, which is refused when no room is left', async () => {
    const { a, b, cloud, seen } = await setUp(100);
    await ask(a, 'out=30');
    // $100 / 16 reserved, $0.30 of it spent once its batch is written.
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(seen().spentUsd).toBeCloseTo(0.3, 9);
    expect(seen().reservedUsd).toBeCloseTo(6.25 - 0.3, 9);
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    expect(seen()).toMatchObject({ reservedUsd: 0 });
    expect(seen().spentUsd).toBeCloseTo(0.3, 9);

    await ask(a, 'out=70');
    expect(seen().reservedUsd).toBeGreaterThan(1);
    // Another process lowers the limit to $1.50: $1 spent, so a call projected at $1 has no room.
    await coreCaller(b)('budgets.set', { scope: 'overall', scopeId: '', period: 'month', limitUsd: 1.5 });
    expect(await ask(a, 'out=10').catch(refusedOrThrow)).toBe('refused');
    expect(cloud.count(chatPath)).toBe(2);
    expect(seen()).toMatchObject({ spentUsd: 1, reservedUsd: 0 });
    await coreCaller(b)('budgets.set', { scope: 'overall', scopeId: '', period: 'month', limitUsd: 2 });
    expect((await ask(a, 'out=100')).text).toBe('answer');
    expect(await ask(b, 'out=1', 1).catch(refusedOrThrow)).toBe('refused');
    await coreCaller(a)('budgets.list');
    expect(seen()).toMatchObject({ spentUsd: 2, reservedUsd: 0 });
  }, 30_000);

  it('a process killed mid-call leaves its lease counted, its unwritten costs with it, until the lease lapses', async () => {
    // A lease of $40 / 16 = $2.50: room for the three calls projected at $1 each.
    const { dataDir, cloud, db, seen, received } = await setUp(40);
    for (const core of cores.splice(0)) await core.dispose();
    const child = startCallingProcess(dataDir, env);
    children.push(child);
    await child.waitFor('ready');
    child.send({ op: 'chat', id: 1, prompt: 'out=40' });
    child.send({ op: 'chat', id: 2, prompt: 'out=40' });
    child.send({ op: 'chat', id: 3, prompt: 'hang' });
    await child.waitFor('answered:2');
    while (received().length < 3) await new Promise((resolve) => setTimeout(resolve, 5));
    child.child.kill('SIGKILL');
    await child.exited;
    expect(cloud.count(chatPath)).toBe(3);

    // $0.80 spent (written, or still on the lease's row when its batch was not) and the hung call's
    // $1 projection: the whole lease, nothing taken off it that was not written.
    const killed = seen();
    expect(killed.spentUsd + killed.reservedUsd).toBeCloseTo(2.5, 9);
    expect(killed.reservedUsd).toBeGreaterThanOrEqual(1 - eps);
    const rows = db.prepare("SELECT at_ms AS at, expires_at_ms AS expires FROM budget_ledger WHERE state = 'reserved'").all() as { at: number; expires: number }[];
    expect(rows).toHaveLength(1);
    const [{ at, expires } = { at: 0, expires: 0 }] = rows;
    // Held past the longest call it may take (the call's deadline and a minute).
    expect(expires - at).toBeGreaterThan(60_000);
    const later = (ms: number) => new BudgetRepository(db, () => ms).statuses()[0] as BudgetStatus;
    expect(later(expires - 1)).toMatchObject({ spentUsd: killed.spentUsd, reservedUsd: killed.reservedUsd });
    expect(later(expires + 1)).toMatchObject({ spentUsd: killed.spentUsd, reservedUsd: 0 });
  }, 30_000);
});
