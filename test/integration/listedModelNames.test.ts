// A local server's model list is text we do not control: an id longer than a routing target can
// name (200 characters) is no choice. The router uses the first one it can name, the routing page
// and the provider list say that one, and a list of only such ids leaves the provider unusable in words.
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { createCore, type Core } from '../../src-main/core/createCore.ts';
import { startFakeOpenAiServer } from '../support/fakes/fakeOpenAiServer.ts';
import type { FakeServer } from '../support/fakes/fakeServerBase.ts';
import { coreCaller } from '../support/coreCaller.ts';
import { createTempDir, removeTempDirs } from '../support/tempDir.ts';

afterAll(() => removeTempDirs());

const longName = `m${'x'.repeat(299)}`;

describe('a server listing model ids longer than a target can name', () => {
  const open: (Core | FakeServer)[] = [];
  afterEach(async () => {
    for (const each of open.splice(0)) {
      if ('dispose' in each) await each.dispose();
      else await each.close();
    }
  });

  async function coreWithServerListing(models: string[]) {
    const server = await startFakeOpenAiServer({ models, defaultStep: { reply: 'hello' } });
    const core = createCore({ dataDir: createTempDir('sc-int-listed-'), host: 'cli', env: {} });
    open.push(server, core);
    const call = coreCaller(core);
    const added = await call<{ state: string; detail: string }>('providers.add', { config: { id: 'srv', type: 'openai', label: 'srv', location: 'local', baseUrl: server.url, models: [], limits: {}, enabled: true } });
    return { core, call, added };
  }

  it('passes over the long id: calls, the routing page and the provider list use and name the first one a target can hold', async () => {
    const { core, call, added } = await coreWithServerListing([longName, 'short-model']);
    expect(added).toMatchObject({ state: 'healthy', detail: expect.stringContaining('uses what the server lists: short-model') });
    const explained = await core.dispatch('routing.explain', undefined);
    expect(explained).toMatchObject({ ok: true });
    expect(JSON.stringify(explained)).not.toContain(longName);
    expect((await core.gateway.chat({ task: 'code', messages: [{ role: 'user', content: 'hi' }] })).target.model).toBe('short-model');
    expect(await call('routing.explain')).toEqual(expect.arrayContaining([expect.objectContaining({ task: 'code', target: expect.objectContaining({ model: 'short-model' }) })]));
  });

  it('passes over ids with control or direction characters (a name shown as one it is not): the first plain one is used and named', async () => {
    const hostile = ['\u202eopt-4', 'two\nlines', 'bell\u0007', 'zero\u200bwidth'];
    const { core, added } = await coreWithServerListing([...hostile, 'plain-model']);
    expect(added).toMatchObject({ state: 'healthy', detail: expect.stringContaining('uses what the server lists: plain-model') });
    expect((await core.gateway.chat({ task: 'code', messages: [{ role: 'user', content: 'hi' }] })).target.model).toBe('plain-model');
    const onlyHostile = await coreWithServerListing(hostile);
    expect(onlyHostile.added).toMatchObject({ state: 'not-usable', detail: expect.stringContaining('the server lists 4 models, none with a name a route can hold') });
  });

  it('a list of only such ids leaves the provider unusable, said in words, and the routing page still answers', async () => {
    const { core, added } = await coreWithServerListing([longName]);
    expect(added).toMatchObject({ state: 'not-usable', detail: 'the server lists 1 model, none with a name a route can hold (1 to 200 characters, with no control or direction characters): load another in the server' });
    expect(await core.dispatch('routing.explain', undefined)).toMatchObject({ ok: true });
  });
});
