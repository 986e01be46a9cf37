import type { Llama, LlamaGrammar } from 'node-llama-cpp';
import { describe, expect, it } from 'vitest';
import { LlamaGrammars } from '../../../src-main/providers/LlamaGrammars.ts';
import { ProviderError } from '../../../src-main/providers/ProviderError.ts';

/**
 * The grammar per schema that llama.cpp chats share. The binding here is a stand-in that records
 * what it was asked: the real converter (test/integration/llamaCppProvider.test.ts) rejects
 * almost nothing, so the refusal path is driven through this one.
 */
function binding(failFirst = 0) {
  const asked: unknown[] = [];
  let failures = failFirst;
  const llama = {
    createGrammarForJsonSchema: async (schema: unknown) => {
      asked.push(schema);
      if (failures > 0) {
        failures -= 1;
        throw new Error('unsupported keyword');
      }
      return { schema } as unknown as LlamaGrammar;
    },
  } as unknown as Llama;
  return { asked, llama: async () => llama };
}

const schema = (name: string, jsonSchema: Record<string, unknown>) => ({ name, jsonSchema });

describe('LlamaGrammars', () => {
  it('makes one grammar per schema, shared by concurrent chats, without the $schema keyword', async () => {
    const { asked, llama } = binding();
    const grammars = new LlamaGrammars('local', llama);
    const plan = schema('plan', { $schema: 'http://json-schema.org/draft-07/schema#', type: 'object' });
    const [first, second] = await Promise.all([grammars.for(plan), grammars.for(plan)]);
    expect(first).toBe(second);
    expect(asked).toEqual([{ type: 'object' }]);
    await grammars.for(schema('other', { type: 'string' }));
    expect(asked).toHaveLength(2);
  });

  it('a schema the converter rejects is a bad request naming it, and is tried again next time', async () => {
    const { asked, llama } = binding(1);
    const grammars = new LlamaGrammars('local', llama);
    const plan = schema('plan', { type: 'object' });
    const refused = await grammars.for(plan).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(ProviderError);
    expect(refused).toMatchObject({ kind: 'bad-request', providerId: 'local' });
    expect((refused as Error).message).toContain('schema "plan"');
    await expect(grammars.for(plan)).resolves.toBeDefined();
    expect(asked).toHaveLength(2);
  });

  it('holds at most 64 grammars, and clear() forgets them', async () => {
    const { asked, llama } = binding();
    const grammars = new LlamaGrammars('local', llama);
    for (let n = 0; n < 65; n++) await grammars.for(schema(`s${n}`, { type: 'string', maxLength: n }));
    expect(asked).toHaveLength(65);
    // The 65th emptied the memory: the first is made again.
    await grammars.for(schema('s0', { type: 'string', maxLength: 0 }));
    expect(asked).toHaveLength(66);
    grammars.clear();
    await grammars.for(schema('s64', { type: 'string', maxLength: 64 }));
    expect(asked).toHaveLength(67);
  });
});
