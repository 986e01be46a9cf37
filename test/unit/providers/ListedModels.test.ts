import { describe, expect, it } from 'vitest';
import type { ProviderConfig } from '../../../src-shared/domain/provider.ts';
import type { LlmProvider, ModelInfo } from '../../../src-main/providers/LlmProvider.ts';
import { ListedModels } from '../../../src-main/providers/ListedModels.ts';

const config = (patch: Partial<ProviderConfig>): ProviderConfig => ({
  id: 'lm',
  type: 'openai',
  label: 'LM',
  location: 'local',
  baseUrl: 'http://127.0.0.1:1234/v1',
  models: [],
  limits: {},
  enabled: true,
  ...patch,
});

/** An adapter whose model list is `lists()`, counting the questions. */
function adapterListing(lists: () => Promise<ModelInfo[]>): { adapter: () => Promise<LlmProvider>; asked: () => number } {
  let asked = 0;
  const provider = {
    listModels: async () => {
      asked += 1;
      return lists();
    },
  } as Partial<LlmProvider> as LlmProvider;
  return { adapter: async () => provider, asked: () => asked };
}

describe('ListedModels ("use what the server lists")', () => {
  it('asks only local servers with no model named, of a type that lists from its server', () => {
    const listed = new ListedModels({ listsFromServer: (type) => type !== 'llama-cpp' });
    expect(listed.wants(config({}))).toBe(true);
    expect(listed.wants(config({ models: ['m1'] }))).toBe(false);
    // A cloud vendor's list is everything it sells, and asking it would contact the cloud unasked.
    expect(listed.wants(config({ location: 'cloud' }))).toBe(false);
    expect(listed.wants(config({ enabled: false }))).toBe(false);
    expect(listed.wants(config({ type: 'llama-cpp' }))).toBe(false);
  });

  it('gives the first listed model, keeps the list a while, asks again after, and a failure is retried sooner', async () => {
    let now = 0;
    let answer: () => Promise<ModelInfo[]> = async () => [{ id: 'qwen' }, { id: 'llama' }];
    const { adapter, asked } = adapterListing(() => answer());
    const listed = new ListedModels({ listsFromServer: () => true, freshMs: 60_000, retryMs: 10_000, now: () => now });
    const lm = config({});
    expect(listed.stale([lm])).toBe(true);
    // Two calls at once share one round.
    await Promise.all([listed.refresh([lm], adapter), listed.refresh([lm], adapter)]);
    expect(asked()).toBe(1);
    expect(listed.first(lm)).toBe('qwen');
    now = 59_999;
    expect(listed.stale([lm])).toBe(false);
    now = 60_000;
    answer = async () => {
      throw new Error('connect ECONNREFUSED');
    };
    await listed.refresh([lm], adapter);
    expect(listed.first(lm)).toBeUndefined();
    now = 69_999;
    expect(listed.stale([lm])).toBe(false);
    now = 70_000;
    answer = async () => [{ id: 'llama' }];
    await listed.refresh([lm], adapter);
    expect(listed.first(lm)).toBe('llama');
    // Another address is another server: its list is asked for, not borrowed.
    expect(listed.first(config({ baseUrl: 'http://127.0.0.1:8080/v1' }))).toBeUndefined();
    expect(listed.stale([config({ baseUrl: 'http://127.0.0.1:8080/v1' })])).toBe(true);
  });

  it('a list kept, or a failure, from before the clock was set back is asked again when due, not once the clock passes its time again', async () => {
    let now = 10_000_000;
    let answer: () => Promise<ModelInfo[]> = async () => {
      throw new Error('connect ECONNREFUSED');
    };
    const { adapter, asked } = adapterListing(() => answer());
    const listed = new ListedModels({ listsFromServer: () => true, freshMs: 60_000, retryMs: 10_000, now: () => now });
    const lm = config({});
    await listed.refresh([lm], adapter); // the server was not up yet
    expect(listed.first(lm)).toBeUndefined();
    now -= 3_600_000; // the clock goes back an hour; the server starts
    answer = async () => [{ id: 'qwen' }];
    expect(listed.stale([lm])).toBe(true);
    await listed.refresh([lm], adapter);
    expect(listed.first(lm)).toBe('qwen');
    expect(asked()).toBe(2);
    // Kept as long as it is fresh by the clock now.
    now += 59_999;
    expect(listed.stale([lm])).toBe(false);
  });

  it('a server that never answers is given up on within the bound', async () => {
    const hanging = {
      listModels: (signal?: AbortSignal) =>
        new Promise<ModelInfo[]>((_resolve, reject) => signal?.addEventListener('abort', () => reject(signal.reason as Error))),
    } as Partial<LlmProvider> as LlmProvider;
    const listed = new ListedModels({ listsFromServer: () => true, timeoutMs: 50 });
    const started = Date.now();
    await listed.refresh([config({})], async () => hanging);
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(listed.first(config({}))).toBeUndefined();
  });
});
