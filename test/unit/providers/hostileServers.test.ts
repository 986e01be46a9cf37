import type { IncomingMessage, ServerResponse } from 'node:http';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { createOllamaProvider } from '../../../src-main/providers/ollamaProvider.ts';
import { OllamaApi } from '../../../src-main/providers/ollamaApi.ts';
import { ProviderError } from '../../../src-main/providers/ProviderError.ts';
import type { ChatChunk } from '../../../src-main/modelCall/modelCallTypes.ts';
import { anthropic, ask, chunk, data, endless, event, expectWords, key, openAi, outcome, serve, sse } from '../../support/rawModelServer.ts';

// Model servers that break the protocol on purpose, as raw node:http servers on 127.0.0.1, met
// through the real SDKs: lines without end, bodies without end, gzip bombs, chunks of the wrong
// shape, events out of order, JSON where a stream was asked for, escapes in error text.

describe('bounded reading', () => {
  it('an event-stream line that never ends is refused past its limit in words, and the connection closed (not buffered to the end)', async () => {
    let written: Promise<number> | undefined;
    const url = await serve((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      written = endless(res, 'a'.repeat(1 << 20), 256 << 20);
    });
    const { error } = await outcome(openAi(url).chat(ask, AbortSignal.timeout(20_000)));
    expect(error?.kind).toBe('server');
    expect(error?.message).toMatch(/a line of more than 16 MB without an end/);
    expect(await written).toBeLessThan(128 << 20);
  }, 30_000);

  it('an error answer whose body never ends is cut, and the failure still says its status', async () => {
    let written: Promise<number> | undefined;
    const url = await serve((_req, res) => {
      res.writeHead(502, { 'content-type': 'application/json' });
      written = endless(res, `${'{"error": "'}${'x'.repeat(1 << 16)}`, 256 << 20);
    });
    const { error } = await outcome(openAi(url).chat(ask, AbortSignal.timeout(20_000)));
    expect(error?.kind).toBe('server');
    expect(error?.status).toBe(502);
    expect(error?.message.length).toBeLessThan(600);
    expect(await written).toBeLessThan(128 << 20);
  }, 30_000);

  it('a gzip bomb for a model list (a few hundred KB inflating past the limit) is refused, not taken for an empty list', async () => {
    const bomb = gzipSync(Buffer.concat([Buffer.from('{"object":"list","data":['), Buffer.alloc(80 << 20, 0x20), Buffer.from(']}')]));
    const url = await serve((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-encoding': 'gzip', 'content-length': bomb.length });
      res.end(bomb);
    });
    expect(bomb.length).toBeLessThan(1 << 20);
    const failed = await openAi(url).listModels(AbortSignal.timeout(20_000)).then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(failed).toBeInstanceOf(ProviderError);
    expect((failed as ProviderError).kind).toBe('server');
    expect((failed as ProviderError).message).toMatch(/an answer of more than 64 MB/);
  }, 30_000);

  it("Ollama's management answers (a model list, an error) are read bounded, not to their end and then measured", async () => {
    const written: Promise<number>[] = [];
    const url = await serve((req, res) => {
      res.writeHead(req.url === '/api/tags' ? 200 : 500, { 'content-type': 'application/json' });
      written.push(endless(res, `{"models": [${' '.repeat(1 << 16)}`, 256 << 20));
    });
    const api = new OllamaApi(url);
    await expect(api.models(AbortSignal.timeout(20_000))).rejects.toMatchObject({ failure: 'malformed', message: expect.stringMatching(/answered \/api\/tags with more than 8 MB/) });
    await expect(api.delete('m', AbortSignal.timeout(20_000))).rejects.toMatchObject({ failure: 'server', message: expect.stringMatching(/answered 500/) });
    for (const bytes of await Promise.all(written)) expect(bytes).toBeLessThan(128 << 20);
  }, 30_000);

  it("llama-server's /props sent in chunks without end is given up on at its bound", async () => {
    let written: Promise<number> | undefined;
    const url = await serve((req, res) => {
      if (!req.url?.startsWith('/props')) return void res.writeHead(404).end();
      res.writeHead(200, { 'content-type': 'application/json' });
      written = endless(res, `{"n_ctx": 4096, "pad": "${'p'.repeat(1 << 16)}`, 256 << 20);
    });
    const provider = openAi(url);
    await provider.learnContextLength?.('m', AbortSignal.timeout(20_000));
    expect(provider.capabilities('m').contextLength).toBe(8_192);
    expect(await written).toBeLessThan(128 << 20);
  }, 30_000);
});

describe('OpenAI-compatible chunks of the wrong shape', () => {
  it('choices null or missing (keep-alives) are chunks without a choice: the answer around them still comes', async () => {
    const url = await serve((_req, res) =>
      sse(res, [
        data(chunk(null)),
        data({ id: 'c', object: 'chat.completion.chunk' }),
        data(chunk([{ index: 0, delta: null, finish_reason: null }])),
        data(chunk([{ index: 0, delta: { content: 'hello' }, finish_reason: 'stop' }])),
        data(chunk(null, { usage: { prompt_tokens: 3, completion_tokens: 1 } })),
        'data: [DONE]\n\n',
      ]),
    );
    const { chunks, error } = await outcome(openAi(url).chat(ask, AbortSignal.timeout(5_000)));
    expect(error).toBeUndefined();
    expect(chunks).toEqual([
      { type: 'text', text: 'hello' },
      { type: 'usage', inputTokens: 3, outputTokens: 1 },
      { type: 'finish', reason: 'stop' },
    ]);
  });

  it('a stream of JSON that is not chat chunks says so in words (a server fault), quoting what came', async () => {
    const url = await serve((_req, res) => sse(res, [data({ hello: 1 }), data([1, 2]), data('text'), 'data: [DONE]\n\n']));
    const { error } = await outcome(openAi(url).chat(ask, AbortSignal.timeout(5_000)));
    expect(error?.kind).toBe('server');
    expect(error?.message).toMatch(/is not in the OpenAI chat format \(it sent "\{"hello":1\}"\)/);
    expectWords(error?.message ?? '');
  });

  it('content that is not text is not passed on as text', async () => {
    const url = await serve((_req, res) => sse(res, [data(chunk([{ index: 0, delta: { content: { evil: true } }, finish_reason: null }])), data(chunk([{ index: 0, delta: { content: 'ok' }, finish_reason: 'stop' }]))]));
    const { chunks } = await outcome(openAi(url).chat(ask, AbortSignal.timeout(5_000)));
    expect(chunks.filter((item) => item.type === 'text')).toEqual([{ type: 'text', text: 'ok' }]);
  });
});

describe('Anthropic events out of order or incomplete', () => {
  const stop = event({ type: 'message_stop' });

  it('content before message_start and a message_delta without usage: the text and the finish, no usage invented, no crash', async () => {
    const url = await serve((_req, res) =>
      sse(res, [event({ type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: 'early' } } as { type: string }), event({ type: 'message_delta', delta: { stop_reason: 'end_turn' } } as { type: string }), stop]),
    );
    const { chunks, error } = await outcome(anthropic(url).chat(ask, AbortSignal.timeout(5_000)));
    expect(error).toBeUndefined();
    expect(chunks).toEqual([
      { type: 'text', text: 'early' },
      { type: 'finish', reason: 'stop' },
    ]);
  });

  it('usage with strings is not summed as text ("5" + 0 is "50"): the counts go on as not numbers, which the router records as unknown', async () => {
    const url = await serve((_req, res) =>
      sse(res, [
        event({ type: 'message_start', message: { id: 'm', type: 'message', role: 'assistant', content: [], model: 'm', usage: { input_tokens: '5', cache_read_input_tokens: 0, output_tokens: null } } } as { type: string }),
        event({ type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: 'hi' } } as { type: string }),
        event({ type: 'message_delta', delta: { stop_reason: 'end_turn' }, usage: { output_tokens: 'x' } } as { type: string }),
        stop,
      ]),
    );
    const { chunks } = await outcome(anthropic(url).chat(ask, AbortSignal.timeout(5_000)));
    const usage = chunks.find((item) => item.type === 'usage');
    expect(usage).toBeDefined();
    expect(Number.isNaN((usage as { inputTokens: number }).inputTokens)).toBe(true);
    expect(Number.isNaN((usage as { outputTokens: number }).outputTokens)).toBe(true);
  });

  it('events whose data is null or a number are passed over', async () => {
    const url = await serve((_req, res) =>
      sse(res, ['event: message_start\ndata: null\n\n', 'event: content_block_delta\ndata: 5\n\n', event({ type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: 'fine' } } as { type: string }), event({ type: 'message_delta', delta: { stop_reason: 'end_turn' } } as { type: string }), stop]),
    );
    const { chunks, error } = await outcome(anthropic(url).chat(ask, AbortSignal.timeout(5_000)));
    expect(error).toBeUndefined();
    expect(chunks).toEqual([
      { type: 'text', text: 'fine' },
      { type: 'finish', reason: 'stop' },
    ]);
  });

  it('a message_delta whose stop reason is missing or not a word is no whole answer', async () => {
    for (const delta of [{}, { stop_reason: { evil: 1 } }, { stop_reason: 7 }]) {
      const url = await serve((_req, res) => sse(res, [event({ type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: 'part' } } as { type: string }), event({ type: 'message_delta', delta, usage: { output_tokens: 1 } } as { type: string }), stop]));
      const { error } = await outcome(anthropic(url).chat(ask, AbortSignal.timeout(5_000)));
      expect(error?.message, JSON.stringify(delta)).toMatch(/ended without saying why \(no stop reason\)/);
    }
  });

  it('message_start without a message, a delta without its delta, and message_stop without a stop reason: a server fault in words', async () => {
    const url = await serve((_req, res) => sse(res, [event({ type: 'message_start' }), event({ type: 'content_block_delta', index: 0 } as { type: string }), stop]));
    const { error } = await outcome(anthropic(url).chat(ask, AbortSignal.timeout(5_000)));
    expect(error?.kind).toBe('server');
    expect(error?.message).toMatch(/ended without saying why \(no stop reason\)/);
    expectWords(error?.message ?? '');
  });
});

describe('Ollama chat lines of the wrong shape', () => {
  it('a null line, a number, a list and content that is not text are passed over; the answer around them comes', async () => {
    const lines = [null, { message: { content: 5 } }, { message: { content: 'hello' } }, 7, [1], { message: { content: ' there' } }, { done: true, done_reason: 'stop', prompt_eval_count: 3, eval_count: 2 }];
    const url = await serve((_req, res) => res.writeHead(200, { 'content-type': 'application/x-ndjson' }).end(lines.map((line) => `${JSON.stringify(line)}\n`).join('')));
    const { chunks, error } = await outcome(createOllamaProvider({ id: 'oll', baseUrl: url }).chat(ask, AbortSignal.timeout(5_000)));
    expect(error).toBeUndefined();
    expect(chunks).toEqual([
      { type: 'text', text: 'hello' },
      { type: 'text', text: ' there' },
      { type: 'usage', inputTokens: 3, outputTokens: 2 },
      { type: 'finish', reason: 'stop' },
    ]);
  });
});

describe('a mislabelled answer', () => {
  it('a model list of more than the peeked 2 KB sent as text/plain is read whole (the peek let go of its copy)', async () => {
    const ids = Array.from({ length: 200 }, (_, index) => `model-number-${index}`);
    const url = await serve((_req, res) => res.writeHead(200, { 'content-type': 'text/plain' }).end(JSON.stringify({ object: 'list', data: ids.map((id) => ({ id, object: 'model' })) })));
    const models = await openAi(url).listModels(AbortSignal.timeout(5_000));
    expect(models.map((model) => model.id)).toEqual(ids);
  });
});

describe('a JSON answer where a stream was asked for', () => {
  const json = (body: unknown) => (_req: IncomingMessage, res: ServerResponse) => res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(body));

  it('an error sent with 200 is that error in its words and kind, not a connection "cut off"', async () => {
    const openAiError = await serve(json({ error: { message: 'model "m" not found, try pulling it first', type: 'invalid_request_error', code: 404 } }));
    const first = await outcome(openAi(openAiError).chat(ask, AbortSignal.timeout(5_000)));
    expect(first.error?.kind).toBe('not-found');
    expect(first.error?.message).toMatch(/^oai: 200 OK, but with an error instead of the streamed answer: model "m" not found, try pulling it first\. /);
    const anthropicError = await serve(json({ type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } }));
    const second = await outcome(anthropic(anthropicError).chat(ask, AbortSignal.timeout(5_000)));
    expect(second.error?.kind).toBe('server');
    expect(second.error?.message).toMatch(/^ant: 200 OK, but with an error instead of the streamed answer: Overloaded\. /);
  });

  it('a server that does not stream (a whole completion at once) is said to, and not retried as a broken connection', async () => {
    const url = await serve(json({ id: 'x', object: 'chat.completion', choices: [{ index: 0, message: { role: 'assistant', content: 'whole' }, finish_reason: 'stop' }] }));
    const { error } = await outcome(openAi(url).chat(ask, AbortSignal.timeout(5_000)));
    expect(error?.kind).toBe('bad-request');
    expect(error?.message).toMatch(/JSON instead of the streamed answer that was asked for .*does not stream/);
  });

  it('an event stream under a JSON label still streams, its first token not held back', async () => {
    let release: () => void = () => undefined;
    const url = await serve((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write(data(chunk([{ index: 0, delta: { content: 'first' }, finish_reason: null }])));
      release = () => res.end(data(chunk([{ index: 0, delta: { content: ' second' }, finish_reason: 'stop' }])));
    });
    const stream = openAi(url).chat(ask, AbortSignal.timeout(5_000))[Symbol.asyncIterator]();
    expect((await stream.next()).value).toEqual({ type: 'text', text: 'first' });
    release();
    const rest: ChatChunk[] = [];
    for (let next = await stream.next(); !next.done; next = await stream.next()) rest.push(next.value);
    expect(rest).toEqual([
      { type: 'text', text: ' second' },
      { type: 'finish', reason: 'stop' },
    ]);
  });
});

describe("Anthropic's error words", () => {
  it('an error answer and an in-stream error event say the server\'s sentence, not its body as JSON', async () => {
    const body = (type: string, message: string) => JSON.stringify({ type: 'error', error: { type, message } });
    const refused = await serve((_req, res) => res.writeHead(400, { 'content-type': 'application/json' }).end(body('invalid_request_error', 'max_tokens: 999999 > 8192, the most for this model')));
    const failed = await outcome(anthropic(refused).chat(ask, AbortSignal.timeout(5_000)));
    expect(failed.error?.kind).toBe('bad-request');
    expect(failed.error?.message).toMatch(/^ant: 400 Bad Request: max_tokens: 999999 > 8192, the most for this model\. /);
    const broken = await serve((_req, res) => sse(res, [`event: error\ndata: ${body('overloaded_error', 'Overloaded')}\n\n`]));
    const midway = await outcome(anthropic(broken).chat(ask, AbortSignal.timeout(5_000)));
    expect(midway.error?.kind).toBe('server');
    expect(midway.error?.message).toMatch(/^ant: the server reported an error in the middle of its answer: Overloaded\. /);
  });
});

describe('hostile text in errors', () => {
  it('terminal escapes in an error body go whole (no "[2J" or "]0;title" left), and the echoed key is scrubbed', async () => {
    const url = await serve((_req, res) => {
      res.writeHead(400, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: { message: `bad \u001b[2J\u001b[31mred\u001b[0m \u001b]0;pwned\u0007title key ${key} \u202eevil` } }));
    });
    const { error } = await outcome(openAi(url).chat(ask, AbortSignal.timeout(5_000)));
    expect(error?.message).toMatch(/bad red title key \[redacted\] evil/);
    expectWords(error?.message ?? '');
  });

  it("Ollama's in-stream error is bounded and stripped like any server text", async () => {
    const url = await serve((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/x-ndjson' });
      res.end(`${JSON.stringify({ model: 'm', message: { role: 'assistant', content: 'a' }, done: false })}\n${JSON.stringify({ error: `\u001b[31mboom\u001b[0m ${'z'.repeat(100_000)}` })}\n`);
    });
    const { error } = await outcome(createOllamaProvider({ id: 'oll', baseUrl: url }).chat(ask, AbortSignal.timeout(5_000)));
    expect(error?.kind).toBe('server');
    expect(error?.message).toMatch(/reported an error in the middle of its answer: boom z+…/);
    expect(error?.message.length).toBeLessThan(600);
    expectWords(error?.message ?? '');
  });
});
