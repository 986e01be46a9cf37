// Budgets through the real core, SDK adapter, SQLite and CLI: a call over budget sends nothing to
// the cloud server (a loopback fake standing in for one, counting requests) and the error names
// the budget; concurrent calls (in one process and in two) cannot overspend; a budget set by the
// CLI in another process stops the next call of a running `serve`.
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { createCore, type Core } from '../../src-main/core/createCore.ts';
import type { SecretStore } from '../../src-main/secrets/SecretStore.ts';
import type { ProviderConfig } from '../../src-shared/domain/provider.ts';
import { connectClient } from '../support/bridgeClient.ts';
import { runBin, startBin, type RunningCli } from '../support/cliProcess.ts';
import { startFakeOpenAiServer } from '../support/fakes/fakeOpenAiServer.ts';
import type { FakeServer } from '../support/fakes/fakeServerBase.ts';
import { coreCaller } from '../support/coreCaller.ts';
import { createTempDir, removeTempDirs } from '../support/tempDir.ts';

afterAll(() => removeTempDirs());

const noSecrets: SecretStore = { backend: 'memory', get: async () => undefined, set: async () => undefined, delete: async () => false, has: async () => false };
const env = { CLOUD_KEY: 'sk-test-budget-0000' };
const chatPath = '/v1/chat/completions';

function provider(id: string, location: 'cloud' | 'local', url: string): ProviderConfig {
  return { id, type: 'openai', label: id, location, baseUrl: url, models: ['gpt-fake'], limits: {}, enabled: true, ...(location === 'cloud' ? { apiKeyEnv: 'CLOUD_KEY' } : {}) };
}

describe('budgets stop a call before it is sent', () => {
  const servers: FakeServer[] = [];
  const cores: Core[] = [];
  const running: RunningCli[] = [];
  afterEach(async () => {
    for (const child of running.splice(0)) {
      child.child.kill('SIGKILL');
      await child.exited;
    }
    for (const core of cores.splice(0)) await core.dispose();
    for (const server of servers.splice(0)) await server.close();
  });

  async function setUp(options: { reply?: { delayMs?: number; outputTokens?: number } } = {}) {
    const cloud = await startFakeOpenAiServer({
      defaultStep: { reply: 'answer', delayMs: options.reply?.delayMs ?? 0, usage: { inputTokens: 10, outputTokens: options.reply?.outputTokens ?? 100 } },
    });
    servers.push(cloud);
    const dataDir = createTempDir('sc-int-budget-');
    const core = createCore({ dataDir, host: 'cli', secrets: noSecrets, env });
    cores.push(core);
    const call = coreCaller(core);
    await call('settings.set', { privacyMode: 'cloud-allowed' });
    await call('providers.add', { config: provider('cloud', 'cloud', cloud.url) });
    // $0.01 per answer token, prompts free: a call capped at 100 tokens can cost at most $1.00.
    await call('pricing.set', { model: 'gpt-fake', inputPerMillion: 0, outputPerMillion: 10_000 });
    return { cloud, dataDir, core, call };
  }

  /** A CLI `chat` whose request the cloud server holds (its reply is slow): under way, its reservation made. */
  async function chatHeldByServer(cloud: FakeServer, dataDir: string): Promise<RunningCli> {
    const chat = startBin(['chat', '--task', 'code', '--prompt', 'write it', '--max-tokens', '100'], { ...env, SERVICE_CREATOR_HOME: dataDir });
    running.push(chat);
    const until = Date.now() + 20_000;
    while (cloud.count(chatPath) === 0 && Date.now() < until) await new Promise((resolve) => setTimeout(resolve, 20));
    expect(cloud.count(chatPath)).toBe(1);
    return chat;
  }

  const ask = (core: Core, extra: { projectId?: string } = {}) => core.gateway.chat({ task: 'code', maxTokens: 100, messages: [{ role: 'user', content: 'write it' }], ...extra });

  it('over budget: the cloud server gets 0 requests and the error names the budget and what is left; a local target takes the call instead', async () => {
    const { cloud, core, call } = await setUp();
    await call('budgets.set', { scope: 'overall', scopeId: '', period: 'day', limitUsd: 0.5 });
    const refused = await ask(core).catch((error: unknown) => error);
    expect(refused).toMatchObject({ code: 'BUDGET_EXCEEDED', message: expect.stringContaining('over the daily budget: $0.5000 left of $0.5000, and this call could cost up to $1.00') });
    expect(cloud.count(chatPath)).toBe(0);
    const [skipped] = core.gateway.attempts.recent(10, 'skipped');
    expect(skipped).toMatchObject({ providerId: 'cloud', outcome: 'skipped', reason: expect.stringContaining('over the daily budget') });

    // With a local model in the route the call goes there: nothing leaves, nothing is spent.
    const local = await startFakeOpenAiServer({ defaultStep: { reply: 'from here' } });
    servers.push(local);
    await call('providers.add', { config: provider('here', 'local', local.url) });
    await call('routing.set', { routing: { code: [{ providerId: 'cloud', model: 'gpt-fake' }, { providerId: 'here', model: 'gpt-fake' }] } });
    const answered = await ask(core);
    expect(answered).toMatchObject({ text: 'from here', target: { providerId: 'here' } });
    expect(cloud.count(chatPath)).toBe(0);
    expect(local.count(chatPath)).toBe(1);

    // A budget for another provider or project does not count this call; raising it lets it through.
    await call('budgets.set', { scope: 'overall', scopeId: '', period: 'day', limitUsd: 5 });
    await call('routing.set', { routing: { code: [{ providerId: 'cloud', model: 'gpt-fake' }] } });
    expect((await ask(core)).text).toBe('answer');
    expect(cloud.count(chatPath)).toBe(1);
    const [status] = await call<{ spentUsd: number; reservedUsd: number; leftUsd: number }[]>('budgets.list');
    expect(status).toMatchObject({ spentUsd: 1, reservedUsd: 0, leftUsd: 4 });
  });

  it('20 concurrent calls under a budget for 10 spend at most the budget, in one process and across two', async () => {
    const { cloud, dataDir, core, call } = await setUp({ reply: { delayMs: 40 } });
    await call('budgets.set', { scope: 'provider', scopeId: 'cloud', period: 'month', limitUsd: 10 });
    const settled = await Promise.allSettled(Array.from({ length: 20 }, () => ask(core)));
    const answered = settled.filter((result) => result.status === 'fulfilled');
    const refused = settled.flatMap((result) => (result.status === 'rejected' ? [result.reason as { code?: string; message?: string }] : []));
    expect(answered).toHaveLength(10);
    expect(refused).toHaveLength(10);
    for (const error of refused) expect(error).toMatchObject({ code: 'BUDGET_EXCEEDED', message: expect.stringContaining('the monthly budget for provider "cloud"') });
    expect(cloud.count(chatPath)).toBe(10);
    const spent = core.gateway.attempts.recent(100, 'calls').reduce((sum, attempt) => sum + (attempt.costUsd ?? 0), 0);
    expect(spent).toBeCloseTo(10, 6);

    // A second process on the same database, the limit raised by 5: ten more calls race from both.
    const other = createCore({ dataDir, host: 'cli', secrets: noSecrets, env });
    cores.push(other);
    await call('budgets.set', { scope: 'provider', scopeId: 'cloud', period: 'month', limitUsd: 15 });
    const both = await Promise.allSettled([...Array.from({ length: 10 }, () => ask(core)), ...Array.from({ length: 10 }, () => ask(other))]);
    expect(both.filter((result) => result.status === 'fulfilled')).toHaveLength(5);
    expect(cloud.count(chatPath)).toBe(15);
    const [status] = await coreCaller(other)<{ spentUsd: number; reservedUsd: number }[]>('budgets.list');
    expect(status?.spentUsd).toBeCloseTo(15, 6);
    expect(status?.reservedUsd).toBe(0);

    // Six CLI processes race for room for three more calls (the fake answers slowly, so they overlap).
    await call('budgets.set', { scope: 'provider', scopeId: 'cloud', period: 'month', limitUsd: 18 });
    const racing = await Promise.all(Array.from({ length: 6 }, () => runBin(['chat', '--task', 'code', '--prompt', 'write it', '--max-tokens', '100'], { ...env, SERVICE_CREATOR_HOME: dataDir }, 60_000)));
    expect(racing.filter((result) => result.code === 0)).toHaveLength(3);
    for (const result of racing.filter((each) => each.code !== 0)) expect(result.stderr).toContain('over the monthly budget for provider "cloud"');
    expect(cloud.count(chatPath)).toBe(18);
  }, 120_000);

  it('a daily budget is one day for every process, whatever its TZ: a CLI fourteen hours ahead and one eleven behind share it', async () => {
    const { cloud, dataDir, call } = await setUp();
    await call('budgets.set', { scope: 'overall', scopeId: '', period: 'day', limitUsd: 1.5 });
    const chat = (tz: string) => runBin(['chat', '--task', 'code', '--prompt', 'write it', '--max-tokens', '100'], { ...env, SERVICE_CREATOR_HOME: dataDir, TZ: tz }, 60_000);
    // The dates of these two zones always differ; each process used to count the day from its own midnight.
    const ahead = await chat('Pacific/Kiritimati');
    expect(ahead.code, ahead.stderr).toBe(0);
    const behind = await chat('Pacific/Pago_Pago');
    expect(behind.code).not.toBe(0);
    expect(behind.stderr).toContain('over the daily budget: $0.5000 left of $1.50');
    expect(cloud.count(chatPath)).toBe(1);
    // Shown in either zone as the same day, with the zone it is counted in.
    const zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
    for (const tz of ['Pacific/Kiritimati', 'Pacific/Pago_Pago']) {
      const shown = await runBin(['budget', 'show'], { ...env, SERVICE_CREATOR_HOME: dataDir, TZ: tz });
      expect(shown.stdout).toContain('the daily budget: $1.00 of $1.50 used (67 %)');
      expect(shown.stdout).toContain(`Days and months begin at midnight, ${zone} time`);
    }
    // The zone can be changed, in words; a zone no one knows is refused in words.
    const wrong = await runBin(['budget', 'zone', 'Mars/Olympus_Mons'], { ...env, SERVICE_CREATOR_HOME: dataDir });
    expect(wrong.code).not.toBe(0);
    expect(wrong.stderr).toContain('expected a time zone such as Europe/Berlin, America/New_York or UTC, got "Mars/Olympus_Mons"');
    const changed = await runBin(['budget', 'zone', 'Asia/Tokyo'], { ...env, SERVICE_CREATOR_HOME: dataDir });
    expect(changed.stdout).toContain('Days and months begin at midnight, Asia/Tokyo time');
    expect((await runBin(['budget', 'show'], { ...env, SERVICE_CREATOR_HOME: dataDir })).stdout).toContain('Days and months begin at midnight, Asia/Tokyo time');
  }, 120_000);

  it('a process started with TZ set but empty (it names no zone) counts in UTC: it first opens the data folder, shows budgets and records a budgeted call', async () => {
    const cloud = await startFakeOpenAiServer({ defaultStep: { reply: 'answer', usage: { inputTokens: 10, outputTokens: 100 } } });
    servers.push(cloud);
    const dataDir = createTempDir('sc-int-budget-tz-');
    const cli = (args: string[], tz: string) => runBin(args, { ...env, SERVICE_CREATOR_HOME: dataDir, TZ: tz }, 60_000);
    // The first process to open the folder keeps its zone; this one names "Etc/Unknown", which no calendar takes.
    const shown = await cli(['budget', 'zone'], '');
    expect(shown.code, shown.stderr).toBe(0);
    expect(shown.stdout).toContain('Days and months begin at midnight, UTC time');
    const core = createCore({ dataDir, host: 'cli', secrets: noSecrets, env });
    cores.push(core);
    const call = coreCaller(core);
    await call('settings.set', { privacyMode: 'cloud-allowed' });
    await call('providers.add', { config: provider('cloud', 'cloud', cloud.url) });
    await call('pricing.set', { model: 'gpt-fake', inputPerMillion: 0, outputPerMillion: 10_000 });
    await call('budgets.set', { scope: 'overall', scopeId: '', period: 'day', limitUsd: 1.5 });
    const asked = await cli(['chat', '--task', 'code', '--prompt', 'write it', '--max-tokens', '100'], '');
    expect(asked.code, asked.stderr).toBe(0);
    expect(cloud.count(chatPath)).toBe(1);
    // Its cost was written with the day's total, and every process, whatever its zone, counts in the same one.
    for (const tz of ['', 'Asia/Tokyo']) {
      const after = await cli(['budget', 'show'], tz);
      expect(after.stdout).toContain('the daily budget: $1.00 of $1.50 used (67 %)');
      expect(after.stdout).toContain('Days and months begin at midnight, UTC time');
    }
  }, 120_000);

  it('20 concurrent calls cannot overspend even when the prompt is code (more tokens than 4 characters each) and the calls name no answer cap', async () => {
    // The server counts like a real one: code takes about a token per 2.5 bytes, and an answer
    // without max_tokens runs to 8,000 tokens (one with a cap stops there).
    const sentCaps: (number | undefined)[] = [];
    const cloud = await startFakeOpenAiServer({
      respond: (body) => {
        const request = body as { messages: { content: string }[]; max_tokens?: number; max_completion_tokens?: number };
        const cap = request.max_completion_tokens ?? request.max_tokens;
        sentCaps.push(cap);
        const bytes = request.messages.reduce((sum, message) => sum + Buffer.byteLength(message.content, 'utf8'), 0);
        return { reply: 'answer', delayMs: 40, usage: { inputTokens: Math.ceil(bytes / 2.5), outputTokens: Math.min(cap ?? 8_000, 8_000) } };
      },
    });
    servers.push(cloud);
    const core = createCore({ dataDir: createTempDir('sc-int-budget-bound-'), host: 'cli', secrets: noSecrets, env });
    cores.push(core);
    const call = coreCaller(core);
    await call('settings.set', { privacyMode: 'cloud-allowed' });
    await call('providers.add', { config: provider('cloud', 'cloud', cloud.url) });
    // $0.01 a token, prompt and answer alike.
    await call('pricing.set', { model: 'gpt-fake', inputPerMillion: 10_000, outputPerMillion: 10_000 });
    const code = 'def handler(event):\n    return {"status": 200, "body": event["body"][::-1]}\n'.repeat(6);
    // About ten calls as 4 characters a token and a 4,096-token answer would have counted them.
    const limitUsd = 10 * ((Math.ceil(code.length / 4) + 4_096) * 0.01);
    await call('budgets.set', { scope: 'overall', scopeId: '', period: 'month', limitUsd });
    const settled = await Promise.allSettled(Array.from({ length: 20 }, () => core.gateway.chat({ task: 'code', messages: [{ role: 'user', content: code }] })));
    const answered = settled.filter((result) => result.status === 'fulfilled').length;
    expect(answered).toBeGreaterThan(0);
    expect(cloud.count(chatPath)).toBe(answered);
    // Every call sent went with the cap its reservation assumed.
    expect(sentCaps.every((cap) => cap === 4_096)).toBe(true);
    const spent = core.gateway.attempts.recent(100, 'calls').reduce((sum, attempt) => sum + (attempt.costUsd ?? 0), 0);
    expect(spent).toBeGreaterThan(0);
    expect(spent).toBeLessThanOrEqual(limitUsd);
  }, 60_000);

  it('a budget that does not count a call (another provider, another project) leaves its answer uncapped; one that counts it caps it', async () => {
    const { cloud, call, core } = await setUp();
    await call('providers.add', { config: provider('other', 'cloud', cloud.url) });
    const project = await call<{ id: string }>('projects.create', { name: 'Counted project' });
    await call('budgets.set', { scope: 'provider', scopeId: 'other', period: 'day', limitUsd: 5 });
    await call('budgets.set', { scope: 'project', scopeId: project.id, period: 'month', limitUsd: 500 });
    const sentCap = async (extra: { projectId?: string } = {}) => {
      await core.gateway.chat({ task: 'code', messages: [{ role: 'user', content: 'write it' }], ...extra });
      const body = cloud.requests.filter((request) => request.path === chatPath).at(-1)?.json as { max_tokens?: number; max_completion_tokens?: number };
      return body.max_completion_tokens ?? body.max_tokens;
    };
    expect(await sentCap()).toBeUndefined();
    expect(await sentCap({ projectId: project.id })).toBe(4_096);
    await call('budgets.set', { scope: 'provider', scopeId: 'cloud', period: 'day', limitUsd: 500 });
    expect(await sentCap()).toBe(4_096);
  });

  it('an answer cut off after it streamed counts its reservation as spent (the provider bills what it generated); one refused before any token costs nothing', async () => {
    const { cloud, call, core } = await setUp();
    await call('budgets.set', { scope: 'overall', scopeId: '', period: 'month', limitUsd: 100 });
    // The connection drops after 20 tokens; the retry answers (100 tokens: $1.00).
    cloud.enqueue({ resetAfterTokens: 20, reply: 'a streamed answer that the connection cuts off before its end' });
    expect((await ask(core)).text).toBe('answer');
    expect(cloud.count(chatPath)).toBe(2);
    const [afterCut] = await call<{ spentUsd: number; reservedUsd: number }[]>('budgets.list');
    // $1.00 answered plus the cut-off try at what it could have cost ($1.00: 100 tokens at most).
    expect(afterCut?.spentUsd).toBeCloseTo(2, 6);
    expect(afterCut?.reservedUsd).toBe(0);

    // Refused before anything was generated (a 500, then the answer): only the answer counts.
    cloud.enqueue({ status: 500 });
    expect((await ask(core)).text).toBe('answer');
    const [afterRefusal] = await call<{ spentUsd: number }[]>('budgets.list');
    expect(afterRefusal?.spentUsd).toBeCloseTo(3, 6);
  });

  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    it(`chat stopped by ${signal} mid-call gives its budget reservation back at once`, async () => {
      const { cloud, dataDir, call } = await setUp({ reply: { delayMs: 20_000 } });
      await call('budgets.set', { scope: 'overall', scopeId: '', period: 'day', limitUsd: 5 });
      const chat = await chatHeldByServer(cloud, dataDir);
      const [during] = await call<{ reservedUsd: number }[]>('budgets.list');
      expect(during?.reservedUsd).toBeGreaterThan(0);
      chat.child.kill(signal);
      const exit = await chat.exited;
      expect(exit.signal === null && exit.code !== 0).toBe(true);
      const [after] = await call<{ reservedUsd: number; spentUsd: number }[]>('budgets.list');
      expect(after).toMatchObject({ reservedUsd: 0, spentUsd: 0 });
    }, 60_000);
  }

  it('a chat killed outright mid-call (kill -9) holds nothing once it is gone: the next process gives its reservation back at once', async () => {
    const { cloud, dataDir, call, core } = await setUp({ reply: { delayMs: 20_000 } });
    // Room for one call's worst case ($1.00) and a little: while the killed call's reservation counts, no other call fits.
    await call('budgets.set', { scope: 'overall', scopeId: '', period: 'day', limitUsd: 1.5 });
    const chat = await chatHeldByServer(cloud, dataDir);
    const [during] = await call<{ reservedUsd: number }[]>('budgets.list');
    expect(during?.reservedUsd).toBeGreaterThanOrEqual(1);
    chat.child.kill('SIGKILL');
    expect(await chat.exited).toMatchObject({ signal: 'SIGKILL' });

    // Another CLI process shows the budgets: nothing is held by the process that is gone.
    const shown = await runBin(['budget', 'show', '--json'], { ...env, SERVICE_CREATOR_HOME: dataDir });
    expect(shown.code, shown.stderr).toBe(0);
    expect(shown.stdout).toContain('"reservedUsd":0');
    // And this core's next call fits the room the killed call held (it reserves $1.00 of $1.50).
    cloud.enqueue({ reply: 'answer', usage: { inputTokens: 10, outputTokens: 100 } });
    expect((await ask(core)).text).toBe('answer');
  }, 60_000);

  it('a reservation of a process that is still alive is not taken from it', async () => {
    const { cloud, dataDir, call } = await setUp({ reply: { delayMs: 20_000 } });
    await call('budgets.set', { scope: 'overall', scopeId: '', period: 'day', limitUsd: 1.5 });
    await chatHeldByServer(cloud, dataDir);
    const shown = await runBin(['budget', 'show', '--json'], { ...env, SERVICE_CREATOR_HOME: dataDir });
    expect(shown.code, shown.stderr).toBe(0);
    expect(shown.stdout).not.toContain('"reservedUsd":0');
    const second = await runBin(['chat', '--task', 'code', '--prompt', 'write it', '--max-tokens', '100'], { ...env, SERVICE_CREATOR_HOME: dataDir });
    expect(second.code).toBe(1);
    expect(second.stderr).toContain('over the daily budget');
    expect(cloud.count(chatPath)).toBe(1);
  }, 60_000);

  it('warns once at 80 %: an event for the pages, a line on stderr from the CLI', async () => {
    const { core, call, dataDir } = await setUp({ reply: { outputTokens: 100 } });
    const warnings: string[] = [];
    core.bus.subscribe((event, payload) => {
      if (event === 'budgets.warning') warnings.push((payload as { label: string }).label);
    });
    await call('budgets.set', { scope: 'overall', scopeId: '', period: 'day', limitUsd: 3.5 });
    await ask(core); // $1 of $3.50: 29 %
    await ask(core); // 57 %
    expect(warnings).toEqual([]);
    // Another process's call reserves the third dollar: 86 %, said on its stderr.
    const cli = await runBin(['chat', '--task', 'code', '--prompt', 'write it', '--max-tokens', '100'], { ...env, SERVICE_CREATOR_HOME: dataDir });
    expect(cli.code).toBe(0);
    expect(cli.stderr).toContain('Warning: the daily budget has used 86 % ($3.00 of $3.50); $0.5000 left');
    const fourth = await ask(core).catch((error: unknown) => error);
    expect(fourth).toMatchObject({ code: 'BUDGET_EXCEEDED' });
    await call('budgets.set', { scope: 'overall', scopeId: '', period: 'day', limitUsd: 4.2 });
    await ask(core); // 95 %: this process warns once
    expect(warnings).toEqual(['the daily budget']);
  }, 60_000);

  it('refuses a call to a cloud model with no known price while a budget counts it, saying how to fix it', async () => {
    const { cloud, core, call } = await setUp();
    await call('pricing.reset', { model: 'gpt-fake' });
    await call('budgets.set', { scope: 'overall', scopeId: '', period: 'month', limitUsd: 100 });
    const refused = await ask(core).catch((error: unknown) => error);
    expect(refused).toMatchObject({ code: 'BUDGET_EXCEEDED', message: expect.stringContaining('no price is known for gpt-fake, so the monthly budget could not be kept; add its price under Pricing') });
    expect(cloud.count(chatPath)).toBe(0);
  });

  it('a budget set with the CLI stops the next call of a running serve; the CLI shows and clears it', async () => {
    const { cloud, dataDir, core } = await setUp();
    const project = await coreCaller(core)<{ id: string }>('projects.create', { name: 'Firewall service' });
    await core.dispose();
    cores.splice(0);
    const cliEnv = { ...env, SERVICE_CREATOR_HOME: dataDir };
    const serve = startBin(['serve', '--json'], cliEnv);
    running.push(serve);
    const listening = await serve.waitForJson<{ url: string; port: number }>('listening');
    const client = await connectClient(listening.port, listening.url.split('#token=')[1] as string);

    const set = await runBin(['budget', 'set', '0.25', '--project', 'Firewall service', '--period', 'month'], cliEnv);
    expect(set.code).toBe(0);
    expect(set.stdout).toContain('Set the monthly budget for project "Firewall service": $0 of $0.2500 used (0 %), $0.2500 left');

    const next = await client.invoke('interview.next', { projectId: project.id });
    expect(JSON.stringify(next)).toContain('the monthly budget for project \\"Firewall service\\"');
    expect(cloud.count(chatPath)).toBe(0);

    const shown = await runBin(['budget', 'show'], cliEnv);
    expect(shown.stdout).toContain('the monthly budget for project "Firewall service": $0 of $0.2500 used');
    const cleared = await runBin(['budget', 'clear', '--project', 'Firewall service', '--period', 'month'], cliEnv);
    expect(cleared.stdout).toContain('Removed that budget.');
    expect((await runBin(['budget', 'show'], cliEnv)).stdout).toContain('No budget is set');
    const bad = await runBin(['budget', 'set', 'ten'], cliEnv);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('expected an amount in US dollars from 0 to 1000000 (at most 4 decimal places, e.g. 12.50 or $1,200), got "ten"');
    await client.close();
  }, 120_000);
});
