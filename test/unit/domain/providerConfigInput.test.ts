import { describe, expect, it } from 'vitest';
import { contract } from '../../../src-shared/contract.ts';
import { providerConfigSchema } from '../../../src-shared/domain/provider.ts';
import { errorSentence } from '../../../src-renderer/ui/errorText.ts';

const config = { id: 'gw', type: 'openai', label: 'Gateway', location: 'cloud', baseUrl: 'https://gw.example.com/v1', models: ['m1'], limits: {}, enabled: true };

/** What the GUI says when the core refuses this input, as the dispatcher hands the issues over. */
function refusal(channel: 'providers.add' | 'providers.update' | 'providers.checkKey', input: unknown): string {
  const parsed = contract[channel].input.safeParse(input);
  expect(parsed.success).toBe(false);
  const issues = parsed.error?.issues.map((issue) => ({ code: issue.code, message: issue.message, path: issue.path.map((part) => (typeof part === 'symbol' ? String(part) : part)) })) ?? [];
  return errorSentence({ code: 'INVALID_INPUT', message: 'refused', retryable: false, issues });
}

describe('a provider given with hidden characters', () => {
  it.each(['Evil\u202Eabc', 'Bell\u0007', 'Tab\there', 'Iso\u2067late', 'Mark\u200F'])('refuses the label %j in words, on add, update and the key check', (label) => {
    for (const channel of ['providers.add', 'providers.update', 'providers.checkKey'] as const) {
      expect(refusal(channel, { config: { ...config, label } })).toBe('The label cannot hold control characters or marks that change the direction of text: type it again without them.');
    }
  });

  it('takes names in any script, emoji included, and still reads configurations stored before', () => {
    expect(contract['providers.add'].input.safeParse({ config: { ...config, label: 'שרת 🙂 Gateway', models: ['模型-1'] } }).success).toBe(true);
    expect(providerConfigSchema.safeParse({ ...config, label: 'Evil\u202Eabc' }).success).toBe(true);
  });
});
