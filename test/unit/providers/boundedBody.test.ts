import { describe, expect, it } from 'vitest';
import { boundedBody, bodyLimits } from '../../../src-main/providers/boundedBody.ts';
import { ProviderError } from '../../../src-main/providers/ProviderError.ts';

const limits = { ...bodyLimits, lineBytes: 64, jsonBytes: 100, errorBytes: 10 };
const encoder = new TextEncoder();

async function readAll(body: ReadableStream<Uint8Array> | null): Promise<string> {
  let text = '';
  for await (const chunk of body as ReadableStream<Uint8Array>) text += new TextDecoder().decode(chunk);
  return text;
}

/** A response whose body arrives in the given pieces. */
function responseOf(pieces: string[], init: ResponseInit): Response {
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      for (const piece of pieces) controller.enqueue(encoder.encode(piece));
      controller.close();
    },
  });
  return new Response(body, init);
}

describe('boundedBody', () => {
  it('reads a whole answer (json, text) through the bound', async () => {
    const bounded = boundedBody('p', responseOf(['{"data":', '[1,2,3]}'], { headers: { 'content-type': 'application/json' } }), limits);
    expect(await bounded.json()).toEqual({ data: [1, 2, 3] });

    const large = boundedBody('p', responseOf(['{"data":"', 'x'.repeat(200), '"}'], { headers: { 'content-type': 'application/json' } }), limits);
    const refused = await large.text().catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(ProviderError);
    expect(refused).toMatchObject({ kind: 'server', message: expect.stringContaining('an answer of more than') });
  });

  it('cuts an error answer at its bound, for text and for the body alike', async () => {
    const error = boundedBody('p', responseOf(['0123456', '789abcdef'], { status: 500, headers: { 'content-type': 'application/json' } }), limits);
    expect(await error.text()).toBe('0123456789');
    const streamed = boundedBody('p', responseOf(['0123456789abcdef'], { status: 502 }), limits);
    const chunks: string[] = [];
    for await (const chunk of streamed.body as ReadableStream<Uint8Array>) chunks.push(new TextDecoder().decode(chunk));
    expect(chunks.join('')).toBe('0123456789');
  });

  it('refuses a streamed line past its bound, and passes lines that end in time; the stream is the same response\'s body, and nothing reads past it', async () => {
    const served = responseOf(['data: a\n\n', 'data: ', 'b\n\n'], { headers: { 'content-type': 'text/event-stream' } });
    const fine = boundedBody('p', served, limits);
    expect(fine).toBe(served);
    expect(await readAll(fine.body)).toBe('data: a\n\ndata: b\n\n');
    const endless = boundedBody('p', responseOf(['data: ', 'y'.repeat(40), 'y'.repeat(40)], { headers: { 'content-type': 'text/event-stream' } }), limits);
    await expect(readAll(endless.body)).rejects.toMatchObject({ kind: 'server', message: expect.stringContaining('a line of more than') });
    // Piped (Ollama's NDJSON is read through a TextDecoderStream) and iterated alike.
    const piped = boundedBody('p', responseOf(['{"a":1}\n', 'w'.repeat(100)], { headers: { 'content-type': 'application/x-ndjson' } }), limits);
    const decoded = (piped.body as ReadableStream<Uint8Array>).pipeThrough(new TextDecoderStream()).getReader();
    expect(await decoded.read()).toEqual({ done: false, value: '{"a":1}\n' });
    await expect(decoded.read()).rejects.toMatchObject({ kind: 'server' });
    const iterated = boundedBody('p', responseOf(['data: x\n\n'], { headers: { 'content-type': 'text/event-stream' } }), limits);
    const seen: string[] = [];
    for await (const chunk of iterated.body as ReadableStream<Uint8Array>) seen.push(new TextDecoder().decode(chunk));
    expect(seen).toEqual(['data: x\n\n']);
    // The server's own body is held by the bound: reading it whole another way fails rather than reading without one.
    const other = boundedBody('p', responseOf(['data: ', 'z'.repeat(200)], { headers: { 'content-type': 'text/event-stream' } }), limits);
    await expect(other.text()).rejects.toThrow();
  });

  it('a whole answer cloned gives both readers all of it', async () => {
    const bounded = boundedBody('p', responseOf(['{"a":', '1}'], { status: 201, headers: { 'content-type': 'application/json' } }), limits);
    const copy = bounded.clone();
    expect(copy.status).toBe(201);
    expect(await copy.json()).toEqual({ a: 1 });
    expect(await bounded.json()).toEqual({ a: 1 });
  });
});
