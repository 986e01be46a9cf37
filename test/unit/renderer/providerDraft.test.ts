import { describe, expect, it } from 'vitest';
import { providerConfigSchema, type ProviderConfig } from '../../../src-shared/domain/provider.ts';
import { changedElsewhereSentence, configFromDraft, draftFromConfig, emptyDraft, rebaseProviderDraft, timeoutProblem } from '../../../src-renderer/features/providers/providerDraft.ts';
import { typeInfo } from '../../../src-renderer/features/providers/providerTypeFields.ts';
import { providerDescriptors } from '../../../src-main/providers/descriptors/providerDescriptors.ts';
import { ProviderRegistry } from '../../../src-main/providers/descriptors/ProviderRegistry.ts';

// What the core's providers.types channel sends: the shipped descriptors' serialisable part.
const types = new ProviderRegistry(providerDescriptors).infos();

describe('provider form: timeouts in seconds', () => {
  it('turns the seconds typed into the config milliseconds the core validates, and back', () => {
    const draft = { ...emptyDraft, type: 'openai' as const, id: 'gw', firstTokenTimeoutSeconds: ' 30 ', totalTimeoutSeconds: '900' };
    const config = configFromDraft(draft, typeInfo(types, 'openai'));
    expect(config).toMatchObject({ firstTokenTimeoutMs: 30_000, totalTimeoutMs: 900_000 });
    expect(providerConfigSchema.parse(config)).toEqual(config);
    expect(draftFromConfig(config)).toMatchObject({ firstTokenTimeoutSeconds: '30', totalTimeoutSeconds: '900' });
  });

  it('leaves them out when empty (the defaults apply)', () => {
    const config: ProviderConfig = configFromDraft({ ...emptyDraft, type: 'llama-cpp', id: 'local' }, typeInfo(types, 'llama-cpp'));
    expect(config).not.toHaveProperty('firstTokenTimeoutMs');
    expect(config).not.toHaveProperty('totalTimeoutMs');
    expect(draftFromConfig(config)).toMatchObject({ firstTokenTimeoutSeconds: '', totalTimeoutSeconds: '' });
  });

  it.each(['0', '1.5', 'abc', '21601', '-3', '0x10', '1e3', '0b11', 'Infinity'])('refuses %s in words, naming the field and the range', (typed) => {
    expect(timeoutProblem({ ...emptyDraft, firstTokenTimeoutSeconds: typed })).toMatch(/^The wait for the first token is a whole number of seconds from 1 to 21600 \(6 hours\)/);
    expect(timeoutProblem({ ...emptyDraft, totalTimeoutSeconds: typed })).toMatch(/^The longest answer time is a whole number of seconds/);
  });

  it('accepts the bounds and empty fields', () => {
    expect(timeoutProblem({ ...emptyDraft, firstTokenTimeoutSeconds: '1', totalTimeoutSeconds: '21600' })).toBeUndefined();
    expect(timeoutProblem(emptyDraft)).toBeUndefined();
  });
});

describe('provider form: rate limits', () => {
  it('keeps every limit through an edit, the burst included (set by the CLI, it was dropped by any save of the form)', () => {
    const config: ProviderConfig = { id: 'gw', type: 'openai', label: 'gw', location: 'cloud', baseUrl: 'https://gw.example.com/v1', models: ['m'], limits: { requestsPerMinute: 60, tokensPerMinute: 90_000, burst: 2 }, enabled: true };
    const draft = draftFromConfig(config);
    expect(draft).toMatchObject({ requestsPerMinute: '60', tokensPerMinute: '90000', burst: '2' });
    expect(configFromDraft({ ...draft, label: 'Gateway' }, typeInfo(types, 'openai')).limits).toEqual({ requestsPerMinute: 60, tokensPerMinute: 90_000, burst: 2 });
    expect(configFromDraft({ ...draft, burst: '' }, typeInfo(types, 'openai')).limits).toEqual({ requestsPerMinute: 60, tokensPerMinute: 90_000 });
  });

  it('sends no limit nobody typed: hexadecimal or an exponent is no number, for the core to refuse naming the field', () => {
    const draft = { ...emptyDraft, type: 'openai' as const, id: 'gw', baseUrl: 'https://gw.example.com/v1', models: 'm' };
    for (const typed of ['0x10', '1e3', '0b11', '0o7', 'Infinity']) {
      const config = configFromDraft({ ...draft, requestsPerMinute: typed, tokensPerMinute: typed, burst: typed }, typeInfo(types, 'openai'));
      expect(Number.isNaN(config.limits.requestsPerMinute), typed).toBe(true);
      expect(Number.isNaN(config.limits.tokensPerMinute), typed).toBe(true);
      expect(Number.isNaN(config.limits.burst), typed).toBe(true);
      expect(providerConfigSchema.safeParse(JSON.parse(JSON.stringify(config))).success, typed).toBe(false);
    }
    expect(configFromDraft({ ...draft, requestsPerMinute: ' 60 ', burst: '2' }, typeInfo(types, 'openai')).limits).toEqual({ requestsPerMinute: 60, burst: 2 });
  });
});

describe('rebaseProviderDraft: a provider being edited over a stored one that moved on elsewhere', () => {
  const base = { ...emptyDraft, type: 'openai', id: 'box', label: 'Box', models: 'm1', local: true };

  it('a field not edited takes the stored value; an edit stays; nothing is said while no edited field moved', () => {
    const draft = { ...base, label: 'Office box' };
    const stored = { ...base, totalTimeoutSeconds: '900' };
    const rebased = rebaseProviderDraft(draft, base, stored);
    expect(rebased.draft).toEqual({ ...base, label: 'Office box', totalTimeoutSeconds: '900' });
    expect(rebased.base).toEqual(stored);
    expect(rebased.changedElsewhere).toEqual([]);
  });

  it('an edited field whose stored value moved is kept and named; once saved as typed it has landed', () => {
    const draft = { ...base, firstTokenTimeoutSeconds: '30', label: 'Office box' };
    const stored = { ...base, firstTokenTimeoutSeconds: '45', label: 'Shed' };
    const rebased = rebaseProviderDraft(draft, base, stored);
    expect(rebased.draft).toEqual(draft);
    expect(rebased.changedElsewhere).toEqual(['label', 'firstTokenTimeoutSeconds']);
    expect(changedElsewhereSentence(rebased.changedElsewhere, stored)).toBe(
      'This provider changed elsewhere while you edited it: Label is now "Shed" there; Wait for the first word is now 45 there. Saving replaces them with yours; the fields you did not change show what is saved now.',
    );
    const saved = rebaseProviderDraft(draft, rebased.base, draft);
    expect(saved).toEqual({ draft, base: draft, changedElsewhere: [] });
  });

  it('a setting turned off or emptied elsewhere is said in words', () => {
    const stored = { ...base, enabled: false, baseUrl: '' };
    expect(changedElsewhereSentence(['enabled', 'baseUrl'], stored)).toBe(
      'This provider changed elsewhere while you edited it: On or off is now off there; Base URL is now empty there. Saving replaces them with yours; the fields you did not change show what is saved now.',
    );
  });
});

describe('rebaseProviderDraft compares fields as they are saved', () => {
  it('models typed with commas, or text with spaces around, saved here are no change elsewhere', () => {
    const base = { ...emptyDraft, type: 'openai', id: 'box', label: 'Box', models: 'm1', local: true };
    const draft = { ...base, models: 'm1, m2', label: ' Office box ' };
    const stored = { ...base, models: 'm1\nm2', label: 'Office box' };
    const rebased = rebaseProviderDraft(draft, base, stored);
    expect(rebased.changedElsewhere).toEqual([]);
    expect(rebased.draft).toEqual(draft);
    expect(rebased.base).toEqual(stored);
  });
});
