import { describe, expect, it } from 'vitest';
import type { ProviderConfig } from '../../../src-shared/domain/provider.ts';
import { projectedCost, promptTokenBound, uncappedAnswerTokens } from '../../../src-main/router/projectedCost.ts';

const cloud: ProviderConfig = { id: 'c', type: 'openai', label: 'c', location: 'cloud', baseUrl: 'https://api.example.com/v1', models: ['m'], limits: {}, enabled: true };

describe('projectedCost', () => {
  it('bounds a prompt by its UTF-8 bytes and the template, never by 4 characters a token: CJK, code and a schema', () => {
    const cjk = '日本語のテキスト'.repeat(50); // 400 characters, 1,200 bytes
    expect(promptTokenBound({ messages: [{ role: 'user', content: cjk }] })).toBe(1_200 + 16);
    const schema = { name: 'plan', jsonSchema: { type: 'object', properties: { files: { type: 'array' } } } };
    expect(promptTokenBound({ messages: [{ role: 'user', content: 'x' }], schema })).toBe(1 + 16 + JSON.stringify(schema.jsonSchema).length + 4);
  });

  it('counts the cap a budget sends when the call names none, and nothing on this machine', () => {
    const price = { inputPerMillion: 1_000_000, outputPerMillion: 2_000_000 };
    expect(projectedCost(cloud, price, { messages: [{ role: 'user', content: 'abcd' }] })).toBe(4 + 16 + uncappedAnswerTokens * 2);
    expect(projectedCost(cloud, price, { messages: [{ role: 'user', content: 'abcd' }], maxTokens: 10 })).toBe(20 + 20);
    expect(projectedCost({ ...cloud, location: 'local' }, price, { messages: [{ role: 'user', content: 'abcd' }] })).toBe(0);
    expect(projectedCost(cloud, undefined, { messages: [] })).toBeUndefined();
  });
});
