import { describe, expect, it } from 'vitest';
import { createOllamaProvider } from '../../../src-main/providers/ollamaProvider.ts';
import { OllamaApi } from '../../../src-main/providers/ollamaApi.ts';
import { PullTally } from '../../../src-main/providers/PullTally.ts';
import { anthropic, openAi, serve } from '../../support/rawModelServer.ts';

// Model servers that lie or dawdle, as raw node:http servers on 127.0.0.1: Ollama pull progress
// with impossible figures, answers trickled past their bound, model lists of many thousands, a
// redirected /props.

describe('Ollama pull progress that lies', () => {
  it('negative, fractional and string byte counts are dropped, not fatal: the pull goes on to success', async () => {
    const lines = [
      { status: 'pulling manifest' },
      { status: 'pulling abc', digest: 'sha256:abc', total: 100, completed: -50 },
      { status: 'pulling abc', digest: 'sha256:abc', total: -1, completed: 20.5 },
      { status: 'pulling abc', digest: 'sha256:abc', total: '100', completed: 1e300 },
      { status: 'pulling abc', digest: 'sha256:abc', total: 100, completed: 400 },
      { status: 'success' },
    ];
    const url = await serve((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/x-ndjson' });
      res.end(lines.map((line) => `${JSON.stringify(line)}\n`).join(''));
    });
    const tally = new PullTally();
    const seen: unknown[] = [];
    await new OllamaApi(url).pull(
      'm',
      (line) => {
        seen.push(line);
        tally.add(line);
      },
      AbortSignal.timeout(5_000),
    );
    expect(seen[1]).toEqual({ status: 'pulling abc', digest: 'sha256:abc', total: 100 });
    expect(seen[2]).toEqual({ status: 'pulling abc', digest: 'sha256:abc' });
    // total < completed: the bar stops at full.
    expect([tally.completed, tally.total]).toEqual([100, 100]);
  });

  it('a pull whose progress stops ends, in words, once no line came for the stall bound; one that keeps sending goes on past it', async () => {
    let closed = false;
    const stalling = await serve((req, res) => {
      res.writeHead(200, { 'content-type': 'application/x-ndjson' });
      res.write(`${JSON.stringify({ status: 'pulling manifest' })}\n`);
      req.socket.on('close', () => (closed = true));
    });
    const started = Date.now();
    await expect(new OllamaApi(stalling, undefined, { pullStallMs: 300 }).pull('big', () => undefined)).rejects.toMatchObject({
      failure: 'unreachable',
      message: expect.stringMatching(/^The pull of big stalled: Ollama at 127\.0\.0\.1:\d+ sent no progress/),
    });
    expect(Date.now() - started).toBeLessThan(3_000);
    await new Promise((resolve) => setTimeout(resolve, 50));
    // The connection is closed, so Ollama stops the download.
    expect(closed).toBe(true);

    // Progress every 100 ms for 600 ms (twice the bound in all): not a stall.
    const steady = await serve((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/x-ndjson' });
      let sent = 0;
      const timer = setInterval(() => {
        sent += 1;
        if (sent < 6) return void res.write(`${JSON.stringify({ status: 'pulling abc', digest: 'sha256:abc', total: 6, completed: sent })}\n`);
        clearInterval(timer);
        res.end(`${JSON.stringify({ status: 'success' })}\n`);
      }, 100);
    });
    await expect(new OllamaApi(steady, undefined, { pullStallMs: 300 }).pull('big', () => undefined)).resolves.toBeUndefined();
  });

  it('a redirect from Ollama is not followed: the model list and a pull go nowhere else, and the status is said', async () => {
    let elsewhere = 0;
    const other = await serve((_req, res) => {
      elsewhere += 1;
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{"models":[]}');
    });
    const url = await serve((req, res) => {
      res.writeHead(307, { location: `${other}${req.url ?? '/'}` });
      res.end();
    });
    const api = new OllamaApi(url);
    await expect(api.models(AbortSignal.timeout(5_000))).rejects.toMatchObject({ message: expect.stringMatching(/answered 307/) });
    await expect(api.pull('m', () => undefined)).rejects.toMatchObject({ message: expect.stringMatching(/answered 307/) });
    expect(elsewhere).toBe(0);
  });

  it('a cancelled pull is cancelled, not stalled', async () => {
    const url = await serve((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/x-ndjson' });
      res.write(`${JSON.stringify({ status: 'pulling manifest' })}\n`);
    });
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 100);
    await expect(new OllamaApi(url, undefined, { pullStallMs: 5_000 }).pull('big', () => undefined, controller.signal)).rejects.toMatchObject({ failure: 'cancelled' });
  });

  it('a server naming endless layers is believed for the first thousand', () => {
    const tally = new PullTally();
    for (let index = 0; index < 5_000; index += 1) tally.add({ status: 'pulling', digest: `sha256:${index}`, total: 10, completed: 10 });
    expect(tally.total).toBe(10_000);
  });
});

describe('Ollama model lists with hostile entries', () => {
  it('a name no Ollama model has (10 KB, a control character, a direction override) leaves that model out; a bad detail leaves the detail out; neither fails the list', async () => {
    const models = [
      { name: `huge${'x'.repeat(10_000)}`, size: 1 },
      { name: 'bell\u0007:latest', size: 1 },
      { name: '\u202eevil:latest', size: 1 },
      { name: 'odd-details:latest', size: -5, modified_at: 7, details: 'not an object' },
      { name: 'good:7b', size: 42, details: { family: 'llama', parameter_size: '7B', quantization_level: { q: 4 } } },
    ];
    const url = await serve((req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      if (req.url === '/api/tags') return void res.end(JSON.stringify({ models }));
      if (req.url === '/api/version') return void res.end(JSON.stringify({ version: '0.9.1 \u001b[2J\u001b]0;pwned\u0007' }));
      res.end('{}');
    });
    const api = new OllamaApi(url);
    const listed = await api.models(AbortSignal.timeout(5_000));
    expect(listed).toEqual([
      { name: 'odd-details:latest', sizeBytes: 0 },
      { name: 'good:7b', sizeBytes: 42, family: 'llama', parameterSize: '7B' },
    ]);
    expect(await api.version(AbortSignal.timeout(5_000))).toBe('0.9.1');
  });
});

describe('slow servers', () => {
  it('Ollama trickling its answer a byte at a time past the bound is "did not answer in time", not "Cancelled"', async () => {
    const url = await serve((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      const timer = setInterval(() => res.write(' '), 100);
      res.on('close', () => clearInterval(timer));
    });
    const started = performance.now();
    await expect(new OllamaApi(url).version(AbortSignal.timeout(500))).rejects.toMatchObject({ failure: 'unreachable', message: expect.stringMatching(/did not answer in time/) });
    expect(performance.now() - started).toBeLessThan(2_000);
  });
});

describe('model lists of many thousands', () => {
  async function ollamaListing(count: number): Promise<{ url: string; shows: () => number; most: () => number }> {
    const body = JSON.stringify({ models: Array.from({ length: count }, (_, index) => ({ name: `m${index}:latest`, model: `m${index}:latest`, size: 1, digest: 'd', modified_at: '2024-01-01T00:00:00Z', details: {} })) });
    let shows = 0;
    let open = 0;
    let most = 0;
    const url = await serve((req, res) => {
      if (req.url === '/api/tags') return void res.writeHead(200, { 'content-type': 'application/json' }).end(body);
      shows += 1;
      open += 1;
      most = Math.max(most, open);
      setTimeout(() => {
        open -= 1;
        res.writeHead(200, { 'content-type': 'application/json' }).end('{"model_info":{"llama.context_length":4096}}');
      }, 2);
    });
    return { url, shows: () => shows, most: () => most };
  }

  it('Ollama listing 20,000 models: a few are described with /api/show, a few at a time, and a list bounded to 3 s answers within it', async () => {
    const server = await ollamaListing(20_000);
    const started = performance.now();
    const models = await createOllamaProvider({ id: 'oll', baseUrl: server.url }).listModels(AbortSignal.timeout(3_000));
    expect(performance.now() - started).toBeLessThan(3_000);
    expect(models).toHaveLength(20_000);
    expect(models[0]).toMatchObject({ id: 'm0:latest', contextLength: 4096 });
    expect(server.shows()).toBeLessThanOrEqual(64);
    expect(server.most()).toBeLessThanOrEqual(8);
  }, 30_000);

  it("the management API's model list asks the same few", async () => {
    const server = await ollamaListing(5_000);
    const models = await new OllamaApi(server.url).models(AbortSignal.timeout(10_000));
    expect(models).toHaveLength(5_000);
    expect(server.shows()).toBeLessThanOrEqual(64);
    expect(server.most()).toBeLessThanOrEqual(8);
  }, 30_000);
});

describe('model lists of the wrong shape', () => {
  const listing = (body: unknown) => serve((_req, res) => res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(body)));

  it('entries that are not models (null, a number, an id that is not text) are passed over; the rest are listed', async () => {
    const url = await listing({ data: [1, null, { id: 5 }, { id: '' }, { id: 'ok', type: 'model' }] });
    expect(await openAi(url).listModels(AbortSignal.timeout(5_000))).toEqual([{ id: 'ok' }]);
    expect(await anthropic(url).listModels(AbortSignal.timeout(5_000))).toEqual([{ id: 'ok' }]);
  });

  it('a list of only such entries (a string iterated as characters) is a server fault in words, not "3 models"', async () => {
    const url = await listing({ data: 'abc' });
    for (const provider of [openAi(url), anthropic(url)]) {
      await expect(provider.listModels(AbortSignal.timeout(5_000))).rejects.toMatchObject({ kind: 'server', message: expect.stringMatching(/holds 3 entries but no model this app can read/) });
    }
  });

  it("Ollama's /api/tags with null entries, or models not a list, is read as far as it holds models", async () => {
    for (const [body, names] of [
      [{ models: [null, 3, { name: 7 }, { name: 'good:7b', size: 1 }] }, ['good:7b']],
      [{ models: 'abc' }, []],
      [{}, []],
    ] as const) {
      const url = await serve((req, res) => {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify(req.url === '/api/tags' ? body : req.url === '/api/version' ? { version: '0.9.1' } : {}));
      });
      const provider = createOllamaProvider({ id: 'oll', baseUrl: url });
      expect((await provider.listModels(AbortSignal.timeout(5_000))).map((model) => model.id), JSON.stringify(body)).toEqual(names);
      expect(await provider.health(AbortSignal.timeout(5_000))).toMatchObject({ ok: true, models: names });
    }
  });

  it("Anthropic's stated window and output limit are taken only as whole token counts", async () => {
    const url = await listing({ data: [{ id: 'claude-x', type: 'model', max_input_tokens: '200000', max_tokens: -1 }], has_more: false });
    const provider = anthropic(url);
    expect(await provider.listModels(AbortSignal.timeout(5_000))).toEqual([{ id: 'claude-x' }]);
    expect(provider.capabilities('claude-x').contextLength).toBe(200_000);
  });
});

describe('model lists without end', () => {
  it('an Anthropic-style list that always has "more" is read to 10,000 models, not paged until the time runs out', async () => {
    let pages = 0;
    const url = await serve((_req, res) => {
      pages += 1;
      const data = Array.from({ length: 100 }, (_, index) => ({ id: `m${pages}-${index}`, type: 'model', display_name: 'm', created_at: '2024-01-01T00:00:00Z' }));
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ data, has_more: true, first_id: data[0]?.id, last_id: data.at(-1)?.id }));
    });
    const health = await anthropic(url).health(AbortSignal.timeout(10_000));
    expect(health).toMatchObject({ ok: true, detail: '10000 models' });
    expect(pages).toBe(100);
  }, 20_000);
});

describe('redirects', () => {
  it("llama-server's /props is not followed to another host: its window is not believed", async () => {
    const asked: string[] = [];
    const other = await serve((req, res) => {
      asked.push(req.url ?? '');
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ default_generation_settings: { n_ctx: 99_999 } }));
    }, '127.0.0.2');
    const url = await serve((req, res) => {
      if (req.url?.startsWith('/props')) res.writeHead(307, { location: `${other}/props` }).end();
      else res.writeHead(404).end();
    });
    const provider = openAi(url);
    await provider.learnContextLength?.('m', AbortSignal.timeout(5_000));
    expect(asked).toEqual([]);
    expect(provider.capabilities('m').contextLength).toBe(8_192);
  });
});
